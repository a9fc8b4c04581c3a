package io.duet.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The summary printed at the end of {@code ./mvnw -B verify} (an execution in the last module of the reactor): how
 * many tests that need root or a tool ran, how many were skipped because something was missing (grouped by what, with
 * how to get it), how many for other reasons, and a warning when none of those tests ran at all.
 */
public final class RequirementsSummary {
    private RequirementsSummary() {
    }

    /** Prints the summary of the record file {@code args[0]} to standard output. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        lines(RequirementsLog.read(file), file).forEach(System.out::println);
    }

    /** The summary's lines, Maven-style ({@code [INFO] }, {@code [WARNING] }). */
    static List<String> lines(List<RequirementsLog.Entry> entries, Path file) {
        Map<String, Set<String>> ranBy = new TreeMap<>();           // need -> tests that ran with it
        Set<String> ran = new TreeSet<>();
        Map<String, Set<String>> missing = new LinkedHashMap<>();    // need -> tests skipped for lack of it
        Map<String, String> reasonOf = new LinkedHashMap<>();        // need -> its first reason
        Map<String, Set<String>> other = new LinkedHashMap<>();      // reason -> tests skipped for it
        Set<String> skipped = new TreeSet<>();
        for (RequirementsLog.Entry e : entries) {
            if (e.kind() == RequirementsLog.Kind.RAN) {
                ranBy.computeIfAbsent(e.what(), k -> new TreeSet<>()).add(e.test());
                ran.add(e.test());
            } else if (skipped.add(e.test())) {
                if (e.what().isEmpty()) {
                    other.computeIfAbsent(e.reason(), k -> new TreeSet<>()).add(e.test());
                } else {
                    missing.computeIfAbsent(e.what(), k -> new TreeSet<>()).add(e.test());
                    reasonOf.putIfAbsent(e.what(), e.reason());
                }
            }
        }
        int missingCount = missing.values().stream().mapToInt(Set::size).sum();
        int otherCount = other.values().stream().mapToInt(Set::size).sum();
        List<String> out = new ArrayList<>();
        out.add("[INFO] ------------------------------------------------------------------------");
        out.add("[INFO] Tests that need root or a tool the machine may lack (records: " + file + ")");
        if (ran.isEmpty()) {
            out.add("[INFO] Ran 0 tests needing root or a tool");
        } else {
            out.add("[INFO] Ran " + count(ran.size()) + " needing root or a tool: " + ranBy.entrySet().stream()
                    .map(e -> e.getValue().size() + " with " + e.getKey()).collect(Collectors.joining(", ")));
        }
        if (missingCount == 0) {
            out.add("[INFO] 0 tests skipped because something was missing");
        } else {
            out.add("[WARNING] " + count(missingCount) + " skipped because something was missing:");
            missing.forEach((what, tests) -> out.add("[WARNING]   " + tests.size() + " "
                    + reasonOf.get(what).replaceFirst("^needs ", tests.size() == 1 ? "needs " : "need ")));
        }
        if (otherCount > 0) {
            out.add("[WARNING] " + count(otherCount) + " skipped for other reasons:");
            other.forEach((reason, tests) -> out.add("[WARNING]   " + tests.size() + ": " + reason));
        }
        if (ran.isEmpty() && missingCount > 0) {
            out.add("[WARNING] NONE of the tests that need root or a tool ran: all " + missingCount + " were skipped "
                    + "(above); run .ci/run as root on Debian to run them");
        }
        out.add("[INFO] ------------------------------------------------------------------------");
        return out;
    }

    private static String count(int n) {
        return n + (n == 1 ? " test" : " tests");
    }
}
