package io.duet.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Every message id the code writes is catalogued, once: each {@code DUET-XXX-nnnn} inside a string literal of any
 * module's main sources is the leading cell of a table row in the project's Markdown (the root README, docs/, a
 * module's own notes such as cluster/README.md or proxy/ERRORS.md), and no id leads rows in two places, so an id
 * cannot come to mean two things unnoticed. Ids only mentioned in comments, and ids built at run time (the config
 * module's {@link ConfigMessage}, the proxy's status-numbered error ids), are checked by their own catalogues' tests.
 * Reads the files relative to this module's directory (the project root is "..").
 */
class MessageIdsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern ID = Pattern.compile("DUET-[A-Z]+-\\d{4}");
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

    @Test
    void everyIdTheCodeWritesIsCataloguedOnce() {
        Map<String, String> used = new TreeMap<>(); // id -> first place
        for (Path f : javaSources()) {
            List<String> lines = read(f);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
                    continue;
                }
                Matcher s = STRING.matcher(line);
                while (s.find()) {
                    Matcher m = ID.matcher(s.group(1));
                    while (m.find()) {
                        used.putIfAbsent(m.group(), ROOT.relativize(f) + ":" + (i + 1));
                    }
                }
            }
        }
        Map<String, List<String>> rows = new TreeMap<>(); // id -> each row that it leads (file:line)
        for (Path f : markdown()) {
            List<String> lines = read(f);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!line.startsWith("|")) {
                    continue;
                }
                Set<String> led = new TreeSet<>();
                for (String cell : line.split("\\|")) {
                    Matcher m = ID.matcher(cell.strip().replace("`", ""));
                    if (m.lookingAt()) {
                        led.add(m.group());
                    }
                }
                for (String id : led) {
                    rows.computeIfAbsent(id, k -> new ArrayList<>()).add(ROOT.relativize(f) + ":" + (i + 1));
                }
            }
        }
        assertThat(used).as("ids the code writes").hasSizeGreaterThan(100);
        List<String> missing = new ArrayList<>();
        used.forEach((id, where) -> {
            if (!rows.containsKey(id)) {
                missing.add(id + " (" + where + ")");
            }
        });
        assertThat(missing).as("ids the code writes that no Markdown table lists (add a row where the module "
                + "catalogues its ids)").isEmpty();
        List<String> twice = new ArrayList<>();
        rows.forEach((id, where) -> {
            if (where.size() > 1) {
                twice.add(id + " " + where);
            }
        });
        assertThat(twice).as("ids catalogued in more than one row (one id, one meaning, one place)").isEmpty();
    }

    private static List<Path> javaSources() {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path m : modules.filter(p -> Files.isDirectory(p.resolve("src/main/java"))).toList()) {
                try (Stream<Path> files = Files.walk(m.resolve("src/main/java"))) {
                    files.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(out).as("sources of several modules").anyMatch(p -> p.toString().contains("/cluster/"))
                .anyMatch(p -> p.toString().contains("/proxy/"));
        return out;
    }

    private static List<Path> markdown() {
        List<Path> out = new ArrayList<>();
        out.add(ROOT.resolve("README.md"));
        try (Stream<Path> top = Files.list(ROOT)) {
            for (Path d : top.filter(Files::isDirectory).toList()) {
                if (d.getFileName().toString().startsWith(".")) {
                    continue;
                }
                try (Stream<Path> files = Files.list(d)) {
                    files.filter(p -> p.toString().endsWith(".md")).forEach(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<String> read(Path f) {
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
