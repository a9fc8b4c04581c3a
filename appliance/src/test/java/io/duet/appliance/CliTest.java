package io.duet.appliance;

import io.duet.appliance.bootstrap.Version;
import io.duet.appliance.cli.ExampleCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command tree as a user drives it: arguments in, exit code and output out. Nothing here starts a node. */
class CliTest {
    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {
    }

    private Result run(String... args) {
        return run(Main.commandLine(Map.of(), dir.resolve("absent-duet.properties")), args);
    }

    private static Result run(CommandLine cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    // duet --help lists the commands and the exit code table.
    @Test
    void rootHelp() {
        Result r = run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: duet", "run ", "check ", "example ", "Exit codes:",
                "0    success", "1    the configuration document is invalid", "2    usage error", "70   internal");
    }

    // Every command has --help (with the exit code table) and --version (with the build's version).
    // The list is read from the command tree, so a new command cannot miss it.
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("allCommands")
    void everyCommandHasHelpAndVersion(String command) {
        String[] words = command.split(" ");
        Result help = run(append(words, "--help"));
        Result version = run(append(words, "--version"));

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: duet " + command, "--help", "--version", "Exit codes:");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("Duet " + Version.current());
        assertThat(Version.current()).isNotEqualTo("unknown").doesNotContain("${");
    }

    // duet(1) is made from the command tree: every visible command has its section with its help, the exit codes
    // are listed once, and nothing in it depends on the day it was made.
    @Test
    void manPageCoversEveryCommand() {
        Result r = run("manpage");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith(".TH DUET 1 ").contains(".SH COMMANDS", ".SH EXIT STATUS", ".SH FILES");
        for (String command : allCommands()) {
            if (!command.equals("manpage")) {
                assertThat(r.out()).as(command).contains(".SS \"duet " + command.replace("-", "\\-") + "\"");
            }
        }
        assertThat(r.out()).doesNotContain("Exit codes:").isEqualTo(run("manpage").out());
        assertThat(r.out().lines().filter(l -> l.startsWith(".") && !l.startsWith(".\\")).map(l -> l.split(" ")[0]))
                .allMatch(m -> java.util.Set.of(".TH", ".SH", ".SS", ".nf", ".fi", ".TP", ".B", ".I", ".BR").contains(m));
    }

    static java.util.List<String> allCommands() {
        java.util.List<String> out = new java.util.ArrayList<>();
        collect(Main.commandLine(Map.of(), Path.of("/nonexistent/duet.properties")), "", out);
        assertThat(out).contains("run", "witness", "cluster init", "cluster join", "cluster token", "cluster status",
                "cluster handoff", "cluster release-vips", "config export", "tls check");
        return out;
    }

    private static void collect(picocli.CommandLine c, String prefix, java.util.List<String> out) {
        c.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                String full = prefix.isEmpty() ? name : prefix + " " + name;
                out.add(full);
                collect(sub, full, out);
            }
        });
    }

    private static String[] append(String[] words, String last) {
        String[] out = java.util.Arrays.copyOf(words, words.length + 1);
        out[words.length] = last;
        return out;
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static String pkcs8(java.security.PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[]{'\n'})
                .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    // duet tls check: the chain, names, key and validity of a good certificate, whether hosts are covered (exit 0
    // or 1); a key of another certificate is refused with its DUET-TLS id (exit 1).
    @Test
    void tlsCheck() throws Exception {
        java.time.Clock clock = java.time.Clock.systemUTC();
        io.duet.tls.CertifiedKey a = io.duet.tls.SelfSigned.issue(java.util.List.of("www.a.test", "*.a.test"),
                java.time.Duration.ofDays(90), clock);
        io.duet.tls.CertifiedKey b = io.duet.tls.SelfSigned.issue(java.util.List.of("b.test"),
                java.time.Duration.ofDays(90), clock);
        Path cert = write("a.pem", io.duet.tls.Pem.certificates(a.chain()));
        Path key = write("a.key", pkcs8(a.key()));
        Path other = write("b.key", pkcs8(b.key()));

        Result ok = run("tls", "check", "--cert", cert.toString(), "--key", key.toString(), "--host", "api.a.test");
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).contains("names    www.a.test, *.a.test", "key      EC P-256", "days left",
                "host     api.a.test: covered", "ok: Duet would import this certificate");

        Result uncovered = run("tls", "check", "--cert", cert.toString(), "--key", key.toString(), "--host",
                "a.test");
        assertThat(uncovered.exitCode()).isEqualTo(1);
        assertThat(uncovered.out()).contains("host     a.test: NOT covered");

        Result wrong = run("tls", "check", "--cert", cert.toString(), "--key", other.toString());
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.out()).contains("error    DUET-TLS-0006", "refused");

        Result missing = run("tls", "check", "--cert", dir.resolve("nope.pem").toString(), "--key", key.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("DUET-CLI-0003", "no such file");
    }

    // run --help names its options and the environment override rule.
    @Test
    void runHelpDocumentsOptions() {
        Result r = run("run", "--help");

        assertThat(r.out()).contains("--config=FILE", "--demo", "--debug", "DUET_NODE_ID", "/etc/duet/duet.properties");
    }

    // duet without a command is a usage error: exit 2 and the usage on standard error.
    @Test
    void missingCommandIsUsageError() {
        Result r = run();

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing command", "Usage: duet");
    }

    // An unknown option is a usage error (exit 2).
    @Test
    void unknownOptionIsUsageError() {
        Result r = run("run", "--no-such-option");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--no-such-option'");
    }

    // run with an invalid bootstrap prints the key and DUET-NODE-0001, exits 2, and shows no stack trace.
    @Test
    void runWithInvalidBootstrap() throws Exception {
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, "management.port = abc\n");

        Result r = run("run", "--config", f.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("DUET-NODE-0001 management.port: abc").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    // The environment given to the command tree overrides the bootstrap file (DUET_MANAGEMENT_PORT).
    @Test
    void runReadsEnvironment() {
        Result r = run(Main.commandLine(Map.of("DUET_MANAGEMENT_PORT", "-5"), dir.resolve("absent")), "run");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("management.port: -5", "DUET_MANAGEMENT_PORT");
    }

    // --debug is accepted by subcommands and adds the stack trace to the one-line error.
    @Test
    void debugShowsStackTrace() {
        Result r = run("run", "--debug", "--config", dir.resolve("missing.properties").toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("DUET-NODE-0002 ").contains("\tat io.duet.appliance.");
    }

    // check on a missing file: DUET-CLI-0001, exit 2 (unreadable), without starting anything.
    @Test
    void checkMissingFile() {
        Result r = run("check", dir.resolve("nope.json").toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("DUET-CLI-0001 cannot read ").contains("nope.json", "no such file");
    }

    // check on a file that is not UTF-8 text: exit 2 (unreadable).
    @Test
    void checkBinaryFile() throws Exception {
        Path f = dir.resolve("binary.json");
        Files.write(f, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});

        Result r = run("check", f.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("DUET-CLI-0001", "not UTF-8 text");
    }

    // check needs its FILE argument.
    @Test
    void checkWithoutFile() {
        Result r = run("check");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required parameter: 'FILE'");
    }

    // example without its resource in the build: DUET-CLI-0002 and exit 3, no stack trace.
    @Test
    void exampleWithoutResource() {
        Result r = run(Main.configure(new CommandLine(new ExampleCommand("io/duet/config/no-such-example.yaml"))));

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).startsWith("DUET-CLI-0002 this build has no example document").doesNotContain("\tat ");
    }

    // example prints the classpath resource byte for byte (from a resource present in the test classpath).
    @Test
    void examplePrintsResource() {
        Result r = run(Main.configure(new CommandLine(new ExampleCommand("io/duet/appliance/duet.properties"))));

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("# Duet node bootstrap").contains("#management.port = 9901");
    }

    // help COMMAND prints that command's usage.
    @Test
    void helpSubcommand() {
        Result r = run("help", "check");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: duet check", "FILE");
    }
}
