package io.duet.appliance;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.node.EmbeddedDocuments;
import io.duet.appliance.node.Node;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.config.TlsCertificate;
import io.duet.config.store.FileConfigStore;
import io.duet.testkit.tls.Issued;
import io.duet.testkit.tls.TestPki;
import io.duet.tls.KeyVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A standalone node refuses certificate material its data plane could not load before it becomes a revision: an
 * edit of config.file is logged with every finding and the running configuration stays; {@code duet config import}
 * exits 1 with the findings; {@code duet check} reports them too.
 */
@Tag("needs-dataplane")
class CertificateFileEditTest {
    private static final String HOST = "www.site.test";

    @TempDir
    Path dir;
    private Node node;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger storeLogger = (Logger) LoggerFactory.getLogger(FileConfigStore.class);

    @BeforeEach
    void captureLogs() {
        logs.list = new CopyOnWriteArrayList<>(); // appended by the watch thread while the test reads it
        logs.start();
        storeLogger.addAppender(logs);
    }

    @AfterEach
    void stop() {
        storeLogger.detachAppender(logs);
        if (node != null) {
            node.close();
        }
    }

    private Map<String, String> env() {
        return Map.of("DUET_NODE_ID", "solo", "DUET_DATA_DIR", dir.resolve("data").toString(),
                "DUET_PROXY_ADDRESS", "127.0.0.1", "DUET_PROXY_PORT", "0", "DUET_PROXY_TLS_PORT", "0",
                "DUET_MANAGEMENT_PORT", "0", "DUET_ADMIN_PORT", "0", "DUET_IO_THREADS", "1");
    }

    private record Cli(int code, String out) {
    }

    private Cli duet(String... args) {
        StringWriter out = new StringWriter();
        picocli.CommandLine c = Main.commandLine(env(), dir.resolve("absent.properties"));
        c.setOut(new PrintWriter(out, true));
        c.setErr(new PrintWriter(new StringWriter(), true));
        return new Cli(c.execute(args), out.toString());
    }

    /** Starts the node and waits for its own first commit (the first admin user), so nothing else commits later. */
    private void startNode() throws Exception {
        node = Node.start(BootstrapReader.read(null, dir.resolve("absent.properties"), env()), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> !node.store().current().admin().users().isEmpty());
    }

    private static DuetConfig withCertificate(DuetConfig cur, TlsCertificate c) {
        List<Listener> listeners = new ArrayList<>(cur.listeners());
        listeners.add(new Listener("site", "127.0.0.1", 0, "https", null,
                new ListenerTls(List.of("site"), null, null, null, null)));
        return new DuetConfig(cur.revision(), listeners, cur.limits(), cur.forwarding(), cur.accessLog(),
                cur.virtualHosts(), cur.pools(), List.of(c), cur.vips(), cur.admin());
    }

    // An edit of config.file whose key belongs to another certificate is refused: DUET-CONFIG-0100 with the
    // finding's id and path in the log, the running revision and listeners untouched; a good edit is then taken.
    @Test
    void fileEditWithAMismatchedKeyIsRefused() throws Exception {
        startNode();
        Path file = node.configFile();
        DuetConfig running = node.store().current();
        TestPki root = TestPki.root("Duet File Test Root");
        Issued site = root.leaf(HOST);
        Issued other = root.leaf("other.site.test");

        Files.writeString(file, ConfigCodec.encode(withCertificate(running, new TlsCertificate("site",
                Issued.pem(site), Issued.clearKey(other.key()))), ConfigCodec.Format.JSON));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logs.list).anySatisfy(e -> assertThat(
                e.getFormattedMessage()).startsWith("DUET-CONFIG-0100 config file " + file + " rejected, still "
                + "running revision " + running.revision() + ":").contains("DUET-TLS-0006 $.certificates[0]"
                + ".privateKey: privateKey: the private key belongs to none of the certificates")));
        assertThat(node.store().current()).isEqualTo(running);
        assertThatThrownBy(() -> node.listenerAddress("site")).hasMessageContaining("no listener named 'site'");

        Files.writeString(file, ConfigCodec.encode(withCertificate(running, new TlsCertificate("site",
                Issued.pem(site), Issued.clearKey(site.key()))), ConfigCodec.Format.JSON));
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(
                node.listenerAddress("site").getPort()).isPositive());
        assertThat(node.store().current().revision()).isGreaterThan(running.revision());
    }

    // duet config import against the running node's file: exit 1 with the finding; nothing committed.
    @Test
    void configImportWithAMismatchedKeyIsRefused() throws Exception {
        startNode();
        DuetConfig running = node.store().current();
        TestPki root = TestPki.root("Duet File Test Root");
        Issued site = root.leaf(HOST);
        Path edited = dir.resolve("edited.json");
        Files.writeString(edited, ConfigCodec.encode(withCertificate(running, new TlsCertificate("site",
                Issued.pem(site), Issued.clearKey(root.leaf("x.site.test").key()))),
                ConfigCodec.Format.JSON));
        Cli imported = duet("config", "import", edited.toString());
        assertThat(imported.code()).isEqualTo(ExitCodes.INVALID_DOCUMENT);
        assertThat(imported.out()).contains("DUET-TLS-0006 $.certificates[0].privateKey: privateKey: the private "
                + "key belongs to none").contains(edited + ": invalid, nothing imported (1 error(s))");
        assertThat(node.store().current()).isEqualTo(running);
        assertThat(ConfigCodec.decode(Files.readString(node.configFile()), ConfigCodec.Format.JSON))
                .isEqualTo(running);
    }

    // duet check reads the material as new: a mismatched key is an error; a sealed key is not opened (a warning).
    @Test
    void checkReportsCertificateFindings() throws Exception {
        DuetConfig base = EmbeddedDocuments.welcome(BootstrapReader.read(null, dir.resolve("absent.properties"),
                env()));
        TestPki root = TestPki.root("Duet Check Root");
        Issued site = root.leaf(HOST);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, ConfigCodec.encode(withCertificate(base, new TlsCertificate("site",
                Issued.pem(site), Issued.clearKey(root.leaf("x.site.test").key()))),
                ConfigCodec.Format.JSON));
        Cli checked = duet("check", bad.toString());
        assertThat(checked.code()).isEqualTo(ExitCodes.INVALID_DOCUMENT);
        assertThat(checked.out()).contains("DUET-TLS-0006 $.certificates[0].privateKey: ");

        Path sealed = dir.resolve("sealed.json");
        Files.writeString(sealed, ConfigCodec.encode(withCertificate(base, new TlsCertificate("site",
                Issued.pem(site), KeyVault.open(dir.resolve("keys")).seal(site.key()))), ConfigCodec.Format.JSON));
        Cli warned = duet("check", sealed.toString());
        assertThat(warned.code()).as(warned.out()).isZero();
        assertThat(warned.out()).contains("DUET-CONFIG-0301 $.certificates[0].privateKey: privateKey: sealed");
    }
}
