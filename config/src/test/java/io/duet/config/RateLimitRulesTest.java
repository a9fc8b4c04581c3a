package io.duet.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.duet.config.ConfigValidatorTest.e;
import static io.duet.config.ConfigValidatorTest.errors;
import static io.duet.config.ConfigValidatorTest.warnings;
import static io.duet.config.ConfigValidatorTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

/** Rate limits: their fields, key parts, and the listeners and routes that name them (DUET-CONFIG-0380..0399). */
class RateLimitRulesTest {
    private static String doc(String limits, String listenerLimits, String routeLimits) {
        return """
                listeners: [{name: web, port: 8080, rateLimits: %s}]
                rateLimits: %s
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes:
                      - {name: r, pool: p, rateLimits: %s}
                pools: [{name: p, servers: [{address: 10.0.0.1, port: 80}]}]
                """.formatted(listenerLimits, limits, routeLimits);
    }

    @Test
    void aCompleteLimitIsValidAndReadsItsDefaults() {
        String text = doc("[{name: api, key: [client, 'header:X-Api-Key'], requests: 100, per: minute}]", "[api]",
                "[]");
        assertThat(errors(text)).isEmpty();
        assertThat(warnings(text)).isEmpty();
        RateLimit l = yaml(text).rateLimits().get(0);
        assertThat(l.periodMs()).isEqualTo(60_000);
        assertThat(l.burstOrDefault()).isEqualTo(100);
        assertThat(l.action()).isEqualTo("reject");
        assertThat(l.status()).isEqualTo(429);
        assertThat(l.missingKey()).isEqualTo("skip");
        assertThat(l.maxKeys()).isEqualTo(100_000);
        assertThat(yaml(doc("[{name: a, requests: 1, per: second}]", "[a]", "[]")).rateLimits().get(0).key())
                .isEqualTo(List.of("client"));
    }

    @Test
    void badFieldsAreRefusedEachAtItsPath() {
        String text = doc("""
                [{name: a, key: [client, 'header:bad name', 'cookie:', 'query:k', 'query:k', peer], requests: 0,
                  per: day, burst: 0, action: drop, status: 200, maxDelayMs: 0, missingKey: allow, maxKeys: 0},
                 {name: a, requests: 1, per: second, windowMs: 1000},
                 {name: b, requests: 1}]""", "[a, b]", "[]");
        assertThat(errors(text)).extracting(Violation::path, Violation::id).containsExactlyInAnyOrder(
                e("$.rateLimits[0].key[1]", 381), e("$.rateLimits[0].key[2]", 381),
                e("$.rateLimits[0].key[4]", 382), e("$.rateLimits[0].key[5]", 381),
                e("$.rateLimits[0].requests", 12), e("$.rateLimits[0].per", 14), e("$.rateLimits[0].burst", 12),
                e("$.rateLimits[0].action", 14), e("$.rateLimits[0].status", 12),
                e("$.rateLimits[0].maxDelayMs", 12), e("$.rateLimits[0].missingKey", 14),
                e("$.rateLimits[0].maxKeys", 12),
                e("$.rateLimits[1].name", 13), e("$.rateLimits[1]", 15), e("$.rateLimits[2]", 15));
    }

    @Test
    void namesAreReferencedOnceAndExistAndRouteKeysStayOffListeners() {
        String text = doc("[{name: a, requests: 1, per: second}, {name: r, key: [route, client], requests: 1, "
                + "per: second}]", "[a, a, r, nope]", "[r, ghost]");
        assertThat(errors(text)).extracting(Violation::path, Violation::id).containsExactlyInAnyOrder(
                e("$.listeners[0].rateLimits[1]", 384), e("$.listeners[0].rateLimits[2]", 383),
                e("$.listeners[0].rateLimits[3]", 380), e("$.virtualHosts[0].routes[0].rateLimits[1]", 380));
        assertThat(errors(text)).filteredOn(v -> v.id().equals("DUET-CONFIG-0380"))
                .extracting(Violation::message).first().asString().contains("known: a, r");
    }

    @Test
    void anUnusedLimitAndADelayOnARejectLimitAreWarnings() {
        String text = doc("[{name: a, requests: 1, per: second, maxDelayMs: 50}, {name: idle, requests: 1, "
                + "per: hour}]", "[]", "[a]");
        assertThat(errors(text)).isEmpty();
        assertThat(warnings(text)).extracting(Violation::path, Violation::id).containsExactlyInAnyOrder(
                e("$.rateLimits[0].maxDelayMs", 386), e("$.rateLimits[1].name", 385));
    }

    // concurrent alone needs no rate; a rate's parts without requests, or delay without a rate, are refused.
    @Test
    void concurrentAloneIsALimitButCannotDelay() {
        assertThat(errors(doc("[{name: a, concurrent: 2}]", "[a]", "[]"))).isEmpty();
        assertThat(errors(doc("[{name: a, concurrent: 0, action: delay}, {name: b, concurrent: 1, per: second}, "
                + "{name: c}]", "[a, b, c]", "[]"))).extracting(Violation::path, Violation::id)
                .containsExactlyInAnyOrder(e("$.rateLimits[0].concurrent", 12), e("$.rateLimits[0].action", 387),
                        e("$.rateLimits[1].requests", 11), e("$.rateLimits[2].requests", 11));
    }

    @Test
    void headerPartsCompareWithoutCaseAndQueryNamesAreNotHeaderTokens() {
        assertThat(RateLimitRules.validPart("query:api.key[]")).isTrue();
        assertThat(RateLimitRules.validPart("query:a=b")).isFalse();
        assertThat(RateLimitRules.validPart("header:X-Api-Key")).isTrue();
        assertThat(errors(doc("[{name: a, key: ['header:X-Key', 'header:x-key'], requests: 1, per: second}]", "[a]",
                "[]"))).extracting(Violation::path, Violation::id).containsExactly(e("$.rateLimits[0].key[1]", 382));
    }
}
