package io.duet.rpm;

import io.duet.testkit.Requirements;
import io.duet.testkit.Tool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The duet RPM as built by this module: its metadata, a second build byte for byte, rpmlint, and an install, upgrade
 * and erase with the real scriptlets in a throwaway root ({@code src/test/sh/install-root.sh}). The metadata needs the
 * Debian package rpm, the lint rpmlint, the install root as well ({@code .ci/run} installs both and runs as root); each
 * case is skipped otherwise, saying why. The second build needs nothing but this Maven.
 */
class RpmPackageIT {
    private static final Path RPM = Path.of(System.getProperty("duet.rpm"));
    private static final Path BASEDIR = Path.of(System.getProperty("duet.rpm.basedir"));
    private static final String VERSION = System.getProperty("duet.rpm.version");

    @TempDir
    static Path work;

    record Run(int exit, String out) {
    }

    static Run run(Path dir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append(e);
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + timeoutSeconds + " s");
        }
        reader.join();
        return new Run(p.exitValue(), out.toString());
    }

    static String rpmQuery(String... args) throws Exception {
        List<String> c = new ArrayList<>(List.of(Requirements.requireTool(Tool.RPM).toString(), "-qp"));
        c.addAll(Arrays.asList(args));
        c.add(RPM.toString());
        Run r = run(BASEDIR, 60, c.toArray(new String[0]));
        assertThat(r.exit()).as(r.out()).isZero();
        return r.out();
    }

    @BeforeAll
    static void built() {
        assertThat(RPM).exists();
    }

    /**
     * Builds the RPM again with the same plugin execution (the module's own configuration), optionally with another
     * release and another default duet.properties, into {@code targetDir}.
     */
    static Path build(Path targetDir, String release, Path properties) throws Exception {
        String mvn = Path.of(System.getProperty("maven.home"), "bin", "mvn").toString();
        List<String> c = new ArrayList<>(List.of(mvn, "-B", "-q", "-o", "-f", BASEDIR.resolve("pom.xml").toString(),
                "de.dentrassi.maven:rpm:rpm@duet-rpm", "-Drpm.targetDir=" + targetDir,
                "-Dmaven.repo.local=" + System.getProperty("duet.maven.repo.local")));
        if (release != null) {
            c.add("-Drpm.release=" + release);
        }
        if (properties != null) {
            c.add("-Dduet.rpm.properties=" + properties);
        }
        Run r = run(BASEDIR, 300, c.toArray(new String[0]));
        assertThat(r.exit()).as(r.out()).isZero();
        try (var files = Files.list(targetDir)) {
            return files.filter(f -> f.toString().endsWith(".rpm")).findFirst().orElseThrow();
        }
    }

    // What dnf shows before installing: name, version, noarch, the Requires of an EL 8/9 target, the scriptlets, the
    // files with their owners and modes, the config(noreplace) marks. The size goes to the build log.
    @Test
    void metadata() throws Exception {
        assertThat(rpmQuery("--qf", "%{NAME} %{VERSION} %{ARCH} %{LICENSE}")).isEqualTo("duet " + VERSION
                + " noarch Apache-2.0");
        assertThat(rpmQuery("--requires").lines()).contains("jre-17-headless", "iproute", "iputils", "nftables",
                "bash", "util-linux", "/usr/bin/curl", "shadow-utils", "/usr/bin/getent");
        String scripts = rpmQuery("--scripts");
        assertThat(scripts).contains("preinstall scriptlet", "useradd -r -g duet", "postinstall scriptlet",
                "preset duet.service", "preuninstall scriptlet", "disable --now", "postuninstall scriptlet",
                "try-restart");
        String files = rpmQuery("--qf", "[%{FILEMODES:perms} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILEFLAGS:fflags} "
                + "%{FILENAMES}\n]");
        assertThat(files.lines()).contains(
                "-rwxr-xr-x root root  /usr/bin/duet",
                "-rw-r--r-- root root  /usr/share/duet/duet.jar",
                "-rw-r--r-- root root  /usr/share/duet/jvm.options",
                "-rw-r--r-- root root  /usr/share/duet/jvm-witness.options",
                "-rw-r----- root duet cn /etc/duet/duet.properties",
                "-rw-r--r-- root root cn /etc/sysconfig/duet",
                "-rw-r--r-- root root cn /etc/logrotate.d/duet",
                "-rw-r--r-- root root  /usr/lib/systemd/system/duet.service",
                "-rw-r--r-- root root  /usr/lib/systemd/system/duet-witness.service",
                "-rw-r--r-- root root  /usr/lib/sysctl.d/60-duet.conf",
                "-rw-r--r-- root root d /usr/share/man/man1/duet.1.gz",
                "drwxr-x--- duet duet  /var/lib/duet",
                "drwxr-x--- root duet  /etc/duet");
        long size = Files.size(RPM);
        System.out.printf("duet RPM: %s, %,d bytes (%.1f MiB); installed size %s bytes%n", RPM.getFileName(), size,
                size / 1048576.0, rpmQuery("--qf", "%{SIZE}"));
        assertThat(size).isLessThan(100L * 1024 * 1024);
    }

    // Reproducible: a second build of the RPM is byte-identical, and Duet's own entries in the appliance jar carry the
    // build's fixed time stamp (project.build.outputTimestamp), not the time of the build (the shaded dependencies
    // keep the times of their own released jars).
    @Test
    void reproducible() throws Exception {
        Path again = build(work.resolve("again"), null, null);
        assertThat(Files.mismatch(RPM, again)).as("first differing byte of %s and %s", RPM, again).isEqualTo(-1L);
        Instant fixed = Instant.parse(System.getProperty("duet.output.timestamp"));
        try (ZipFile jar = new ZipFile(System.getProperty("duet.appliance.jar"))) {
            assertThat(jar.stream().filter(e -> e.getName().startsWith("io/duet/"))).hasSizeGreaterThan(100);
            List<String> late = jar.stream().filter(e -> e.getName().startsWith("io/duet/")).filter(e -> Math.abs(e.getLastModifiedTime().toMillis()
                    - fixed.toEpochMilli()) > 24 * 3600_000L).map(ZipEntry::getName).limit(5).toList();
            assertThat(late).as("jar entries not stamped with the build's fixed time").isEmpty();
        }
    }

    // rpmlint runs clean apart from the exceptions documented in rpmlint.toml.
    @Test
    void rpmlint() throws Exception {
        Path rpmlint = Requirements.requireTool(Tool.RPMLINT);
        Run r = run(BASEDIR, 300, rpmlint.toString(), "--config", BASEDIR.resolve("rpmlint.toml").toString(),
                RPM.toString());
        System.out.println(r.out());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("0 errors, 0 warnings");
    }

    // Install with the real scriptlets into a throwaway root (overlays of this machine's /usr and /etc in a private
    // mount namespace), run the installed launcher, check owners and modes, systemd-analyze verify, upgrade over an
    // edited configuration (kept, .rpmnew written), erase (data and user kept).
    @Test
    void installUpgradeErase() throws Exception {
        Requirements.requireRoot(); // mounts, chroot, files owned by the package's user
        Requirements.requireTool(Tool.RPM);
        Requirements.requireTool(Tool.UNSHARE); // chroot is coreutils', always there
        Path next = work.resolve("duet.properties.next");
        Files.writeString(next, Files.readString(BASEDIR.resolve("src/main/rpm/duet.properties"))
                + "\n# A default of the next release.\n");
        Path upgrade = build(work.resolve("upgrade"), "2", next);
        Run r = run(BASEDIR, 600, "bash", BASEDIR.resolve("src/test/sh/install-root.sh").toString(),
                work.resolve("root").toString(), RPM.toString(), upgrade.toString());
        System.out.println(r.out());
        assertThat(r.out()).doesNotContain("FAIL").contains("ALL CHECKS PASSED");
        assertThat(r.exit()).isZero();
    }
}
