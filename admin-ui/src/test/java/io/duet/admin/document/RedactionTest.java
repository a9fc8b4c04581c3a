package io.duet.admin.document;

import com.fasterxml.jackson.databind.JsonNode;
import io.duet.config.Admin;
import io.duet.config.AdminUser;
import io.duet.config.ApiToken;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.TlsCertificate;
import io.duet.config.build.ConfigBuilders;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one redaction policy on documents: what each mode hides, and secrets sent back hidden kept. */
class RedactionTest {
    private static final String SEALED = "duet-sealed:v1:0123456789abcdef:c2VhbGVk";

    private static DuetConfig doc() {
        Admin admin = new Admin(List.of(new AdminUser("alice", "admin", "hash-a", false)),
                List.of(new ApiToken("00000000000000t1", "ci", "viewer", "sha", 1L, "alice")));
        return ConfigBuilders.document().revision(2).listener(new Listener("http", "127.0.0.1", 8080))
                .certificate(new TlsCertificate("clear", "chain", "clear-key", "pass", null))
                .certificate(new TlsCertificate("sealed", "chain", SEALED)).admin(admin).build();
    }

    @Test
    void shownHidesEverySecret() {
        JsonNode shown = Redaction.redact(doc(), Redaction.Mode.SHOWN);
        assertThat(shown.toString()).doesNotContain("clear-key", SEALED, "hash-a", "\"sha\"", "\"pass\"");
        assertThat(shown.at("/certificates/0/privateKey").asText()).isEqualTo(Redaction.HIDDEN);
        assertThat(shown.at("/certificates/0/passphrase").asText()).isEqualTo(Redaction.HIDDEN);
        assertThat(shown.at("/certificates/1/privateKey").asText()).isEqualTo(Redaction.HIDDEN);
        assertThat(shown.at("/admin/users/0/passwordHash").asText()).isEqualTo(Redaction.HIDDEN);
        assertThat(shown.at("/admin/apiTokens/0/sha256").asText()).isEqualTo(Redaction.HIDDEN);
        assertThat(shown.at("/certificates/0/certificateChain").asText()).isEqualTo("chain");
        assertThat(Redaction.shown(doc())).isEqualTo(shown);
    }

    @Test
    void exportedKeepsOnlySealedKeysAndNoUsers() {
        JsonNode exported = Redaction.redact(doc(), Redaction.Mode.EXPORTED);
        assertThat(exported.at("/certificates/1/privateKey").asText()).isEqualTo(SEALED);
        assertThat(exported.at("/certificates/0/privateKey").asText()).isEqualTo(Redaction.HIDDEN);
        assertThat(exported.at("/certificates/0/passphrase").asText()).isEqualTo(Redaction.HIDDEN);
        assertThat(exported.has("admin")).isFalse();
    }

    @Test
    void aDocumentSentBackHiddenKeepsTheStoredSecrets() throws Exception {
        DuetConfig sentBack = ConfigCodec.decode(Redaction.shown(doc()).toString(), ConfigCodec.Format.JSON);
        DuetConfig kept = Redaction.keepHidden(sentBack, doc());
        assertThat(kept.certificate("clear").privateKey()).isEqualTo("clear-key");
        assertThat(kept.certificate("clear").passphrase()).isEqualTo("pass");
        assertThat(kept.certificate("sealed").privateKey()).isEqualTo(SEALED);
        assertThat(kept.admin()).isEqualTo(doc().admin());
        DuetConfig plain = doc().withCertificates(List.of());
        assertThat(Redaction.keepHidden(plain, doc())).as("nothing hidden: the same instance").isSameAs(plain);
    }
}
