package io.duet.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.duet.config.ConfigValidatorTest.e;
import static io.duet.config.ConfigValidatorTest.errors;
import static io.duet.config.ConfigValidatorTest.warnings;
import static io.duet.config.ConfigValidatorTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

class AffinityValidationTest {
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="; // 32 bytes
    private static final String LISTENER = "listeners: [{name: l, port: 8080}]\n";

    private static String doc(String route, String affinity) {
        return LISTENER + """
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes: [%s]
                pools:
                  - name: p
                    servers: [{id: a, address: 10.0.0.1, port: 80}, {id: b, address: 10.0.0.2, port: 80}]
                %s
                """.formatted(route, affinity.isEmpty() ? "" : "    affinity: " + affinity);
    }

    // A full cookie affinity with every option, and a route that fails on a down sticky server, is valid and clean.
    @Test
    void fullCookieAffinityIsClean() {
        DuetConfig d = yaml(doc("{name: r, pool: p, stickyServerDown: fail}",
                "{mode: cookie, signingKey: \"" + KEY + "\", cookie: {name: SRV, maxAgeSeconds: 3600, "
                        + "idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 7200, secure: true, httpOnly: true, "
                        + "sameSite: None, path: /app, domain: .example.com}}"));
        assertThat(ConfigValidator.validate(d)).isEmpty();
        assertThat(d.pools().get(0).affinity().cookie().domain()).isEqualTo(".example.com");
        assertThat(d.virtualHosts().get(0).routes().get(0).stickyServerDown()).isEqualTo(Route.FAIL);
    }

    // Defaults: route redispatches; cookie name, path, HttpOnly, SameSite Lax; tables 30 minutes and 100000 entries.
    @Test
    void defaults() {
        DuetConfig d = yaml(doc("{name: r, pool: p}", "{mode: source}"));
        assertThat(ConfigValidator.validate(d)).isEmpty();
        Affinity a = d.pools().get(0).affinity();
        assertThat(d.virtualHosts().get(0).routes().get(0).stickyServerDown()).isEqualTo(Route.REDISPATCH);
        assertThat(a.cookie()).isEqualTo(new Affinity.Cookie("DUET_SERVER", null, null, null, false, true, "Lax", "/", null));
        assertThat(a.source().timeoutMs()).isEqualTo(1_800_000L);
        assertThat(a.learn().name()).isEqualTo("JSESSIONID");
        assertThat(a.learn().jvmRoute()).isTrue();
        assertThat(a.header().maxEntries()).isEqualTo(100_000);
    }

    // DUET-CONFIG-0150: cookie mode without a signing key (nothing is derived).
    @Test
    void cookieModeNeedsAKey() {
        assertThat(errors(doc("{name: r, pool: p}", "{mode: cookie}")))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.pools[0].affinity.signingKey", 150));
    }

    // DUET-CONFIG-0151 and 0152: a key that is not base64, and one shorter than 32 bytes.
    @Test
    void keyMustBeBase64OfAtLeast32Bytes() {
        assertThat(errors(doc("{name: r, pool: p}", "{mode: cookie, signingKey: \"not base64!\"}")))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.pools[0].affinity.signingKey", 151));
        List<Violation> v = errors(doc("{name: r, pool: p}", "{mode: cookie, signingKey: \"c2hvcnQga2V5\"}"));
        assertThat(v).extracting(Violation::path, Violation::id).containsExactly(e("$.pools[0].affinity.signingKey", 152));
        assertThat(v.get(0).message()).contains("9 bytes");
    }

    // DUET-CONFIG-0153: SameSite=None without Secure; plus the generic checks on the other cookie options.
    // At rest the key is sealed under the node's data key (the config module cannot open it): the sealed form is
    // accepted as it is; in a mode that signs nothing it still warns.
    @Test
    void aSealedKeyIsAccepted() {
        String sealed = "duet-sealed:v1:0123456789abcdef:bm9uY2UtYW5kLWNpcGhlcnRleHQ";
        assertThat(errors(doc("{name: r, pool: p}", "{mode: cookie, signingKey: \"" + sealed + "\"}"))).isEmpty();
        assertThat(warnings(doc("{name: r, pool: p}", "{mode: source, signingKey: \"" + sealed + "\"}")))
                .extracting(Violation::id).contains("DUET-CONFIG-0155");
    }

    @Test
    void cookieOptionRules() {
        List<Violation> v = errors(doc("{name: r, pool: p}", "{mode: cookie, signingKey: \"" + KEY + "\", cookie: "
                + "{name: \"bad name\", maxAgeSeconds: 0, idleTimeoutSeconds: -1, absoluteTimeoutSeconds: 99999999999, "
                + "sameSite: None, path: app, domain: \"ex ample.com\"}}"));
        assertThat(v).extracting(Violation::path, Violation::id).containsExactly(
                e("$.pools[0].affinity.cookie.name", 18),
                e("$.pools[0].affinity.cookie.maxAgeSeconds", 12),
                e("$.pools[0].affinity.cookie.idleTimeoutSeconds", 12),
                e("$.pools[0].affinity.cookie.absoluteTimeoutSeconds", 12),
                e("$.pools[0].affinity.cookie.sameSite", 153),
                e("$.pools[0].affinity.cookie.path", 61),
                e("$.pools[0].affinity.cookie.domain", 50));
        assertThat(errors(doc("{name: r, pool: p}", "{mode: cookie, signingKey: \"" + KEY + "\", cookie: {sameSite: lax}}")))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.pools[0].affinity.cookie.sameSite", 14));
    }

    // DUET-CONFIG-0154 (warning): an idle lifetime not below the absolute one never applies.
    @Test
    void idleOverAbsoluteWarns() {
        assertThat(warnings(doc("{name: r, pool: p}", "{mode: cookie, signingKey: \"" + KEY + "\", cookie: "
                + "{idleTimeoutSeconds: 600, absoluteTimeoutSeconds: 600}}")))
                .extracting(Violation::path, Violation::id)
                .containsExactly(e("$.pools[0].affinity.cookie.idleTimeoutSeconds", 154));
    }

    // DUET-CONFIG-0155 (warning): a signing key in a mode that signs nothing.
    @Test
    void unusedKeyWarns() {
        assertThat(warnings(doc("{name: r, pool: p}", "{mode: source, signingKey: \"" + KEY + "\"}")))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.pools[0].affinity.signingKey", 155));
    }

    // DUET-CONFIG-0156: a jvmRoute naming a server the pool does not have; plus route name checks.
    @Test
    void jvmRoutesNameServersOfThePool() {
        List<Violation> v = errors(doc("{name: r, pool: p}", "{mode: learn, learn: {jvmRoutes: [{route: n1, server: a}, "
                + "{route: n2, server: zz}, {route: n1, server: b}, {route: \"x.y\", server: b}, null]}}"));
        assertThat(v).extracting(Violation::path, Violation::id).containsExactly(
                e("$.pools[0].affinity.learn.jvmRoutes[1].server", 156),
                e("$.pools[0].affinity.learn.jvmRoutes[2].route", 13),
                e("$.pools[0].affinity.learn.jvmRoutes[3].route", 18),
                e("$.pools[0].affinity.learn.jvmRoutes[4]", 10));
        assertThat(v.get(0).message()).isEqualTo("server: 'zz' is not a server id of pool 'p' (known: a, b)");
    }

    // DUET-CONFIG-0157 (warning): stickyServerDown: fail on a route whose pool has no affinity; bad values are errors.
    @Test
    void stickyServerDownRules() {
        assertThat(warnings(doc("{name: r, pool: p, stickyServerDown: fail}", "")))
                .extracting(Violation::path, Violation::id)
                .containsExactly(e("$.virtualHosts[0].routes[0].stickyServerDown", 157));
        assertThat(errors(doc("{name: r, pool: p, stickyServerDown: retry}", "{mode: source}")))
                .extracting(Violation::path, Violation::id)
                .containsExactly(e("$.virtualHosts[0].routes[0].stickyServerDown", 14));
    }

    // DUET-CONFIG-0158 (warning): two pools with the same cookie name and path flip a shared client between them.
    @Test
    void sharedCookieWarns() {
        String cookie = "{mode: cookie, signingKey: \"" + KEY + "\"}";
        String text = LISTENER + """
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes: [{name: r, pool: p, match: {path: {prefix: /a}}}, {name: s, pool: q}]
                pools:
                  - {name: p, servers: [{address: 10.0.0.1, port: 80}], affinity: %s}
                  - {name: q, servers: [{address: 10.0.0.2, port: 80}], affinity: %s}
                """.formatted(cookie, cookie);
        List<Violation> w = warnings(text);
        assertThat(w).extracting(Violation::path, Violation::id).containsExactly(e("$.pools[1].affinity.cookie.name", 158));
        assertThat(w.get(0).message()).contains("'DUET_SERVER'", "pool 'p'");
    }

    // DUET-CONFIG-0159: __Host- and __Secure- cookie prefixes need the attributes browsers require.
    @Test
    void cookiePrefixesNeedTheirAttributes() {
        assertThat(errors(doc("{name: r, pool: p}", "{mode: cookie, signingKey: \"" + KEY + "\", cookie: "
                + "{name: __Host-srv, secure: true, path: /app}}")))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.pools[0].affinity.cookie.name", 159));
        assertThat(errors(doc("{name: r, pool: p}", "{mode: cookie, signingKey: \"" + KEY + "\", cookie: "
                + "{name: __Secure-srv}}")))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.pools[0].affinity.cookie.name", 159));
        assertThat(errors(doc("{name: r, pool: p}", "{mode: cookie, signingKey: \"" + KEY + "\", cookie: "
                + "{name: __Host-srv, secure: true}}"))).isEmpty();
    }

    // Mode is required and one of four; header mode needs a header name; table options are ranged.
    @Test
    void modeAndTableRules() {
        assertThat(errors(doc("{name: r, pool: p}", "{source: {timeoutMs: 0, maxEntries: 0}}")))
                .extracting(Violation::path, Violation::id).containsExactly(
                        e("$.pools[0].affinity.mode", 11),
                        e("$.pools[0].affinity.source.timeoutMs", 12),
                        e("$.pools[0].affinity.source.maxEntries", 12));
        assertThat(errors(doc("{name: r, pool: p}", "{mode: sticky}")))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.pools[0].affinity.mode", 14));
        assertThat(errors(doc("{name: r, pool: p}", "{mode: header}")))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.pools[0].affinity.header.name", 11));
        assertThat(errors(doc("{name: r, pool: p}", "{mode: header, header: {name: \"X Session\"}}")))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.pools[0].affinity.header.name", 18));
        assertThat(errors(doc("{name: r, pool: p}", "{mode: learn, learn: {name: \"\", timeoutMs: 0, maxEntries: 0}}")))
                .extracting(Violation::path, Violation::id).containsExactly(
                        e("$.pools[0].affinity.learn.name", 18),
                        e("$.pools[0].affinity.learn.timeoutMs", 12),
                        e("$.pools[0].affinity.learn.maxEntries", 12));
    }

    // The codec round-trips an affinity and rejects unknown fields inside it with their path.
    @Test
    void codecRoundTripAndUnknownFields() throws Exception {
        DuetConfig d = yaml(doc("{name: r, pool: p}", "{mode: learn, learn: {jvmRoutes: [{route: n1, server: a}]}}"));
        assertThat(ConfigCodec.decode(ConfigCodec.encode(d, ConfigCodec.Format.JSON), ConfigCodec.Format.JSON)).isEqualTo(d);
        try {
            ConfigCodec.decode(doc("{name: r, pool: p}", "{mode: cookie, cookie: {nmae: x}}"), ConfigCodec.Format.YAML);
            throw new AssertionError("unknown field accepted");
        } catch (InvalidConfigException ex) {
            assertThat(ex.violations()).extracting(Violation::path).containsExactly("$.pools[0].affinity.cookie.nmae");
        }
    }
}
