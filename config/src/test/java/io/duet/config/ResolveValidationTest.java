package io.duet.config;

import org.junit.jupiter.api.Test;

import static io.duet.config.ConfigValidatorTest.e;
import static io.duet.config.ConfigValidatorTest.errors;
import static io.duet.config.ConfigValidatorTest.warnings;
import static io.duet.config.ConfigValidatorTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

class ResolveValidationTest {
    private static String doc(String servers, String resolve) {
        return """
                listeners: [{name: l, port: 8080}]
                virtualHosts: [{name: v, defaultHost: true, routes: [{name: r, pool: p}]}]
                pools:
                  - name: p
                    servers: %s
                %s
                """.formatted(servers, resolve.isEmpty() ? "" : "    resolve: " + resolve);
    }

    private static final String NAMED = "[{id: api, address: api.internal, port: 80}]";

    // Every field set within its bounds is valid and clean, and reads back as written.
    @Test
    void fullSettingsAreClean() {
        DuetConfig d = yaml(doc(NAMED, "{intervalMs: 1000, holdOnFailureMs: 60000, maxAddresses: 64, prefer: ipv6}"));
        assertThat(ConfigValidator.validate(d)).isEmpty();
        assertThat(d.pools().get(0).resolve()).isEqualTo(new Resolve(1000L, 60_000L, 64, "ipv6"));
    }

    // Defaults: absent resolve means a lookup every 30 s, a 5-minute hold, one address, IPv4 first.
    @Test
    void defaults() {
        DuetConfig d = yaml(doc(NAMED, ""));
        assertThat(ConfigValidator.validate(d)).isEmpty();
        assertThat(d.pools().get(0).resolve()).isNull();
        assertThat(d.pools().get(0).resolveSettings()).isEqualTo(new Resolve(30_000L, 300_000L, 1, "ipv4"));
        assertThat(yaml(doc(NAMED, "{}")).pools().get(0).resolve()).isEqualTo(Resolve.defaults());
    }

    // Bounds: never more often than once a second, hold and interval at most a day, 1-64 addresses, a known family.
    @Test
    void bounds() {
        assertThat(errors(doc(NAMED, "{intervalMs: 999, holdOnFailureMs: 86400001, maxAddresses: 0, prefer: any}")))
                .extracting(Violation::path, Violation::id).containsExactly(
                        e("$.pools[0].resolve.intervalMs", 12), e("$.pools[0].resolve.holdOnFailureMs", 12),
                        e("$.pools[0].resolve.maxAddresses", 12), e("$.pools[0].resolve.prefer", 14));
        assertThat(errors(doc(NAMED, "{intervalMs: 999}")).get(0).message())
                .isEqualTo("intervalMs: 999 (expected: 1000-86400000 ms (a name is looked up at most once a second))");
        assertThat(errors(doc(NAMED, "{maxAddresses: 65}"))).extracting(Violation::path, Violation::id)
                .containsExactly(e("$.pools[0].resolve.maxAddresses", 12));
        assertThat(errors(doc(NAMED, "{intervalMs: 86400001}"))).hasSize(1);
        assertThat(ConfigValidator.validate(yaml(doc(NAMED, "{holdOnFailureMs: 0}")))).isEmpty();
    }

    // DUET-CONFIG-0320: resolve on a pool of IP addresses only does nothing.
    @Test
    void resolveWithoutNamesIsWarned() {
        assertThat(warnings(doc("[{address: 10.0.0.1, port: 80}, {address: '::1', port: 80}]", "{intervalMs: 5000}")))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.pools[0].resolve", 320));
        assertThat(warnings(doc("[{address: 10.0.0.1, port: 80}, {address: b.internal, port: 80}]",
                "{intervalMs: 5000}"))).isEmpty();
    }

    // DUET-CONFIG-0321: with expansion, '#' in a server id could clash with the ids of the expanded servers.
    @Test
    void hashInIdsIsReservedWhenNamesExpand() {
        String servers = "[{id: 'a#1', address: a.internal, port: 80}, {id: b, address: b.internal, port: 80}]";
        assertThat(errors(doc(servers, "{maxAddresses: 4}"))).extracting(Violation::path, Violation::id)
                .containsExactly(e("$.pools[0].servers[0].id", 321));
        assertThat(errors(doc(servers, ""))).isEmpty();
    }

    // DUET-CONFIG-0322: a hold shorter than the interval is only checked at the next lookup.
    @Test
    void holdBelowIntervalIsWarned() {
        assertThat(warnings(doc(NAMED, "{intervalMs: 10000, holdOnFailureMs: 5000}")))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.pools[0].resolve.holdOnFailureMs", 322));
    }

    // The codec writes resolve back as it was read.
    @Test
    void roundTrips() throws Exception {
        DuetConfig d = yaml(doc(NAMED, "{intervalMs: 5000, maxAddresses: 3}"));
        for (ConfigCodec.Format f : ConfigCodec.Format.values()) {
            assertThat(ConfigCodec.decode(ConfigCodec.encode(d, f), f)).isEqualTo(d);
        }
        assertThat(ConfigCodec.encode(yaml(doc(NAMED, "")), ConfigCodec.Format.JSON)).doesNotContain("resolve");
    }

    // Expanded server ids are the document id, '#' and the address's number.
    @Test
    void slotIds() {
        assertThat(Resolve.slotId("api", 2)).isEqualTo("api#2");
    }
}
