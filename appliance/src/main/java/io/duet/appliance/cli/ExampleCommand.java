package io.duet.appliance.cli;

import io.duet.appliance.bootstrap.ApplianceMessage;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.bootstrap.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code duet example}: prints the annotated example configuration document shipped in the config module. */
@Command(name = "example",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Print an example configuration document (YAML) to standard output.",
        description = {"%nEvery field is explained in comments. Start from it: "
                + "duet example > duet.yaml; edit; duet check duet.yaml"})
public final class ExampleCommand implements Callable<Integer> {
    public static final String RESOURCE = "io/duet/config/example.yaml";
    static final String MISSING = ApplianceMessage.NO_EXAMPLE.id();

    private final String resource;

    @Spec
    CommandSpec spec;

    public ExampleCommand() {
        this(RESOURCE);
    }

    /** For tests: print another classpath resource. */
    public ExampleCommand(String resource) {
        this.resource = resource;
    }

    @Override
    public Integer call() throws StartupException {
        String text;
        try (InputStream in = ExampleCommand.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new StartupException(MISSING, ExitCodes.STARTUP, "this build has no example document "
                        + "(classpath resource " + resource + "); see docs/configuration.md");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return ExitCodes.OK;
    }
}
