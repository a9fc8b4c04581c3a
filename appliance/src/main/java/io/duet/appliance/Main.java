package io.duet.appliance;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.cli.DuetCommand;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

import static io.duet.appliance.bootstrap.ApplianceMessage.INTERNAL_ERROR;

/** The {@code duet} executable: {@code java -jar duet.jar COMMAND ...}. See {@link DuetCommand}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Before anything looks a name up: the JDK reads its cache setting once, and servers given by host name must
        // follow DNS on their pool's resolve.intervalMs, not on the JDK's 30 s cache.
        io.duet.proxy.resolve.SystemHostResolver.disableJdkCache();
        if (!isDaemon(args)) {
            quietLibraries();
        }
        System.exit(commandLine(System.getenv(), BootstrapReader.DEFAULT_FILE).execute(args));
    }

    /** True for the commands that run a node ({@code run}, {@code witness}) rather than answer and exit. */
    static boolean isDaemon(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return a.equals("run") || a.equals("witness");
            }
        }
        return false;
    }

    /** Kept: java.util.logging holds its loggers weakly, and a collected one forgets its level. */
    private static final java.util.List<java.util.logging.Logger> QUIETED = new java.util.ArrayList<>();

    /**
     * Tool commands print what they answer: the cluster libraries' INFO lines (Ratis's client and gRPC's, through
     * slf4j and java.util.logging) belong in a node's log, not on an operator's terminal. Warnings still show.
     */
    static void quietLibraries() {
        if (org.slf4j.LoggerFactory.getLogger("org.apache.ratis") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        for (String name : java.util.List.of("io.grpc", "org.apache.ratis.thirdparty.io.grpc",
                "org.apache.ratis.thirdparty.io.netty")) {
            java.util.logging.Logger j = java.util.logging.Logger.getLogger(name);
            j.setLevel(java.util.logging.Level.WARNING);
            QUIETED.add(j);
        }
    }

    /** The command tree, reading {@code environment} and, without --config, {@code defaultBootstrapFile}. */
    static CommandLine commandLine(Map<String, String> environment, Path defaultBootstrapFile) {
        return configure(new CommandLine(new DuetCommand(environment, defaultBootstrapFile)));
    }

    /**
     * Adds what every command shares: the exit code table in its help, and failure reporting: a
     * {@link StartupException} (or a membership step's failure) prints its one-line message (with its id) and exits
     * with its code; anything else is
     * a bug ({@code DUET-CLI-0070}, exit 70). Stack traces only with {@code --debug}.
     */
    static CommandLine configure(CommandLine root) {
        configureHelp(root);
        root.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean debug = parseResult.asCommandLineList().stream()
                    .anyMatch(c -> c.getParseResult() != null && c.getParseResult().hasMatchedOption("--debug"));
            int code;
            if (e instanceof io.duet.cluster.membership.MembershipException me) {
                e = StartupException.from(me);
            }
            if (e instanceof StartupException se) {
                err.println(se.getMessage());
                code = se.exitCode();
            } else {
                err.println(INTERNAL_ERROR + " internal error: " + e + "; rerun with --debug and report the stack trace");
                code = ExitCodes.INTERNAL;
            }
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        return root;
    }

    private static void configureHelp(CommandLine c) {
        c.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.help());
        c.getSubcommands().values().forEach(Main::configureHelp);
    }
}
