package io.duet.appliance.cli;

import io.duet.appliance.bootstrap.ApplianceMessage;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.bootstrap.Version;
import io.duet.appliance.node.CertificateMaterialCheck;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.Violation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code duet check FILE}: decodes and validates a configuration document; starts nothing. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Validate a configuration document (JSON, or YAML for .yaml/.yml files).",
        description = {"%nPrints every violation, one a line: its id, its JSON path and what is expected; errors "
                + "first, then warnings. Then one summary line. Certificates are checked as new material (key "
                + "match, chain, validity, strength); sealed keys are not opened (no data key is read). Starts "
                + "nothing and needs no node bootstrap."})
final class CheckCommand implements Callable<Integer> {
    static final String UNREADABLE = ApplianceMessage.CHECK_UNREADABLE.id();

    @Parameters(index = "0", paramLabel = "FILE", description = "The document to check.")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws StartupException {
        return check(file, spec.commandLine().getOut());
    }

    /** Prints every violation of the document in {@code file} and a summary line; returns the exit code. */
    static int check(Path file, PrintWriter out) throws StartupException {
        String text = read(file);
        ConfigCodec.Format format = ConfigCodec.Format.ofFileName(file.getFileName().toString());
        DuetConfig config = null;
        List<Violation> violations;
        try {
            config = ConfigCodec.decode(text, format);
            violations = CertificateMaterialCheck.withoutDataKey(Clock.systemUTC()).validate(config, null);
        } catch (InvalidConfigException e) {
            violations = e.violations();
        }
        violations.forEach(out::println);
        long errors = violations.stream().filter(Violation::isError).count();
        long warnings = violations.size() - errors;
        if (errors > 0 || config == null) {
            out.println(file + ": invalid (" + plural(errors, "error") + ", " + plural(warnings, "warning") + ")");
        } else {
            out.println(file + ": valid, revision " + config.revision() + " (" + plural(warnings, "warning") + ")");
        }
        out.flush();
        return errors > 0 || config == null ? ExitCodes.INVALID_DOCUMENT : ExitCodes.OK;
    }

    private static String read(Path file) throws StartupException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (MalformedInputException e) {
            throw unreadable(file, "not UTF-8 text");
        } catch (IOException e) {
            throw unreadable(file, e.toString());
        }
    }

    private static StartupException unreadable(Path file, String why) {
        return new StartupException(UNREADABLE, ExitCodes.USAGE, "cannot read " + file.toAbsolutePath() + ": " + why);
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
