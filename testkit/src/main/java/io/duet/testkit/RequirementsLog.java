package io.duet.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The build's record of tests that needed something the machine may lack: one line per test and need, tab-separated
 * {@code KIND WHAT REASON TEST}, appended by every test JVM of the build (Surefire and Failsafe forks, possibly at
 * once) and read by {@link RequirementsSummary} at the end. The parent POM names the file
 * ({@value #PROPERTY} = target/test-requirements.log at the reactor root) and clears it when the build starts.
 */
final class RequirementsLog {
    /** The system property naming the file in test JVMs. */
    static final String PROPERTY = "duet.test.requirements.log";

    enum Kind { SKIPPED, RAN }

    /**
     * One record.
     *
     * @param what   the need ({@link Lack#what()}); empty for a test skipped for another reason
     * @param reason the skip's one-line reason; empty for {@link Kind#RAN}
     * @param test   the test's JUnit unique id
     */
    record Entry(Kind kind, String what, String reason, String test) {
        Entry {
            what = field(what);
            reason = field(reason);
            test = field(test);
        }

        String line() {
            return kind + "\t" + what + "\t" + reason + "\t" + test + "\n";
        }

        static Entry parse(String line) {
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                throw new IllegalArgumentException("not a record: " + line);
            }
            return new Entry(Kind.valueOf(f[0]), f[1], f[2], f[3]);
        }

        private static String field(String s) {
            return s == null ? "" : s.replaceAll("[\\t\\r\\n]+", " ");
        }
    }

    private RequirementsLog() {
    }

    /**
     * Appends the records with one write under an exclusive file lock (other JVMs append to the same file), creating
     * the file and its directory when needed. Callers in one JVM must not call this concurrently (the listener
     * synchronises): a JVM may hold a file's lock only once.
     */
    static void append(Path file, List<Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        entries.forEach(e -> text.append(e.line()));
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.lock(); // released when the channel closes
            ByteBuffer b = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    /** Every record in the file, in order; none when it does not exist. Lines that are not records are ignored. */
    static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    entries.add(Entry.parse(line));
                } catch (IllegalArgumentException e) {
                    // a line cut by a crashed writer: not a record
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return entries;
    }
}
