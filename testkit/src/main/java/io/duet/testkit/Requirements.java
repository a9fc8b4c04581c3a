package io.duet.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a test needs from the machine beyond Java 17: root, network namespaces, an external program ({@link Tool}).
 * Call the check first in the test (or in {@code @BeforeAll} / {@code @BeforeEach}, or in the helper that runs the
 * program): when the need is met it returns quietly; otherwise it aborts the test with {@link RequirementNotMet} (a
 * JUnit assumption: reported as skipped, never failed) whose one-line reason names what is missing and how to get it.
 * Either way {@link RequirementsListener} records it for the summary at the end of the build.
 *
 * <p>The static methods judge this JVM's machine (its PATH, its user); each need is probed at most once per JVM.
 * Thread-safe. An instance with another search path exists for the testkit's own tests.
 */
public final class Requirements {
    private static final Requirements HERE = new Requirements(System.getenv().getOrDefault("PATH", ""), isRoot(),
            true);

    /** The names the summary uses for the two needs that are not programs. */
    static final String ROOT = "root";
    static final String NETWORK_NAMESPACES = "network namespaces";

    private final String searchPath;
    private final boolean root;
    private final boolean credited;
    private final Map<Object, Outcome> outcomes = new ConcurrentHashMap<>();

    /**
     * @param searchPath where programs are looked for (the PATH)
     * @param root       whether this process runs as root
     * @param credited   whether a met need is credited to the running test ({@link CurrentTests}) for the summary
     */
    Requirements(String searchPath, boolean root, boolean credited) {
        this.searchPath = searchPath;
        this.root = root;
        this.credited = credited;
    }

    /** The program on this machine's PATH, working; its absolute path. Otherwise the calling test is skipped. */
    public static Path requireTool(Tool tool) {
        return HERE.tool(tool);
    }

    /** This JVM runs as root (effective user id 0). Otherwise the calling test is skipped. */
    public static void requireRoot() {
        HERE.root();
    }

    /**
     * This JVM can build network namespaces with {@code ip netns} (root, iproute2, and a kernel and container that
     * allow it: tried once by creating and deleting one). Otherwise the calling test is skipped.
     */
    public static void requireNetworkNamespaces() {
        HERE.networkNamespaces();
    }

    Path tool(Tool tool) {
        return check(tool, tool.what(), () -> tool.detect(searchPath)).executable();
    }

    void root() {
        check(ROOT, ROOT, () -> root ? Outcome.met(null)
                : Outcome.lacking(new Lack(ROOT, "run the build as root, as .ci/run does", null)));
    }

    void networkNamespaces() {
        root();
        Path ip = tool(Tool.IP);
        check(NETWORK_NAMESPACES, NETWORK_NAMESPACES, () -> tryNamespace(ip));
    }

    private Outcome check(Object key, String what, java.util.function.Supplier<Outcome> probe) {
        Outcome o = outcomes.computeIfAbsent(key, k -> probe.get());
        if (!o.isMet()) {
            throw new RequirementNotMet(o.lack());
        }
        if (credited) {
            CurrentTests.met(what);
        }
        return o;
    }

    /** Creates and deletes one namespace with a name no test uses. */
    private Outcome tryNamespace(Path ip) {
        String ns = "duet-probe-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        String remedy = "root with CAP_SYS_ADMIN and CAP_NET_ADMIN, outside an unprivileged container, as .ci/run "
                + "runs";
        try {
            String failed = run(ip.toString(), "netns", "add", ns);
            if (failed == null) {
                failed = run(ip.toString(), "-n", ns, "link", "set", "lo", "up");
                String deleted = run(ip.toString(), "netns", "del", ns);
                if (failed == null) {
                    failed = deleted;
                }
            }
            return failed == null ? Outcome.met(null) : Outcome.lacking(new Lack(NETWORK_NAMESPACES, remedy, failed));
        } catch (IOException e) {
            return Outcome.lacking(new Lack(NETWORK_NAMESPACES, remedy, e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.lacking(new Lack(NETWORK_NAMESPACES, remedy, "interrupted"));
        }
    }

    /** Runs a command (10 s at most); null when it exits 0, else what went wrong. */
    private String run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("duet-testkit-ns", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String line = String.join(" ", List.of(command));
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "`" + line + "` did not finish within 10 s";
            }
            return p.exitValue() == 0 ? null : "`" + line + "` exits " + p.exitValue() + ": "
                    + Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Whether this process's effective user id is 0 (Linux: /proc/self/status; elsewhere the user name). */
    static boolean isRoot() {
        try {
            return effectiveUid(Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) == 0;
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** The effective user id in the text of /proc/PID/status ({@code Uid: real effective saved fs}). */
    static int effectiveUid(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
            }
        }
        throw new IllegalArgumentException("no Uid line");
    }
}
