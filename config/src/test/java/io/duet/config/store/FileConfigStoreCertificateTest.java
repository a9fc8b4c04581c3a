package io.duet.config.store;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.duet.config.CertificateCheck;
import io.duet.config.ConfigCodec;
import io.duet.config.ConfigCodec.Format;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.ProposalValidator;
import io.duet.config.RouteMatch;
import io.duet.config.TlsCertificate;
import io.duet.config.Violation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.duet.config.build.ConfigBuilders.document;
import static io.duet.config.build.ConfigBuilders.forward;
import static io.duet.config.build.ConfigBuilders.httpsListener;
import static io.duet.config.build.ConfigBuilders.pool;
import static io.duet.config.build.ConfigBuilders.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The file store checks the certificate material of edits and proposals with its validator before it commits them.
 * The check stands for the tls module's (config cannot see it): it refuses the key {@code MIIC}.
 */
class FileConfigStoreCertificateTest {
    private static final String CHAIN = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static final String GOOD_KEY = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";
    private static final String BAD_KEY = "-----BEGIN PRIVATE KEY-----\nMIIC\n-----END PRIVATE KEY-----\n";
    private static final CertificateCheck CHECK = (proposed, committed) -> proposed.privateKey().contains("MIIC")
            ? List.of(Violation.error("privateKey", "DUET-TLS-0006", "privateKey: the private key belongs to none "
            + "of the certificates (leaf expected: www)")) : List.of();

    @TempDir
    Path dir;
    private FileConfigStore store;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger storeLogger = (Logger) LoggerFactory.getLogger(FileConfigStore.class);

    @BeforeEach
    void captureLogs() {
        logs.list = new CopyOnWriteArrayList<>(); // appended by the watch thread while the test reads it
        logs.start();
        storeLogger.addAppender(logs);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
        storeLogger.detachAppender(logs);
    }

    static DuetConfig doc(long revision, int serverPort, String key) {
        return document().revision(revision)
                .listener(httpsListener("web", "127.0.0.1", 0, "www"))
                .virtualHost(virtualHost("v").defaultHost().route(forward("all", RouteMatch.any(), "p")))
                .pool(pool("p").server("127.0.0.1", serverPort))
                .certificate(new TlsCertificate("www", CHAIN, key))
                .build();
    }

    private Path write(DuetConfig config) throws Exception {
        Path file = dir.resolve("duet.json");
        Files.writeString(file, ConfigCodec.encode(config, Format.JSON));
        return file;
    }

    // An edit of the file with a key the check refuses is logged with the finding and its path; the document in
    // force stays, and the next good edit is taken.
    @Test
    void fileEditWithARefusedKeyIsRejected() throws Exception {
        Path file = write(doc(1, 9000, GOOD_KEY));
        store = FileConfigStore.open(file, new ProposalValidator(CHECK));
        List<DuetConfig> seen = new CopyOnWriteArrayList<>();
        store.subscribe(seen::add);

        write(doc(1, 9001, BAD_KEY));
        await().untilAsserted(() -> assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .startsWith("DUET-CONFIG-0100 config file " + file + " rejected, still running revision 1:")
                .contains("DUET-TLS-0006 $.certificates[0].privateKey: privateKey: the private key belongs to none")));
        assertThat(store.current()).isEqualTo(doc(1, 9000, GOOD_KEY));
        assertThat(seen).isEmpty();

        write(doc(1, 9002, GOOD_KEY));
        await().untilAsserted(() -> assertThat(store.current()).isEqualTo(doc(2, 9002, GOOD_KEY)));
    }

    // A proposal with a refused key throws with the finding; nothing is written or committed. The dry run reports
    // the same without committing.
    @Test
    void proposalWithARefusedKeyIsNotCommitted() throws Exception {
        Path file = write(doc(3, 9000, GOOD_KEY));
        store = FileConfigStore.open(file, new ProposalValidator(CHECK));
        String before = Files.readString(file);

        assertThat(store.validate(doc(0, 9000, BAD_KEY))).extracting(Violation::path)
                .containsExactly("$.certificates[0].privateKey");
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> store.propose(doc(0, 9000, BAD_KEY), 3));
        assertThat(e).isNotNull();
        assertThat(e.violations()).extracting(Violation::id).containsExactly("DUET-TLS-0006");
        assertThat(store.current().revision()).isEqualTo(3);
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    // A certificate committed as it is (here one the check would refuse, as a certificate that expired since) does
    // not stop edits of the rest of the document.
    @Test
    void committedCertificateIsNotCheckedAgain() throws Exception {
        Path file = write(doc(1, 9000, BAD_KEY));
        store = FileConfigStore.open(file, new ProposalValidator(CHECK));
        assertThat(store.propose(doc(0, 9001, BAD_KEY), 1).revision()).isEqualTo(2);
        write(doc(2, 9002, BAD_KEY));
        await().untilAsserted(() -> assertThat(store.current()).isEqualTo(doc(3, 9002, BAD_KEY)));
    }
}
