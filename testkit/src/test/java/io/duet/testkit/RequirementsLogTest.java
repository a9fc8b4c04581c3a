package io.duet.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The record file several test JVMs of one build append to. */
class RequirementsLogTest {
    @TempDir
    Path tmp;

    /** A test JVM of its own: appends {@code args[1]} records of {@code args[2]} entries each to {@code args[0]}. */
    public static final class Appender {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[0]);
            for (int i = 0; i < Integer.parseInt(args[1]); i++) {
                List<RequirementsLog.Entry> batch = new ArrayList<>();
                for (int j = 0; j < Integer.parseInt(args[2]); j++) {
                    batch.add(new RequirementsLog.Entry(RequirementsLog.Kind.SKIPPED, "nft",
                            "needs nft (Debian package nftables; .ci/run installs it)",
                            "[engine:junit-jupiter]/[class:" + ProcessHandle.current().pid() + "]/[method:t" + i + "_" + j
                                    + "()]"));
                }
                RequirementsLog.append(file, batch);
            }
        }
    }

    // Four JVMs appending at once: every record arrives whole, each on its own line.
    @Test
    void parallelJvmsAppendWholeLines() throws Exception {
        Path file = tmp.resolve("target/test-requirements.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> jvms = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jvms.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Appender.class.getName(),
                    file.toString(), "150", "3").inheritIO().start());
        }
        for (Process p : jvms) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4 * 150 * 3).allMatch(l -> l.matches("SKIPPED\tnft\tneeds nft \\(Debian package "
                + "nftables; \\.ci/run installs it\\)\t\\[engine:junit-jupiter]/\\[class:\\d+]/\\[method:t\\d+_\\d\\(\\)]"));
        assertThat(RequirementsLog.read(file)).hasSize(lines.size()).doesNotHaveDuplicates();
    }

    // Tabs and line breaks inside a field cannot break the format; a missing file reads as no records.
    @Test
    void fieldsStayOnOneLine() throws Exception {
        Path file = tmp.resolve("log");
        assertThat(RequirementsLog.read(file)).isEmpty();
        RequirementsLog.append(file, List.of(new RequirementsLog.Entry(RequirementsLog.Kind.SKIPPED, "",
                "the config module\tdoes not ship\nit yet", "t1")));
        assertThat(RequirementsLog.read(file)).containsExactly(new RequirementsLog.Entry(RequirementsLog.Kind.SKIPPED,
                "", "the config module does not ship it yet", "t1"));
    }
}
