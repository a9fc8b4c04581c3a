package io.duet.appliance.cli;

import ch.qos.logback.classic.Level;
import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.bootstrap.Version;
import io.duet.appliance.node.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code duet run}: reads the node bootstrap, starts the node, blocks until the JVM is asked to stop. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Start this Duet node (runs until stopped with Ctrl-C or SIGTERM).",
        description = {
                "%nReads the node bootstrap from --config FILE, else /etc/duet/duet.properties if it exists, else "
                        + "the embedded defaults (data in ./duet-data, proxy on :8080, metrics on "
                        + "127.0.0.1:9901). Environment variables override keys: DUET_NODE_ID overrides node.id, "
                        + "DUET_MANAGEMENT_PORT overrides management.port, and so on.",
                "%nThen serves the configuration document named by the key config.file (by default config.json in "
                        + "the data directory; written with a welcome page when absent).",
                "%nThe JVM option -Dduet.log.level=DEBUG sets the log level."})
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", paramLabel = "FILE",
            description = "The node bootstrap file (Java properties). Default: /etc/duet/duet.properties when it "
                    + "exists, else the embedded defaults.")
    Path config;

    @Option(names = "--demo",
            description = "Also start two demo backends on 127.0.0.1 and serve a demo document (virtual host "
                    + "demo.local, round-robin over both), written afresh to demo-config.json in "
                    + "the data directory at every start; config.file is not used.")
    boolean demo;

    @ParentCommand
    DuetCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StartupException, InterruptedException {
        NodeBootstrap bootstrap = BootstrapReader.read(config, parent.defaultBootstrapFile(), parent.environment());
        applyLogLevel(bootstrap.logLevel(), parent.debug);
        Node node = Node.start(bootstrap, demo);
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "duet-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.print(node.banner());
        out.flush();
        log.debug("running; waiting for a stop signal");
        node.awaitClosed();
        return ExitCodes.OK;
    }

    /** The root log level from log.level unless -Dduet.log.level was given; --debug lowers io.duet to DEBUG. */
    static void applyLogLevel(String level, boolean debug) {
        if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context)) {
            return;
        }
        if (System.getProperty("duet.log.level") == null) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
        }
        if (debug) {
            context.getLogger("io.duet").setLevel(Level.DEBUG);
        }
    }
}
