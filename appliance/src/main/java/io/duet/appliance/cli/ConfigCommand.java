package io.duet.appliance.cli;

import io.duet.appliance.bootstrap.ApplianceMessage;
import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.Membership;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.bootstrap.Version;
import io.duet.appliance.node.CertificateMaterialCheck;
import io.duet.appliance.pair.ClusterConfigStore;
import io.duet.cluster.membership.ClusterIdentity;
import io.duet.cluster.raft.ClusterClient;
import io.duet.cluster.raft.Revision;
import io.duet.cluster.raft.StaleRevisionException;
import io.duet.config.ConfigCodec;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.ProposalValidator;
import io.duet.config.Violation;
import io.duet.config.store.FileConfigStore;
import io.duet.config.store.RevisionConflictException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code duet config}: the configuration document of this node or of its cluster. */
@Command(name = "config",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Export or import the configuration document (of the cluster in cluster mode).",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {ConfigCommand.Export.class, ConfigCommand.Import.class, ConfigCommand.Validate.class,
                CommandLine.HelpCommand.class})
public final class ConfigCommand implements Callable<Integer> {
    static final String CLUSTER_UNREACHABLE = ApplianceMessage.CLUSTER_UNREACHABLE.id();
    static final String CONFLICT = ApplianceMessage.IMPORT_CONFLICT.id();

    @ParentCommand
    DuetCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: export, import or validate");
    }

    NodeBootstrap bootstrap(Path config) throws StartupException {
        return BootstrapReader.read(config, parent.defaultBootstrapFile(), parent.environment());
    }

    /**
     * An imported document without admin users keeps the current ones: a document written by hand, or exported from
     * an older release, must not lock everybody out of the admin UI. A document with users replaces them (a
     * restore).
     */
    public static io.duet.config.DuetConfig keepUsers(io.duet.config.DuetConfig imported, io.duet.config.DuetConfig current) {
        return imported.admin().users().isEmpty() ? imported.withAdmin(current.admin()) : imported;
    }

    /**
     * A change of the document in force (null: a cluster that has committed nothing yet); returns the changed
     * document (validated before it is committed).
     */
    interface Edit {
        DuetConfig apply(DuetConfig current) throws StartupException;
    }

    /**
     * Reads the document in force (the cluster's, or config.file standalone), applies {@code edit}, validates and
     * commits the result as the next revision, attributed to {@code cli@<node id>}. Validated as every proposal is:
     * the document's rules and the material of its new and changed certificates, sealed keys opened with this node's
     * data key ({@link CertificateMaterialCheck#forTools}).
     *
     * @return the committed revision
     * @throws StartupException with {@link #CONFLICT} when another change was committed in between (repeat the
     *                          command), {@link #CLUSTER_UNREACHABLE}, or {@link #INVALID_RESULT} with the
     *                          {@link InvalidConfigException} as its cause (exit 1)
     */
    static long commitEdit(NodeBootstrap b, Edit edit, String summary) throws StartupException {
        ProposalValidator validator = CertificateMaterialCheck.forTools(b, Clock.systemUTC());
        if (b.clustered()) {
            try (ClusterClient c = ClusterClient.connect(b.clusterMembers(), Membership.step(() -> ClusterIdentity.forTools(b.site())))) {
                Revision cur = c.current();
                DuetConfig inForce = cur.revision() == 0 ? null : ClusterConfigStore.document(cur);
                DuetConfig doc = edit.apply(inForce);
                requireValid(validator, doc, inForce);
                return c.propose(cur.revision(), ConfigCodec.encode(doc.withRevision(cur.revision() + 1),
                        ConfigCodec.Format.JSON).getBytes(StandardCharsets.UTF_8), "cli@" + b.nodeId(), summary);
            } catch (StaleRevisionException e) {
                throw new StartupException(CONFLICT, ExitCodes.INVALID_DOCUMENT, e.getMessage()
                        + "; run the command again", e);
            } catch (InvalidConfigException e) {
                throw new StartupException(CLUSTER_UNREACHABLE, ExitCodes.STARTUP, "the cluster's current "
                        + "document does not read: " + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                throw new StartupException(CLUSTER_UNREACHABLE, ExitCodes.STARTUP, "the cluster "
                        + b.clusterMembers().keySet() + " did not commit it: " + e.getMessage(), e);
            }
        }
        try (FileConfigStore store = FileConfigStore.open(b.configFile(), validator)) {
            DuetConfig cur = store.current();
            DuetConfig doc = edit.apply(cur);
            requireValid(validator, doc, cur);
            return store.propose(doc, cur.revision(), "cli@" + b.nodeId(), summary).revision();
        } catch (RevisionConflictException e) {
            throw new StartupException(CONFLICT, ExitCodes.INVALID_DOCUMENT, e.getMessage()
                    + "; run the command again", e);
        } catch (IOException | InvalidConfigException e) {
            throw new StartupException(CheckCommand.UNREADABLE, ExitCodes.USAGE, "cannot update "
                    + b.configFile() + ": " + e.getMessage(), e);
        }
    }

    private static void requireValid(ProposalValidator validator, DuetConfig doc, DuetConfig inForce)
            throws StartupException {
        try {
            validator.requireValid(doc, inForce);
        } catch (InvalidConfigException e) {
            throw new StartupException(INVALID_RESULT, ExitCodes.INVALID_DOCUMENT, "the change would make the "
                    + "document invalid, nothing committed: " + e.violations(), e);
        }
    }

    static final String INVALID_RESULT = ApplianceMessage.RESET_PASSWORD_INVALID.id();

    /**
     * The document in force, with its revision: the cluster's last committed one (read through its leader) in
     * cluster mode, else config.file.
     *
     * @throws StartupException {@link #CLUSTER_UNREACHABLE} (exit 3) or an unreadable file (exit 2)
     */
    static DuetConfig inForce(NodeBootstrap b) throws StartupException {
        if (b.clustered()) {
            try (ClusterClient c = ClusterClient.connect(b.clusterMembers(), Membership.step(() -> ClusterIdentity.forTools(b.site())))) {
                return ClusterConfigStore.document(c.current());
            } catch (IOException | InvalidConfigException | RuntimeException e) {
                throw new StartupException(CLUSTER_UNREACHABLE, ExitCodes.STARTUP, "the cluster "
                        + b.clusterMembers().keySet() + " did not answer: " + e.getMessage(), e);
            }
        }
        try {
            return ConfigCodec.decode(Files.readString(b.configFile()),
                    ConfigCodec.Format.ofFileName(b.configFile().toString()));
        } catch (IOException | InvalidConfigException e) {
            throw new StartupException(CheckCommand.UNREADABLE, ExitCodes.USAGE, "cannot read " + b.configFile() + ": "
                    + e.getMessage(), e);
        }
    }

    /** {@code duet config validate FILE}: the same check as {@code duet check}, next to export and import. */
    @Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Validate a configuration document (JSON, or YAML for .yaml/.yml) without importing it.",
            description = {"%nPrints every violation, one a line: its id, its JSON path and what is expected; then "
                    + "one summary line. Changes nothing and needs no running node (same as `duet check`)."})
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The document to validate.")
        Path file;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException {
            return CheckCommand.check(file, spec.commandLine().getOut());
        }
    }

    /** {@code duet config export}: the document in force, as JSON (or YAML with -o file.yaml). */
    @Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Print the configuration document in force (JSON), or write it to a file.",
            description = {"%nStandalone: the document in config.file. Cluster mode (cluster.members set): the "
                    + "revision the cluster committed last, read through its leader. Without users and API tokens "
                    + "(an import keeps the current ones); keys in their sealed form. duet backup keeps everything."})
    static final class Export implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "The node bootstrap file.")
        Path config;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE",
                description = "Write here (format by extension: .json, .yaml/.yml) instead of standard output.")
        Path output;
        @ParentCommand
        ConfigCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException {
            // Users and API tokens stay out, as in the admin API's export: an edited document imported again keeps
            // the current ones, and password and token hashes never travel in an export (duet backup keeps them).
            DuetConfig doc = inForce(parent.bootstrap(config)).withAdmin(io.duet.config.Admin.empty());
            ConfigCodec.Format f = output == null ? ConfigCodec.Format.JSON
                    : ConfigCodec.Format.ofFileName(output.toString());
            String text = ConfigCodec.encode(doc, f);
            if (output == null) {
                PrintWriter out = spec.commandLine().getOut();
                out.print(text);
                out.flush();
            } else {
                try {
                    // 0600: the document holds password and token hashes and sealed keys.
                    io.duet.config.store.PrivateFile.write(output, text.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new StartupException(CheckCommand.UNREADABLE, ExitCodes.USAGE, "cannot write " + output
                            + ": " + e.getMessage(), e);
                }
            }
            return ExitCodes.OK;
        }
    }

    /** {@code duet config import FILE}: validate, then commit as the next revision. */
    @Command(name = "import", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Validate a document and make it the next revision (of the cluster in cluster mode).",
            description = {"%nEvery violation is printed and nothing changes when the document is invalid: the "
                    + "document's rules, and the certificates that are new or changed (key match, chain, validity, "
                    + "strength, sealed keys opened with this node's data key), as the data plane would load them. "
                    + "The revision is based on the one in force when the command reads it; if another change is "
                    + "committed in between, the import is refused (exit 1) and can simply be repeated."})
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The document (JSON, or YAML for .yaml/.yml).")
        Path file;
        @Option(names = "--config", paramLabel = "FILE", description = "The node bootstrap file.")
        Path config;
        @ParentCommand
        ConfigCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException {
            PrintWriter out = spec.commandLine().getOut();
            DuetConfig doc;
            try {
                doc = ConfigCodec.decode(Files.readString(file), ConfigCodec.Format.ofFileName(file.toString()));
                ConfigValidator.requireValid(doc); // the document's own rules, before reaching for the node
            } catch (NoSuchFileException e) {
                throw new StartupException(CheckCommand.UNREADABLE, ExitCodes.USAGE, "cannot read " + file
                        + ": no such file");
            } catch (IOException e) {
                throw new StartupException(CheckCommand.UNREADABLE, ExitCodes.USAGE, "cannot read " + file + ": "
                        + e.getMessage(), e);
            } catch (InvalidConfigException e) {
                return refused(out, e);
            }
            NodeBootstrap b = parent.bootstrap(config);
            DuetConfig imported = doc;
            long committed;
            try {
                committed = commitEdit(b, cur -> cur == null ? imported : keepUsers(imported, cur),
                        "imported " + file.getFileName());
            } catch (StartupException e) {
                if (INVALID_RESULT.equals(e.id()) && e.getCause() instanceof InvalidConfigException invalid) {
                    return refused(out, invalid); // e.g. a certificate whose key does not match
                }
                throw e;
            }
            out.println(file + ": imported as revision " + committed);
            out.flush();
            return ExitCodes.OK;
        }

        /** Every violation, one a line ({@code ID PATH: MESSAGE}), then the summary; exit 1. */
        private int refused(PrintWriter out, InvalidConfigException e) {
            e.violations().forEach(out::println);
            out.println(file + ": invalid, nothing imported ("
                    + e.violations().stream().filter(Violation::isError).count() + " error(s))");
            out.flush();
            return ExitCodes.INVALID_DOCUMENT;
        }
    }
}
