package io.duet.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * An external program some tests run, with how to recognise a working one and how to get it. {@link #detect} looks
 * for it on a search path as a shell would and runs its version command: absent, not executable, exiting non-zero,
 * hanging, or printing the wrong thing (a curl without HTTP/2, an arping that is not iputils') is a {@link Lack}.
 * Tests ask through {@link Requirements#requireTool}, which caches the answer per JVM.
 */
public enum Tool {
    /** iproute2's {@code ip}: addresses, links, network namespaces (VIP and pair lab tests). */
    IP("ip", "ip", "iproute2", List.of("-V"), "iproute2", "it names iproute2"),
    /** iputils' arping: gratuitous ARP with {@code -U} (the other Debian arping package takes other options). */
    ARPING("arping from iputils", "arping", "iputils-arping", List.of("-V"), "iputils", "it names iputils"),
    /** nftables: new connections held back while a VIP drains. */
    NFT("nft", "nft", "nftables", List.of("--version"), "nftables", "it names nftables"),
    /** The openssl command: test certificates, s_client and s_server. */
    OPENSSL("openssl", "openssl", "openssl", List.of("version"), "OpenSSL", "it names OpenSSL"),
    /** curl built with HTTP/2 (Debian's is, through nghttp2): h2 by ALPN, client certificates. */
    CURL("curl with HTTP/2", "curl", "curl", List.of("--version"), "(?m)^Features:.*\\bHTTP2\\b",
            "its Features line lists HTTP2"),
    /** Debian's headless-capable Chromium: the admin web UI's browser tests. */
    CHROMIUM("chromium", "chromium", "chromium", List.of("--version"), "Chromium", "it names Chromium"),
    /** The WebDriver server for that Chromium. */
    CHROMEDRIVER("chromedriver", "chromedriver", "chromium-driver", List.of("--version"), "ChromeDriver",
            "it names ChromeDriver"),
    /** procps: sysctl (per-namespace kernel settings) and kill (SIGSTOP/SIGCONT, SIGKILL), both from that package. */
    PROCPS("sysctl and kill", "sysctl", "procps", List.of("--version"), "procps", "it names procps"),
    /** rpm: queries the built package, installs it into a throwaway root. */
    RPM("rpm", "rpm", "rpm", List.of("--version"), "RPM", "it names RPM"),
    /** rpmlint: the package's lint. */
    RPMLINT("rpmlint", "rpmlint", "rpmlint", List.of("--version"), "", "it prints a version"),
    /** util-linux's unshare: a private mount namespace for the RPM install test. */
    UNSHARE("unshare", "unshare", "util-linux", List.of("--version"), "util-linux", "it names util-linux"),
    /** The VIP guardian's lock, which a hold script of an ended process must not get past. */
    FLOCK("flock", "flock", "util-linux", List.of("--version"), "util-linux", "it names util-linux");

    /** How long a version command may take (chromium on a loaded machine takes a few seconds). */
    static final long TIMEOUT_SECONDS = 30;

    private final String what;
    private final String command;
    private final String debianPackage;
    private final List<String> versionArgs;
    private final Pattern expected;
    private final String expectation;

    Tool(String what, String command, String debianPackage, List<String> versionArgs, String expected,
            String expectation) {
        this.what = what;
        this.command = command;
        this.debianPackage = debianPackage;
        this.versionArgs = versionArgs;
        this.expected = Pattern.compile(expected);
        this.expectation = expectation;
    }

    /** The need as a skip reason names it: {@code nft}, {@code curl with HTTP/2}. */
    public String what() {
        return what;
    }

    /** The program's name on the PATH. */
    public String command() {
        return command;
    }

    /** How to get it: {@code Debian package nftables; .ci/run installs it}. */
    public String remedy() {
        return "Debian package " + debianPackage + "; .ci/run installs it";
    }

    /**
     * Finds the program on {@code searchPath} (directories separated by {@link File#pathSeparator}, as in $PATH) and
     * runs its version command (with that search path as its PATH). Blocks up to {@value #TIMEOUT_SECONDS} s. Any
     * thread; no caching (see {@link Requirements}).
     *
     * @return the program's absolute path, or what is wrong
     */
    public Outcome detect(String searchPath) {
        Path found = null;
        Path notExecutable = null;
        for (String dir : searchPath.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command).toAbsolutePath();
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    found = candidate;
                    break;
                }
                if (notExecutable == null) {
                    notExecutable = candidate;
                }
            }
        }
        if (found == null) {
            return Outcome.lacking(new Lack(what, remedy(), notExecutable == null ? null
                    : notExecutable + " is there but not executable"));
        }
        String run = command + " " + String.join(" ", versionArgs);
        Path output = null;
        try {
            output = Files.createTempFile("duet-testkit-" + command, ".out");
            List<String> argv = new ArrayList<>();
            argv.add(found.toString());
            argv.addAll(versionArgs);
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("PATH", searchPath);
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Outcome.lacking(new Lack(what, remedy(), found + " is there but `" + run
                        + "` did not finish within " + TIMEOUT_SECONDS + " s"));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                return Outcome.lacking(new Lack(what, remedy(), found + " is there but `" + run + "` exits "
                        + p.exitValue() + (text.isBlank() ? "" : ": " + text)));
            }
            if (!expected.matcher(text).find()) {
                return Outcome.lacking(new Lack(what, remedy(), found + " is there but `" + run + "` does not show "
                        + "what is needed (" + expectation + "): " + text));
            }
            return Outcome.met(found);
        } catch (IOException e) {
            return Outcome.lacking(new Lack(what, remedy(), found + " is there but `" + run + "` cannot start: "
                    + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.lacking(new Lack(what, remedy(), "interrupted while running `" + run + "`"));
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temp file left behind; nothing depends on it
                }
            }
        }
    }
}
