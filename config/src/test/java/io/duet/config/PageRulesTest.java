package io.duet.config;

import org.junit.jupiter.api.Test;

import static io.duet.config.ConfigValidatorTest.e;
import static io.duet.config.ConfigValidatorTest.errors;
import static io.duet.config.ConfigValidatorTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

/** Error pages of virtual hosts and maintenance switches of hosts and routes: DUET-CONFIG-0420 to 0423. */
class PageRulesTest {
    private static final String HEAD = """
            listeners: [{name: web, port: 8080}]
            pools: [{name: p, servers: [{address: 10.0.0.1, port: 80}]}]
            virtualHosts:
              - name: v
                defaultHost: true
            """;

    private static String host(String fields) {
        return HEAD + fields.indent(4) + "    routes: [{name: r, pool: p}]\n";
    }

    // A host with a page per status and maintenance on host and route is valid; defaults are filled in.
    @Test
    void validPagesAndSwitchesPassWithTheirDefaults() {
        String doc = HEAD + """
                    errorPages:
                      - {status: 404, body: "<h1>Not here</h1>"}
                      - {status: 503, contentType: "application/json; charset=\\"utf-8\\"", body: "{}"}
                      - {status: 429, contentType: text/plain, body: ""}
                    maintenance: {enabled: true}
                    routes: [{name: r, pool: p, maintenance: {enabled: true, retryAfter: 86400, body: down}}]
                """;
        assertThat(errors(doc)).isEmpty();
        VirtualHost v = yaml(doc).virtualHosts().get(0);
        assertThat(v.errorPages().get(0).contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(v.maintenance().retryAfter()).isEqualTo(300);
        assertThat(v.maintenance().body()).isNull();
        assertThat(v.routes().get(0).maintenance().retryAfter()).isEqualTo(86400);
    }

    // 0420: a status that is not one of Duet's own answers.
    @Test
    void statusOutsideDuetsOwnAnswersIsRefused() {
        assertThat(errors(host("errorPages: [{status: 500, body: x}, {status: 421, body: y}]")))
                .extracting(Violation::path, Violation::id).containsExactly(
                        e("$.virtualHosts[0].errorPages[0].status", 420),
                        e("$.virtualHosts[0].errorPages[1].status", 420));
    }

    // 0421: two pages for one status on one host (another host may have its own).
    @Test
    void secondPageForAStatusIsRefused() {
        assertThat(errors(host("errorPages: [{status: 404, body: a}, {status: 502, body: b}, {status: 404, body: c}]")))
                .singleElement().satisfies(v -> {
                    assertThat(v.path()).isEqualTo("$.virtualHosts[0].errorPages[2].status");
                    assertThat(v.id()).isEqualTo("DUET-CONFIG-0421");
                    assertThat(v.message()).contains("$.virtualHosts[0].errorPages[0]");
                });
    }

    // 0422: a content type that is not a media type, on a page and on a maintenance switch.
    @Test
    void contentTypeMustBeAMediaType() {
        String doc = HEAD + """
                    errorPages:
                      - {status: 404, contentType: html, body: a}
                      - {status: 502, contentType: "text/html; charset", body: a}
                      - {status: 503, contentType: "text/html; charset=utf-8", body: a}
                    maintenance: {contentType: "text /html", body: a}
                    routes: [{name: r, pool: p, maintenance: {contentType: "text/html\\r\\nX-Evil: 1"}}]
                """;
        assertThat(errors(doc)).extracting(Violation::path, Violation::id).containsExactly(
                e("$.virtualHosts[0].errorPages[0].contentType", 422),
                e("$.virtualHosts[0].errorPages[1].contentType", 422),
                e("$.virtualHosts[0].maintenance.contentType", 422),
                e("$.virtualHosts[0].routes[0].maintenance.contentType", 422));
    }

    // 0423: a body over 64 KiB of UTF-8 (counted in bytes, not characters); 64 KiB exactly passes.
    @Test
    void bodyOver64KibIsRefused() {
        String exact = "a".repeat(ErrorPage.MAX_BODY_BYTES);
        String over = "\u00e9".repeat(ErrorPage.MAX_BODY_BYTES / 2 + 1); // 2 bytes each
        String doc = HEAD + ("    errorPages: [{status: 404, body: \"" + exact + "\"}, {status: 502, body: \"" + over
                + "\"}]\n    maintenance: {body: \"" + over + "\"}\n    routes: [{name: r, pool: p}]\n");
        assertThat(errors(doc)).extracting(Violation::path, Violation::id, Violation::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("$.virtualHosts[0].errorPages[1].body", "DUET-CONFIG-0423",
                        "body: 65538 bytes in UTF-8 (expected: at most 65536 bytes)"),
                org.assertj.core.groups.Tuple.tuple("$.virtualHosts[0].maintenance.body", "DUET-CONFIG-0423",
                        "body: 65538 bytes in UTF-8 (expected: at most 65536 bytes)"));
    }

    // Shared ids: a page without status or body (0011), a null page (0010), retryAfter out of 1-86400 (0012).
    @Test
    void missingPartsAndRetryAfterRangeUseTheSharedIds() {
        String doc = HEAD + """
                    errorPages: [{contentType: text/plain}, null]
                    maintenance: {enabled: true, retryAfter: 0}
                    routes: [{name: r, pool: p, maintenance: {retryAfter: 86401}}]
                """;
        assertThat(errors(doc)).extracting(Violation::path, Violation::id).containsExactly(
                e("$.virtualHosts[0].errorPages[0].status", 11),
                e("$.virtualHosts[0].errorPages[0].body", 11),
                e("$.virtualHosts[0].errorPages[1]", 10),
                e("$.virtualHosts[0].maintenance.retryAfter", 12),
                e("$.virtualHosts[0].routes[0].maintenance.retryAfter", 12));
    }
}
