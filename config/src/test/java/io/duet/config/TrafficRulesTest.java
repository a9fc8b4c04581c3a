package io.duet.config;

import org.junit.jupiter.api.Test;

import static io.duet.config.ConfigValidatorTest.e;
import static io.duet.config.ConfigValidatorTest.errors;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traffic-control settings the proxy does not enforce yet are refused, each at its own path: a document that asks
 * for an access rule, a rate limit or an error page must never run without it.
 */
class TrafficRulesTest {
    @Test
    void settingsNotEnforcedYetAreRefusedWhereTheyStand() {
        String doc = """
                listeners: [{name: web, port: 8080, access: {deny: [10.0.0.0/8]}, rateLimits: [per-client]}]
                addressLists: [{name: office, addresses: [192.0.2.0/24]}]
                rateLimits: [{name: per-client}]
                virtualHosts:
                  - name: v
                    defaultHost: true
                    errorPages: [{status: 503, contentType: text/html, body: "<p>later</p>"}]
                    maintenance: {enabled: false}
                    routes:
                      - name: r
                        match: {sources: [office]}
                        pool: p
                        access: {allow: [office]}
                        rateLimits: [per-client]
                        maintenance: {enabled: true}
                pools: [{name: p, servers: [{address: 10.0.0.1, port: 80}]}]
                """;
        assertThat(errors(doc)).extracting(Violation::path, Violation::id).containsExactlyInAnyOrder(
                e("$.addressLists", 419), e("$.rateLimits", 419),
                e("$.listeners[0].access", 419), e("$.listeners[0].rateLimits", 419),
                e("$.virtualHosts[0].routes[0].access", 419), e("$.virtualHosts[0].routes[0].rateLimits", 419),
                e("$.virtualHosts[0].routes[0].match.sources", 419));
    }
}
