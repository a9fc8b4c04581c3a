package io.duet.appliance;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.cli.ConfigCommand;
import io.duet.appliance.cli.ExampleCommand;
import io.duet.appliance.node.EmbeddedDocuments;
import io.duet.config.ConfigCodec;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.Violation;
import io.duet.config.VirtualHost;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code duet check}, {@code duet example} and the generated documents against the real codec and validator of the
 * config module. Tagged: they need ConfigCodec and ConfigValidator, which are stubs until the config branch lands.
 */
@Tag("needs-dataplane")
@Tag("needs-config")
class ConfigDocumentsTest {
    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {
    }

    private static Result duet(String... args) {
        CommandLine cmd = Main.commandLine(Map.of(), Path.of("/nonexistent/duet.properties"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return new Result(cmd.execute(args), out.toString(), err.toString());
    }

    private static NodeBootstrap bootstrap() throws StartupException {
        return BootstrapReader.read(null, Path.of("/nonexistent/duet.properties"), Map.of("DUET_NODE_ID", "n1"));
    }

    private static DuetConfig demo() throws StartupException {
        return EmbeddedDocuments.demo(bootstrap(), new InetSocketAddress("127.0.0.1", 4001),
                new InetSocketAddress("127.0.0.1", 4002));
    }

    // The generated welcome and demo documents pass the validator without errors.
    @Test
    void generatedDocumentsAreValid() throws Exception {
        for (DuetConfig doc : List.of(EmbeddedDocuments.welcome(bootstrap()), demo())) {
            assertThat(ConfigValidator.validate(doc)).noneMatch(Violation::isError);
        }
    }

    // EmbeddedDocuments.write produces a file the codec reads back to the same document.
    @Test
    void writtenDocumentReadsBack() throws Exception {
        Path f = dir.resolve("sub/config.json");
        EmbeddedDocuments.write(demo(), f);

        assertThat(ConfigCodec.decode(Files.readString(f), ConfigCodec.Format.JSON)).isEqualTo(demo());
        assertThat(Files.list(f.getParent())).containsExactly(f); // no temp file left behind
    }

    // check on a valid JSON document: exit 0 and a "valid" summary.
    @Test
    void checkValidJson() throws Exception {
        Path f = dir.resolve("ok.json");
        Files.writeString(f, ConfigCodec.encode(demo(), ConfigCodec.Format.JSON));

        Result r = duet("check", f.toString());

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains(f + ": valid, revision 1");
    }

    // check reads YAML when the file name ends in .yaml.
    @Test
    void checkValidYaml() throws Exception {
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, ConfigCodec.encode(demo(), ConfigCodec.Format.YAML));

        assertThat(duet("check", f.toString()).exitCode()).isZero();
    }

    // check on an invalid document prints every violation with its id and JSON path, and exits 1.
    @Test
    void checkInvalidDocumentListsEveryViolation() throws Exception {
        DuetConfig bad = new DuetConfig(1L, demo().listeners(), null, null, null,
                List.of(new VirtualHost("demo", List.of("demo.local"), true,
                        List.of(Route.forward("all", RouteMatch.any(), "no-such-pool")))),
                List.of(new Pool("demo", Pool.ROUND_ROBIN, List.of(new Server("127.0.0.1", 70000)))));
        Path f = dir.resolve("bad.json");
        Files.writeString(f, ConfigCodec.encode(bad, ConfigCodec.Format.JSON));

        Result r = duet("check", f.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("$.pools[0].servers[0].port", "$.virtualHosts[0].routes[0].pool",
                f + ": invalid (");
        assertThat(r.out().lines().filter(l -> !l.startsWith(f.toString())))
                .hasSizeGreaterThanOrEqualTo(2)
                .allMatch(l -> l.matches("DUET-[A-Z]+-\\d{4} \\$\\S*: .+"), "id, path, message");
    }

    // check on a file with a syntax error reports it as a violation and exits 1 (not a crash).
    @Test
    void checkSyntaxError() throws Exception {
        Path f = dir.resolve("broken.json");
        Files.writeString(f, "{ \"revision\": 1, \"listeners\": [ ");

        Result r = duet("check", f.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("DUET-", "invalid");
        assertThat(r.err()).isEmpty();
    }

    // The example document shipped by the config module is printed verbatim and passes check.
    @Test
    void examplePassesCheck() throws Exception {
        String expected;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ExampleCommand.RESOURCE)) {
            assumeTrue(in != null, "the config module does not ship " + ExampleCommand.RESOURCE + " yet");
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Result example = duet("example");
        Path f = dir.resolve("example.yaml");
        Files.writeString(f, example.out());

        assertThat(example.exitCode()).isZero();
        assertThat(example.out()).isEqualTo(expected);
        Result check = duet("check", f.toString());
        assertThat(check.exitCode()).as(check.out()).isZero();
    }

    // An imported document without admin users keeps the current ones (nobody is locked out of the admin UI); one
    // with users replaces them (a restore).
    @org.junit.jupiter.api.Test
    void importKeepsTheAdminUsersWhenTheDocumentHasNone() {
        io.duet.config.DuetConfig current = new io.duet.config.DuetConfig(3L, java.util.List.of(), null, null, null,
                java.util.List.of(), java.util.List.of()).withAdmin(new io.duet.config.Admin(java.util.List.of(
                new io.duet.config.AdminUser("alice", "admin", "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", false)),
                null));
        io.duet.config.DuetConfig imported = new io.duet.config.DuetConfig(1L, java.util.List.of(), null, null, null,
                java.util.List.of(), java.util.List.of());
        org.assertj.core.api.Assertions.assertThat(ConfigCommand.keepUsers(imported, current).admin().user("alice"))
                .isNotNull();
        io.duet.config.DuetConfig restore = imported.withAdmin(new io.duet.config.Admin(java.util.List.of(
                new io.duet.config.AdminUser("bob", "admin", "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", false)), null));
        org.assertj.core.api.Assertions.assertThat(ConfigCommand.keepUsers(restore, current).admin().users())
                .extracting(io.duet.config.AdminUser::name).containsExactly("bob");
    }
}
