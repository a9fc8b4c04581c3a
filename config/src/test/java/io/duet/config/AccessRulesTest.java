package io.duet.config;

import org.junit.jupiter.api.Test;

import static io.duet.config.ConfigValidatorTest.e;
import static io.duet.config.ConfigValidatorTest.errors;
import static io.duet.config.ConfigValidatorTest.warnings;
import static org.assertj.core.api.Assertions.assertThat;

/** Address lists, access rules and match.sources: every rule of AccessRules at its path with its id. */
class AccessRulesTest {
    private static final String POOL = "pools: [{name: p, servers: [{address: 10.0.0.1, port: 80}]}]\n";

    private static String doc(String lists, String listenerAccess, String routeExtra) {
        return "listeners: [{name: web, port: 8080" + (listenerAccess == null ? "" : ", access: " + listenerAccess)
                + "}]\n"
                + (lists == null ? "" : "addressLists: " + lists + "\n")
                + "virtualHosts:\n  - name: v\n    defaultHost: true\n    routes:\n      - name: r\n        pool: p\n"
                + (routeExtra == null ? "" : routeExtra)
                + POOL;
    }

    // A document using lists, blocks and every action the right way is clean: no error, no warning.
    @Test
    void validRulesAreClean() {
        String d = doc("[{name: office, addresses: [192.0.2.0/24, '2001:db8::/32', 198.51.100.7]}]",
                "{deny: [203.0.113.0/24], action: tarpit, tarpitMs: 2000}",
                "        match: {sources: [office, '::1']}\n"
                        + "        access: {allow: [office], action: redirect, status: 307, location: 'https://{host}/login'}\n");
        assertThat(errors(d)).isEmpty();
        assertThat(warnings(d)).isEmpty();
    }

    // Defaults: deny with 403; redirect with 302; tarpit held 5 s.
    @Test
    void defaults() {
        assertThat(new AccessRule(null, null, null, null, null, null).status()).isEqualTo(403);
        assertThat(new AccessRule(null, null, "redirect", null, null, "/x").status()).isEqualTo(302);
        assertThat(new AccessRule(null, null, "tarpit", null, null, null).tarpitMs()).isEqualTo(5000L);
        assertThat(new AccessRule(null, null, "deny", null, null, null).tarpitMs()).isNull();
    }

    // A bad CIDR block is 0017 wherever it stands: in a list, in allow, deny and sources.
    @Test
    void badBlocksAre0017() {
        String d = doc("[{name: office, addresses: [10.0.0.0/33]}]", "{allow: [office, '10.0.0.0/8x']}",
                "        match: {sources: ['fd00::/129']}\n        access: {deny: [300.1.1.1]}\n");
        assertThat(errors(d)).extracting(Violation::path, Violation::id).containsExactlyInAnyOrder(
                e("$.addressLists[0].addresses[0]", 17), e("$.listeners[0].access.allow[1]", 17),
                e("$.virtualHosts[0].routes[0].match.sources[0]", 17),
                e("$.virtualHosts[0].routes[0].access.deny[0]", 17));
    }

    // An entry that is no address names a list; an unknown one is 0360, listing the known names.
    @Test
    void unknownListIs0360() {
        String d = doc("[{name: office, addresses: [10.0.0.0/8]}]", "{allow: [office]}",
                "        match: {sources: [ofice]}\n");
        assertThat(errors(d)).extracting(Violation::path, Violation::id)
                .containsExactly(e("$.virtualHosts[0].routes[0].match.sources[0]", 360));
        assertThat(errors(d).get(0).message()).contains("'ofice'", "known: office");
    }

    // Two lists with one name: 0013 at the second.
    @Test
    void duplicateListNamesAre0013() {
        String d = doc("[{name: a, addresses: [10.0.0.0/8]}, {name: a, addresses: [10.1.0.0/16]}]",
                "{allow: [a]}", null);
        assertThat(errors(d)).extracting(Violation::path, Violation::id).containsExactly(e("$.addressLists[1].name", 13));
    }

    // An empty list is a warning (0361): it matches nobody.
    @Test
    void emptyListWarns0361() {
        String d = doc("[{name: nobody, addresses: []}]", "{deny: [nobody]}", null);
        assertThat(errors(d)).isEmpty();
        assertThat(warnings(d)).extracting(Violation::path, Violation::id)
                .containsExactly(e("$.addressLists[0].addresses", 361));
    }

    // Host bits set: accepted, normalised to the network, with a warning (0362) naming the block used.
    @Test
    void hostBitsWarn0362() {
        String d = doc("[{name: a, addresses: [10.1.2.3/8, '2001:db8::1/32']}]", "{allow: [a, 192.0.2.9/24]}", null);
        assertThat(errors(d)).isEmpty();
        assertThat(warnings(d)).extracting(Violation::path, Violation::id).containsExactly(
                e("$.addressLists[0].addresses[0]", 362), e("$.addressLists[0].addresses[1]", 362),
                e("$.listeners[0].access.allow[1]", 362));
        assertThat(warnings(d).get(0).message()).contains("10.0.0.0/8");
        assertThat(warnings(d).get(1).message()).contains("2001:db8:0:0:0:0:0:0/32");
    }

    // A list nobody names is a warning (0363).
    @Test
    void unusedListWarns0363() {
        String d = doc("[{name: spare, addresses: [10.0.0.0/8]}]", null, null);
        assertThat(warnings(d)).extracting(Violation::path, Violation::id).containsExactly(e("$.addressLists[0]", 363));
    }

    // A rule with neither allow nor deny is 0364.
    @Test
    void emptyRuleIs0364() {
        assertThat(errors(doc(null, "{action: deny}", null))).extracting(Violation::path, Violation::id)
                .containsExactly(e("$.listeners[0].access", 364));
    }

    // Status: outside 300-599 is 0012; a deny below 400 or a redirect not 301/302/303/307/308 is 0365.
    @Test
    void statusRanges() {
        assertThat(errors(doc(null, "{deny: [10.0.0.0/8], status: 200}", null)))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.listeners[0].access.status", 12));
        assertThat(errors(doc(null, "{deny: [10.0.0.0/8], status: 302}", null)))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.listeners[0].access.status", 365));
        assertThat(errors(doc(null, "{deny: [10.0.0.0/8], action: redirect, location: /x, status: 403}", null)))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.listeners[0].access.status", 365));
        assertThat(errors(doc(null, "{deny: [10.0.0.0/8], action: tarpit, status: 429}", null))).isEmpty();
    }

    // tarpitMs: 1-60000 (0012), and only for tarpit (0367).
    @Test
    void tarpitMs() {
        assertThat(errors(doc(null, "{deny: [10.0.0.0/8], action: tarpit, tarpitMs: 60001}", null)))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.listeners[0].access.tarpitMs", 12));
        assertThat(errors(doc(null, "{deny: [10.0.0.0/8], action: tarpit, tarpitMs: 0}", null)))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.listeners[0].access.tarpitMs", 12));
        assertThat(errors(doc(null, "{deny: [10.0.0.0/8], tarpitMs: 100}", null)))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.listeners[0].access.tarpitMs", 367));
    }

    // location: required for redirect (0366), only for redirect (0367), known placeholders only (0018).
    @Test
    void location() {
        assertThat(errors(doc(null, "{deny: [10.0.0.0/8], action: redirect}", null)))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.listeners[0].access.location", 366));
        assertThat(errors(doc(null, "{deny: [10.0.0.0/8], location: /x}", null)))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.listeners[0].access.location", 367));
        assertThat(errors(doc(null, "{deny: [10.0.0.0/8], action: redirect, location: '/{nope}'}", null)))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.listeners[0].access.location", 18));
    }

    // An unknown action is 0014.
    @Test
    void unknownAction() {
        assertThat(errors(doc(null, "{deny: [10.0.0.0/8], action: drop}", null)))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.listeners[0].access.action", 14));
    }

    // A list name that looks like an address is refused (0368): what an entry is never depends on the lists.
    @Test
    void listNameSyntaxIs0368() {
        String d = doc("[{name: '10net', addresses: [10.0.0.0/8]}]", "{allow: [10.0.0.0/8]}", null);
        assertThat(errors(d)).extracting(Violation::path, Violation::id).containsExactly(e("$.addressLists[0].name", 368));
    }

    // A route with sources is never called shadowed by an earlier path-only route's twin, and does not shadow
    // a later catch-all (0066): it matches only some clients.
    @Test
    void sourcesDoNotShadow() {
        String d = "listeners: [{name: web, port: 8080}]\n"
                + "addressLists: [{name: office, addresses: [10.0.0.0/8]}]\n"
                + "virtualHosts:\n  - name: v\n    defaultHost: true\n    routes:\n"
                + "      - {name: admin-office, match: {path: {prefix: /admin}, sources: [office]}, pool: p}\n"
                + "      - {name: admin-rest, match: {path: {prefix: /admin}}, pool: p}\n"
                + "      - {name: all, match: {path: {prefix: /}}, pool: p}\n" + POOL;
        assertThat(errors(d)).isEmpty();
        assertThat(warnings(d)).isEmpty();
    }
}
