package io.duet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.config.Affinity;
import io.duet.config.DuetConfig;
import io.duet.config.Pool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The affinity signing key is a secret like a private key: with it anyone can forge sticky cookies. No role reads it
 * from any endpoint; a document or a pool sent back as it was read keeps it; an export carries only its sealed form.
 */
class SigningKeyTest {
    private static final String KEY = "EUvaPMc1FtAPRHEcX0avLgS+cVY7+3sdjIBO8NZEVCE=";
    private static final String SEALED = "duet-sealed:v1:0123456789abcdef:bm9uY2UtY2lwaGVydGV4dC10YWctYnl0ZXM";
    @RegisterExtension
    final AdminFixtureExtension admin = new AdminFixtureExtension(NodeView.NONE);

    private static String stickyPool(String key) {
        return "{\"servers\":[{\"id\":\"s1\",\"address\":\"127.0.0.1\",\"port\":9001}],\"affinity\":{\"mode\":"
                + "\"cookie\",\"signingKey\":\"" + key + "\"}}";
    }

    // A viewer reads the document, the pool, the history, a diff and a dry run: the key is in none of them; neither
    // is it in what the admin who set it reads back.
    @Test
    void noRoleReadsTheSigningKey() throws Exception {
        AdminFixture.Client a = admin.fixture().loggedInAdmin("a-good-long-password");
        long before = admin.fixture().store.current().revision();
        HttpResponse<String> put = a.call("PUT", "/pools/sticky", stickyPool(KEY));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(admin.fixture().store.current().pool("sticky").affinity().signingKey()).isEqualTo(KEY);
        long rev = admin.fixture().store.current().revision();
        admin.fixture().addUser("vera", "viewer", "vera-password-123");
        AdminFixture.Client v = admin.fixture().new Client();
        assertThat(v.login("vera", "vera-password-123").statusCode()).isEqualTo(200);

        String doc = v.call("GET", "/config", null).body();
        List<HttpResponse<String>> reads = new ArrayList<>(List.of(
                v.call("GET", "/config", null),
                v.call("GET", "/pools", null),
                v.call("GET", "/pools/sticky", null),
                v.call("GET", "/config/history/" + rev, null),
                v.call("GET", "/config/diff?from=" + before + "&to=" + rev, null),
                v.call("POST", "/config/validate", doc),
                a.call("GET", "/pools/sticky", null),
                a.call("GET", "/config", null),
                a.call("GET", "/config/export", null)));
        for (HttpResponse<String> r : reads) {
            assertThat(r.statusCode()).as(r.uri() + " " + r.body()).isEqualTo(200);
        }
        reads.add(put);
        for (HttpResponse<String> r : reads) {
            assertThat(r.body()).as(r.uri().toString()).doesNotContain(KEY).doesNotContain("EUvaPMc1FtAPRHEc");
        }
        assertThat(AdminFixture.json(v.call("GET", "/pools/sticky", null)).at("/affinity/signingKey").asText())
                .isEqualTo("(hidden)");
    }

    // A pool and the whole document sent back as read (signingKey "(hidden)") keep the stored key; a new key can
    // still be set; a new pool cannot borrow a key it never had (422).
    @Test
    void whatWasReadCanBeSentBack() throws Exception {
        AdminFixture.Client a = admin.fixture().loggedInAdmin("a-good-long-password");
        assertThat(a.call("PUT", "/pools/sticky", stickyPool(KEY)).statusCode()).isEqualTo(201);

        ObjectNode pool = (ObjectNode) AdminFixture.json(a.call("GET", "/pools/sticky", null));
        pool.put("balancer", "least-connections");
        HttpResponse<String> back = a.call("PUT", "/pools/sticky", pool.toString());
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(admin.fixture().store.current().pool("sticky").balancer()).isEqualTo("least-connections");
        assertThat(admin.fixture().store.current().pool("sticky").affinity().signingKey()).isEqualTo(KEY);

        HttpResponse<String> get = a.call("GET", "/config", null);
        HttpResponse<String> whole = a.call("PUT", "/config", get.body(), "If-Match",
                get.headers().firstValue("ETag").orElseThrow());
        assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
        assertThat(admin.fixture().store.current().pool("sticky").affinity().signingKey()).isEqualTo(KEY);

        String other = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
        assertThat(a.call("PUT", "/pools/sticky", stickyPool(other)).statusCode()).isEqualTo(200);
        assertThat(admin.fixture().store.current().pool("sticky").affinity().signingKey()).isEqualTo(other);

        HttpResponse<String> borrowed = a.call("PUT", "/pools/new", stickyPool("(hidden)"));
        assertThat(borrowed.statusCode()).isEqualTo(422);
        assertThat(AdminFixture.json(borrowed).get("violations").toString())
                .contains("$.pools[1].affinity.signingKey");
    }

    // At rest the node seals the key; an export (a backup) carries that sealed form, which only the cluster's data
    // key opens, and GET still hides it.
    @Test
    void anExportCarriesOnlyTheSealedForm() throws Exception {
        AdminFixture.Client a = admin.fixture().loggedInAdmin("a-good-long-password");
        DuetConfig cur = admin.fixture().store.current();
        List<Pool> pools = new ArrayList<>(cur.pools());
        pools.add(new Pool("sticky", null, List.of(new io.duet.config.Server("s1", "127.0.0.1", 9001, null, null)),
                null, null, new Affinity(Affinity.COOKIE, SEALED, null, null, null, null)));
        admin.fixture().store.propose(cur.withPools(pools), cur.revision());

        JsonNode export = AdminFixture.json(a.call("GET", "/config/export", null));
        assertThat(export.at("/pools/0/affinity/signingKey").asText()).isEqualTo(SEALED);
        assertThat(export.has("admin")).isFalse();
        assertThat(a.call("GET", "/config", null).body()).doesNotContain(SEALED);
    }
}
