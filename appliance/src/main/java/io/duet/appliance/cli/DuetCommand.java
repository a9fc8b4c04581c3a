package io.duet.appliance.cli;

import io.duet.appliance.bootstrap.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The root command {@code duet}. A new subcommand (e.g. {@code witness}, {@code cluster}) is one more class listed in
 * {@code subcommands}; it inherits {@code --debug} and reads the environment and bootstrap path from here.
 */
@Command(name = "duet",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Duet: a Layer-7 HTTP reverse proxy appliance.",
        synopsisSubcommandLabel = "COMMAND",
        description = {"%nStart a node with `duet run`; try it with `duet run --demo`."},
        commandListHeading = "%nCommands:%n",
        subcommands = {RunCommand.class, WitnessCommand.class, ClusterCommand.class, CheckCommand.class, ExampleCommand.class,
                ConfigCommand.class, AdminCommand.class, OpsCommands.StatusCommand.class, OpsCommands.Backup.class,
                OpsCommands.Restore.class, OpsCommands.VersionCommand.class, ManPageCommand.class,
                TlsCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"%nRun `duet COMMAND --help` for a command's options."})
public final class DuetCommand implements Callable<Integer> {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces of failures and log Duet's own classes at DEBUG.")
    boolean debug;

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;
    private final Path defaultBootstrapFile;

    public DuetCommand(Map<String, String> environment, Path defaultBootstrapFile) {
        this.environment = Map.copyOf(environment);
        this.defaultBootstrapFile = defaultBootstrapFile;
    }

    /** The environment variables ({@code DUET_*} override bootstrap keys). */
    Map<String, String> environment() {
        return environment;
    }

    /** The bootstrap file read when no {@code --config} is given: {@code /etc/duet/duet.properties}. */
    Path defaultBootstrapFile() {
        return defaultBootstrapFile;
    }

    /** {@code duet} without a command: a usage error. */
    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: run, witness, check, example, tls or help");
    }
}
