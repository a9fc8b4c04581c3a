package io.duet.proxy.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricNameTest {

    // Labels are encoded in Prometheus sample syntax, in the order given.
    @Test
    void encodesFamilyAndLabelsInOrder() {
        assertThat(MetricName.encode("duet_route_requests_total", "vhost", "api", "route", "users"))
                .isEqualTo("duet_route_requests_total{vhost=\"api\",route=\"users\"}");
        assertThat(MetricName.encode("duet_x")).isEqualTo("duet_x");
    }

    // Backslash, double quote and line feed in values are escaped, and parse restores them exactly.
    @Test
    void escapesAndRoundTripsAwkwardValues() {
        String value = "a\"b\\c\nd,e=f}{";
        String encoded = MetricName.encode("duet_pool_requests_total", "pool", value);
        assertThat(encoded).isEqualTo("duet_pool_requests_total{pool=\"a\\\"b\\\\c\\nd,e=f}{\"}");
        MetricName parsed = MetricName.parse(encoded);
        assertThat(parsed.family()).isEqualTo("duet_pool_requests_total");
        assertThat(parsed.labels()).containsExactly(new MetricName.Label("pool", value));
        assertThat(parsed.toString()).isEqualTo(encoded);
    }

    // Names not built by MetricName become a sanitized family without labels.
    @Test
    void foreignNamesAreSanitized() {
        assertThat(MetricName.parse("jvm.threads.count")).isEqualTo(new MetricName("jvm_threads_count", List.of()));
        assertThat(MetricName.parse("9lives{broken").family()).isEqualTo("_9lives_broken");
        assertThat(MetricName.parse("x{a=\"unterminated}").family()).isEqualTo("x_a__unterminated_");
    }

    // Invalid family or label names are refused when building, so a bad name never reaches the registry.
    @Test
    void rejectsInvalidNames() {
        assertThatThrownBy(() -> MetricName.encode("duet-route")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricName.encode("duet_x", "bad-label", "v"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricName.encode("duet_x", "odd")).isInstanceOf(IllegalArgumentException.class);
    }
}
