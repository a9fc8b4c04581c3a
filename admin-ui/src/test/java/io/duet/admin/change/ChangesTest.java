package io.duet.admin.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.admin.document.Redaction;
import io.duet.admin.message.AdminMessage;
import io.duet.config.Admin;
import io.duet.config.AdminUser;
import io.duet.config.ApiToken;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.Pool;
import io.duet.config.Server;
import io.duet.config.TlsCertificate;
import io.duet.config.build.ConfigBuilders;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Changes#apply} on documents, without HTTP or a store: each change's result, refusal and summary. */
class ChangesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nstored\n-----END PRIVATE KEY-----\n";

    private static DuetConfig doc() {
        Pool api = new Pool("api", null, List.of(new Server("s1", "127.0.0.1", 9001, null, null),
                new Server("s2", "127.0.0.1", 9002, null, null)));
        Admin admin = new Admin(List.of(new AdminUser("alice", "admin", "hash-a", false),
                new AdminUser("bob", "viewer", "hash-b", false)),
                List.of(new ApiToken("00000000000000t1", "ci", "operator", "sha", 1L, "alice", 2L)));
        return ConfigBuilders.document().revision(3).listener(new Listener("http", "127.0.0.1", 8080)).pool(api)
                .certificate(new TlsCertificate("site", "chain", KEY)).admin(admin).build();
    }

    private static ChangeRefused refused(Change c) {
        try {
            Changes.apply(doc(), c);
        } catch (ChangeRefused e) {
            return e;
        }
        throw new AssertionError("applied: " + c);
    }

    @Test
    void serverStateChangesOneServerOnly() throws Exception {
        Changes.Applied a = Changes.apply(doc(), new Change.SetServerState("api", "s2", "drain",
                "2030-01-01T00:00:00Z"));
        Server s2 = a.document().pool("api").servers().get(1);
        assertThat(s2.state()).isEqualTo("drain");
        assertThat(s2.drainUntil()).isEqualTo("2030-01-01T00:00:00Z");
        assertThat(a.document().pool("api").servers().get(0)).isEqualTo(doc().pool("api").servers().get(0));
        assertThat(a.document().revision()).isEqualTo(3L);
        assertThat(a.summary()).isEqualTo("server api/s2 drain until 2030-01-01T00:00:00Z");
        ChangeRefused e = refused(new Change.SetServerState("api", "s9", "enabled", null));
        assertThat(e.reason()).isEqualTo(ChangeRefused.Reason.NOT_FOUND);
        assertThat(e.id()).isEqualTo(AdminMessage.NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("no server s9 in pool api");
    }

    @Test
    void certificatesAreAddedReplacedAndRemovedByName() throws Exception {
        TlsCertificate other = new TlsCertificate("other", "chain2", "key2");
        Instant until = Instant.parse("2030-01-01T00:00:00Z");
        Changes.Applied added = Changes.apply(doc(), new Change.PutCertificate(other, false, "CN=o", until));
        assertThat(added.created()).isTrue();
        assertThat(added.document().certificates()).extracting(TlsCertificate::name).containsExactly("site", "other");
        assertThat(added.summary()).isEqualTo("certificate other added (CN=o, until 2030-01-01T00:00:00Z)");
        TlsCertificate site = new TlsCertificate("site", "chain3", "key3");
        Changes.Applied replaced = Changes.apply(doc(), new Change.PutCertificate(site, true, "CN=s", until));
        assertThat(replaced.created()).isFalse();
        assertThat(replaced.document().certificate("site").certificateChain()).isEqualTo("chain3");
        assertThat(refused(new Change.PutCertificate(site, false, "CN=s", until)).reason())
                .isEqualTo(ChangeRefused.Reason.EXISTS);
        assertThat(refused(new Change.PutCertificate(other, true, "CN=o", until)).reason())
                .isEqualTo(ChangeRefused.Reason.NOT_FOUND);
        assertThat(Changes.apply(doc(), new Change.DeleteCertificate("site")).document().certificates()).isEmpty();
        assertThat(refused(new Change.DeleteCertificate("nope")).getMessage()).isEqualTo("no certificate nope");
    }

    @Test
    void usersAreAddedChangedAndDeleted() throws Exception {
        Changes.Applied added = Changes.apply(doc(), new Change.AddUser("carol", "operator", "hash-c"));
        assertThat(added.document().admin().user("carol")).isEqualTo(new AdminUser("carol", "operator", "hash-c",
                true));
        assertThat(added.summary()).isEqualTo("user carol added (operator)");
        ChangeRefused exists = refused(new Change.AddUser("bob", "admin", "x"));
        assertThat(exists.reason()).isEqualTo(ChangeRefused.Reason.EXISTS);
        assertThat(exists.id()).isEqualTo(AdminMessage.EXISTS);

        AdminUser promoted = Changes.apply(doc(), new Change.UpdateUser("bob", "admin", null)).document().admin()
                .user("bob");
        assertThat(promoted).isEqualTo(new AdminUser("bob", "admin", "hash-b", false));
        Changes.Applied reset = Changes.apply(doc(), new Change.UpdateUser("bob", null, "hash-new"));
        assertThat(reset.document().admin().user("bob")).isEqualTo(new AdminUser("bob", "viewer", "hash-new", true));
        assertThat(reset.summary()).isEqualTo("user bob changed (password reset)");
        assertThat(refused(new Change.UpdateUser("nobody", "admin", null)).reason())
                .isEqualTo(ChangeRefused.Reason.NOT_FOUND);

        DuetConfig own = Changes.apply(reset.document(), new Change.ChangeOwnPassword("bob", "hash-own")).document();
        assertThat(own.admin().user("bob")).isEqualTo(new AdminUser("bob", "viewer", "hash-own", false));

        Changes.Applied deleted = Changes.apply(doc(), new Change.DeleteUser("bob"));
        assertThat(deleted.document().admin().users()).extracting(AdminUser::name).containsExactly("alice");
        assertThat(deleted.document().admin().apiTokens()).isEqualTo(doc().admin().apiTokens());
        assertThat(refused(new Change.DeleteUser("nobody")).getMessage()).isEqualTo("no user nobody");
    }

    @Test
    void apiTokensArePutAndRevoked() throws Exception {
        ApiToken t = new ApiToken("00000000000000t2", "deploy", "admin", "sha2", 10L, "alice", 86_400_010L);
        Changes.Applied put = Changes.apply(doc(), new Change.PutApiToken(t));
        assertThat(put.document().admin().apiTokens()).hasSize(2).last().isEqualTo(t);
        assertThat(put.summary()).isEqualTo("API token 00000000000000t2 (deploy, admin) created, expires "
                + "1970-01-02T00:00:00.010Z");
        assertThat(Changes.apply(doc(), new Change.RevokeApiToken("00000000000000t1")).document().admin()
                .apiTokens()).isEmpty();
        assertThat(refused(new Change.RevokeApiToken("nope")).getMessage()).isEqualTo("no API token nope");
    }

    @Test
    void wholeDocumentsKeepTheUsersTokensAndHiddenSecrets() throws Exception {
        // The document as the API showed it: the key reads (hidden); its users differ from the stored ones.
        DuetConfig shown = ConfigCodec.decode(Redaction.shown(doc()).toString(), ConfigCodec.Format.JSON)
                .withAdmin(new Admin(List.of(new AdminUser("mallory", "admin", "h", false)), List.of()));
        Changes.Applied replaced = Changes.apply(doc(), new Change.ReplaceDocument(shown, "edited"));
        assertThat(replaced.document().certificate("site").privateKey()).isEqualTo(KEY);
        assertThat(replaced.document().admin()).isEqualTo(doc().admin());
        assertThat(replaced.summary()).isEqualTo("edited");
        Changes.Applied imported = Changes.apply(doc(), new Change.ImportDocument(shown, "imported"));
        assertThat(imported.document()).isEqualTo(replaced.document());

        DuetConfig old = doc().withPools(List.of()).withAdmin(Admin.empty());
        Changes.Applied back = Changes.apply(doc(), new Change.Rollback(1, old));
        assertThat(back.document().pools()).isEmpty();
        assertThat(back.document().admin()).isEqualTo(doc().admin());
        assertThat(back.summary()).isEqualTo("rollback to revision 1");
    }

    private static DocumentPath path(String... parts) {
        return DocumentPath.of(List.of(parts)).orElseThrow();
    }

    @Test
    void partsAreCreatedReplacedAndRemovedInTheTree() throws Exception {
        JsonNode web = JSON.readTree("{\"servers\":[{\"id\":\"w1\",\"address\":\"127.0.0.1\",\"port\":9100}]}");
        Changes.Applied created = Changes.apply(doc(), new Change.PutPart(path("pools", "web"), web));
        assertThat(created.created()).isTrue();
        assertThat(created.document().pool("web").servers()).hasSize(1);
        assertThat(created.summary()).isEqualTo("pools/web added");
        assertThat(web.has("name")).as("the change's body is not touched").isFalse();

        JsonNode s1 = JSON.readTree("{\"address\":\"127.0.0.1\",\"port\":9999}");
        Changes.Applied replaced = Changes.apply(doc(), new Change.PutPart(path("pools", "api", "servers", "s1"), s1));
        assertThat(replaced.created()).isFalse();
        assertThat(replaced.document().pool("api").servers().get(0).port()).isEqualTo(9999);
        assertThat(replaced.summary()).isEqualTo("pools/api/servers/s1 changed");
        assertThat(replaced.document().certificate("site").privateKey()).as("secrets survive the tree").isEqualTo(KEY);
        assertThat(replaced.document().admin()).isEqualTo(doc().admin());

        Changes.Applied removed = Changes.apply(doc(), new Change.DeletePart(path("pools", "api", "servers", "s2")));
        assertThat(removed.document().pool("api").servers()).extracting(Server::id).containsExactly("s1");
        assertThat(removed.summary()).isEqualTo("pools/api/servers/s2 removed");

        ChangeRefused mismatch = refused(new Change.PutPart(path("pools", "x"), JSON.readTree("{\"name\":\"y\"}")));
        assertThat(mismatch.id()).isEqualTo(AdminMessage.NAME_MISMATCH);
        assertThat(mismatch.reason()).isEqualTo(ChangeRefused.Reason.INVALID);
        assertThat(mismatch.violations()).extracting(v -> v.path()).containsExactly("$.name");
        assertThat(refused(new Change.DeletePart(path("pools", "nope"))).reason())
                .isEqualTo(ChangeRefused.Reason.NOT_FOUND);
        assertThat(refused(new Change.PutPart(path("pools", "nope", "servers", "s1"), s1)).getMessage())
                .isEqualTo("no pools element 'nope'");
        assertThat(refused(new Change.PutPart(path("limits"), JSON.readTree("[]"))).reason())
                .isEqualTo(ChangeRefused.Reason.MALFORMED);
        assertThat(refused(new Change.PutPart(path("limits"), JSON.readTree("{\"maxHeaderCount\":\"x\"}"))).id())
                .isEqualTo(AdminMessage.INVALID_DOCUMENT);
    }

    @Test
    void documentPathsNameOnlyTheDocumentsParts() {
        assertThat(DocumentPath.of(List.of("pools"))).get().matches(DocumentPath::collection);
        assertThat(DocumentPath.of(List.of("limits"))).get().matches(DocumentPath::singleton);
        assertThat(DocumentPath.of(List.of("pools", "api", "servers"))).get().matches(DocumentPath::collection);
        assertThat(DocumentPath.of(List.of("pools", "api", "servers", "s1"))).get()
                .matches(p -> !p.collection() && !p.singleton());
        assertThat(DocumentPath.of(List.of("pools", "api", "routes"))).isEmpty();
        assertThat(DocumentPath.of(List.of("limits", "x"))).isEmpty();
        assertThat(DocumentPath.of(List.of("users"))).isEmpty();
        assertThat(DocumentPath.of(List.of())).isEmpty();
    }

    @Test
    void everyChangeNamesItsType() {
        assertThat(new Change.SetServerState("p", "s", "drain", null).type()).isEqualTo("SetServerState");
        assertThat(new Change.RevokeApiToken("x").type()).isEqualTo("RevokeApiToken");
        assertThat(Change.class.getPermittedSubclasses()).hasSize(14);
    }
}
