package io.duet.admin;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages of this module form no cycle: each file's references to classes of other {@code io.duet.admin}
 * packages (imports and qualified names in code, not in comments) are the arrows. Reads the main sources.
 */
class PackageCyclesTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.duet\\.admin(?:\\.[a-z]+)*)\\.[A-Z]");

    static Map<String, Set<String>> arrows() throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(SOURCES.resolve("io/duet/admin"))) {
            files = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path f : files) {
            String pkg = SOURCES.relativize(f.getParent()).toString().replace('/', '.');
            Set<String> to = out.computeIfAbsent(pkg, k -> new TreeSet<>());
            for (String line : Files.readAllLines(f)) {
                String code = line.strip();
                if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) {
                    continue;
                }
                Matcher m = REFERENCE.matcher(code);
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        to.add(m.group(1));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void noPackageCycle() throws IOException {
        Map<String, Set<String>> arrows = arrows();
        assertThat(arrows.keySet()).as("packages").contains("io.duet.admin", "io.duet.admin.api",
                "io.duet.admin.service", "io.duet.admin.change");
        List<String> cycles = new ArrayList<>();
        for (String start : arrows.keySet()) {
            find(arrows, start, start, new ArrayList<>(List.of(start)), new HashSet<>(), cycles);
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    private static void find(Map<String, Set<String>> arrows, String start, String at, List<String> trail,
                             Set<String> seen, List<String> cycles) {
        for (String next : arrows.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", trail) + " -> " + start);
            } else if (seen.add(next)) {
                trail.add(next);
                find(arrows, start, next, trail, seen, cycles);
                trail.remove(trail.size() - 1);
            }
        }
    }
}
