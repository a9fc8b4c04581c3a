package io.duet.appliance.cli;

import io.duet.appliance.bootstrap.ApplianceMessage;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.bootstrap.Version;
import io.duet.tls.CertificateImport;
import io.duet.tls.CertifiedKey;
import io.duet.tls.Finding;
import io.duet.tls.TlsMaterialException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code duet tls}: certificate tools. */
@Command(name = "tls",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        header = "Certificate tools.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {TlsCommand.Check.class, CommandLine.HelpCommand.class})
final class TlsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: check");
    }

    /** {@code duet tls check}: what Duet would make of a certificate and its key, before it goes into a document. */
    @Command(name = "check",
            mixinStandardHelpOptions = true,
            versionProvider = Version.class,
            header = "Check a certificate and its private key as Duet would import them.",
            description = {"%nReads a PEM chain (any order) with its PEM key (PKCS#8, encrypted PKCS#8, PKCS#1 or "
                    + "SEC1), or a PKCS#12 file, and prints the chain leaf first, the names it covers, the key, the "
                    + "validity and every finding with its DUET-TLS id. Exit code 1 when Duet would refuse it "
                    + "(key mismatch, broken chain, expired, weak key or signature, ...). Starts nothing.",
                    "%nExamples:%n  duet tls check --cert fullchain.pem --key privkey.pem --host www.example.com"
                            + "%n  duet tls check --pkcs12 site.p12 --passphrase-file p12.pass"})
    static final class Check implements Callable<Integer> {
        static final String UNREADABLE = ApplianceMessage.TLS_FILE_UNREADABLE.id();

        static final class Source {
            @ArgGroup(exclusive = false, multiplicity = "1")
            Pem pem;
            @Option(names = "--pkcs12", paramLabel = "FILE", required = true,
                    description = "A PKCS#12 (.p12, .pfx) file with the key and its chain.")
            Path pkcs12;
        }

        static final class Pem {
            @Option(names = "--cert", paramLabel = "FILE", required = true,
                    description = "The PEM certificate chain: the leaf and its intermediates, in any order.")
            Path cert;
            @Option(names = "--key", paramLabel = "FILE", required = true,
                    description = "The PEM private key of the leaf.")
            Path key;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Option(names = "--passphrase-file", paramLabel = "FILE",
                description = "The passphrase of an encrypted key or of the PKCS#12 file (first line).")
        Path passphraseFile;

        @Option(names = "--host", paramLabel = "NAME",
                description = "A host name the certificate must cover (repeatable).")
        List<String> hosts = List.of();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException {
            PrintWriter out = spec.commandLine().getOut();
            char[] pass = passphraseFile == null ? null : firstLine(passphraseFile).toCharArray();
            CertifiedKey c;
            try {
                if (source.pkcs12 != null) {
                    c = CertificateImport.fromPkcs12(readBytes(source.pkcs12), pass, Clock.systemUTC(),
                            CertificateImport.Validity.ENFORCE);
                } else {
                    c = CertificateImport.fromPem(read(source.pem.cert), read(source.pem.key), pass,
                            Clock.systemUTC(), CertificateImport.Validity.ENFORCE);
                }
            } catch (TlsMaterialException e) {
                for (Finding f : e.findings()) {
                    out.println((f.isError() ? "error    " : "warning  ") + f.message());
                }
                out.println("refused: Duet would not import this certificate ("
                        + e.findings().stream().filter(Finding::isError).count() + " error(s))");
                out.flush();
                return ExitCodes.INVALID_DOCUMENT;
            }
            out.println("chain (served in this order):");
            for (X509Certificate x : c.chain()) {
                out.println("  " + x.getSubjectX500Principal().getName() + "   issued by "
                        + x.getIssuerX500Principal().getName());
            }
            out.println("names    " + String.join(", ", c.dnsNames())
                    + (c.ipAddresses().isEmpty() ? "" : ", " + String.join(", ", c.ipAddresses())));
            out.println("key      " + c.keyDescription());
            long days = Duration.between(Clock.systemUTC().instant(), c.notAfter()).toDays();
            out.println("valid    " + c.notBefore() + " to " + c.notAfter() + " (" + days + " days left)");
            for (Finding f : c.findings()) {
                out.println((f.isError() ? "error    " : f.severity().name().toLowerCase() + "  ") + f.message());
            }
            int missing = 0;
            for (String h : hosts) {
                boolean covered = c.covers(h);
                out.println("host     " + h + (covered ? ": covered" : ": NOT covered"));
                missing += covered ? 0 : 1;
            }
            out.println(missing == 0 ? "ok: Duet would import this certificate"
                    : "refused: " + missing + " host name(s) not covered");
            out.flush();
            return missing == 0 ? ExitCodes.OK : ExitCodes.INVALID_DOCUMENT;
        }

        private static String read(Path p) throws StartupException {
            return new String(readBytes(p), StandardCharsets.UTF_8);
        }

        private static String firstLine(Path p) throws StartupException {
            String s = read(p);
            int nl = s.indexOf('\n');
            return (nl < 0 ? s : s.substring(0, nl)).replace("\r", "");
        }

        private static byte[] readBytes(Path p) throws StartupException {
            try {
                return Files.readAllBytes(p);
            } catch (NoSuchFileException e) {
                throw new StartupException(UNREADABLE, ExitCodes.USAGE, "cannot read " + p.toAbsolutePath()
                        + ": no such file");
            } catch (IOException e) {
                throw new StartupException(UNREADABLE, ExitCodes.USAGE, "cannot read " + p.toAbsolutePath() + ": "
                        + e);
            }
        }
    }
}
