package io.duet.appliance;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/** The {@code duet} executable: {@code java -jar duet.jar COMMAND ...}. See {@link DuetCommand}. */
public final class Main {
    static final String INTERNAL_ERROR = "DUET-CLI-0070";

    private Main() {
    }

    public static void main(String[] args) {
        // Before anything looks a name up: the JDK reads its cache setting once, and servers given by host name must
        // follow DNS on their pool's resolve.intervalMs, not on the JDK's 30 s cache.
        io.duet.proxy.resolve.SystemHostResolver.disableJdkCache();
        System.exit(commandLine(System.getenv(), BootstrapReader.DEFAULT_FILE).execute(args));
    }

    /** The command tree, reading {@code environment} and, without --config, {@code defaultBootstrapFile}. */
    static CommandLine commandLine(Map<String, String> environment, Path defaultBootstrapFile) {
        return configure(new CommandLine(new DuetCommand(environment, defaultBootstrapFile)));
    }

    /**
     * Adds what every command shares: the exit code table in its help, and failure reporting: a
     * {@link StartupException} prints its one-line message (with its id) and exits with its code; anything else is
     * a bug ({@value #INTERNAL_ERROR}, exit 70). Stack traces only with {@code --debug}.
     */
    static CommandLine configure(CommandLine root) {
        configureHelp(root);
        root.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean debug = parseResult.asCommandLineList().stream()
                    .anyMatch(c -> c.getParseResult() != null && c.getParseResult().hasMatchedOption("--debug"));
            int code;
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
