package io.duet.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * cannot come to mean two things unnoticed. A module's catalogue is its {@code *Message} enum (ConfigMessage,
 * TlsMessage, ClusterMessage, ApplianceMessage, ProxyMessage, ...; also the proxy's ErrorId): its ids, read from the
 * source ({@code NAME("DUET-...", ...)}, {@code NAME(status, "DUET-...", ...)}, or {@code NAME(n, ...)} where the enum
 * formats {@code "DUET-XXX-%04d"}), are declared by one constant of one
 * catalogue and each leads a row; and a module that has a catalogue writes no id in a string literal anywhere else,
 * so new code takes its id from the catalogue. Ids only mentioned in comments are not checked. Reads the files
 * relative to this module's directory (the project root is "..").
 */
class MessageIdsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern ID = Pattern.compile("DUET-[A-Z]+-\\d{4}");
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    /**
     * A catalogue constant with its id written out: {@code NAME("DUET-XXX-nnnn", ...}, or after a number
     * ({@code NAME(404, "DUET-XXX-nnnn", ...}, the status of an error id).
     */
    private static final Pattern DECLARED =
            Pattern.compile("^\\s*([A-Z][A-Z0-9_]*)\\((?:\\d+,\\s*)?\"(DUET-[A-Z]+-\\d{4})\"[,)]");
    /** A catalogue constant with its number, in a catalogue that formats its ids from numbers. */
    private static final Pattern NUMBERED = Pattern.compile("^\\s*([A-Z][A-Z0-9_]*)\\((\\d+),");
    private static final Pattern FORMAT = Pattern.compile("\"(DUET-[A-Z]+-)%04d\"");

    /**
     * Catalogues not named {@code *Message}, held to the same rules (each id declared once, each with a row): the
     * proxy's client-facing error ids, one per HTTP status ({@code NAME(status, "DUET-PROXY-0nnn", ...)};
     * proxy/ERRORS.md lists them), next to its {@code ProxyMessage}.
     */
    private static final Set<String> OTHER_CATALOGUES =
            Set.of("proxy/src/main/java/io/duet/proxy/response/ErrorId.java");

    @Test
    void everyIdTheCodeWritesIsCataloguedOnce() {
        Map<String, String> used = new TreeMap<>(); // id -> first place
        for (Path f : javaSources()) {
            for (Literal l : idLiterals(f)) {
                used.putIfAbsent(l.id(), l.where());
            }
        }
        Map<String, List<String>> rows = markdownRows();
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

    @Test
    void eachCataloguedIdIsDeclaredOnceAndHasARow() {
        Map<String, List<String>> declared = new TreeMap<>(); // id -> each constant declaring it (file:line NAME)
        for (Path f : catalogues()) {
            List<String> constants = declarations(f);
            assertThat(constants).as("ids declared by " + ROOT.relativize(f)).isNotEmpty();
            for (String c : constants) {
                declared.computeIfAbsent(c.substring(0, c.indexOf(' ')), k -> new ArrayList<>()).add(c);
            }
        }
        assertThat(catalogues()).extracting(f -> f.getFileName().toString())
                .contains("ConfigMessage.java", "TlsMessage.java", "ClusterMessage.java", "ApplianceMessage.java",
                        "ProxyMessage.java", "ErrorId.java");
        assertThat(declared).as("ids the catalogues declare").hasSizeGreaterThan(200);
        List<String> twice = new ArrayList<>();
        declared.forEach((id, where) -> {
            if (where.size() > 1) {
                twice.add(where.toString());
            }
        });
        assertThat(twice).as("ids declared by two constants or two catalogues (one id, one constant)").isEmpty();
        Map<String, List<String>> rows = markdownRows();
        List<String> missing = new ArrayList<>();
        declared.forEach((id, where) -> {
            if (!rows.containsKey(id)) {
                missing.add(where.get(0));
            }
        });
        assertThat(missing).as("catalogued ids that no Markdown table lists (add a row where the module catalogues "
                + "its ids)").isEmpty();
    }

    @Test
    void aModuleWithACatalogueWritesNoIdOutsideIt() {
        Set<Path> catalogues = new TreeSet<>(catalogues());
        Set<Path> modules = new TreeSet<>();
        for (Path c : catalogues) {
            modules.add(moduleOf(c));
        }
        assertThat(modules).extracting(m -> m.getFileName().toString())
                .contains("config", "tls", "cluster", "appliance", "proxy", "admin-ui");
        List<String> literal = new ArrayList<>();
        for (Path f : javaSources()) {
            if (!modules.contains(moduleOf(f)) || catalogues.contains(f)) {
                continue;
            }
            for (Literal l : idLiterals(f)) {
                literal.add(l.id() + " (" + l.where() + ")");
            }
        }
        assertThat(literal).as("ids written as string literals in a module that has a catalogue (take them from "
                + "the module's *Message enum, adding a constant there if it is new)").isEmpty();
    }

    /** An id inside a string literal of the code, and where. */
    private record Literal(String id, String where) {
    }

    private static List<Literal> idLiterals(Path f) {
        List<Literal> out = new ArrayList<>();
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
                    out.add(new Literal(m.group(), ROOT.relativize(f) + ":" + (i + 1)));
                }
            }
        }
        return out;
    }

    /** The ids a catalogue declares, each as "ID file:line NAME". */
    private static List<String> declarations(Path f) {
        List<String> lines = read(f);
        Matcher format = FORMAT.matcher(String.join("\n", lines));
        String prefix = format.find() ? format.group(1) : null;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = ROOT.relativize(f) + ":" + (i + 1);
            Matcher d = DECLARED.matcher(lines.get(i));
            Matcher n = NUMBERED.matcher(lines.get(i));
            if (d.lookingAt()) {
                out.add(d.group(2) + " " + where + " " + d.group(1));
            } else if (prefix != null && n.lookingAt()) {
                out.add(String.format(Locale.ROOT, "%s%04d %s %s", prefix, Integer.parseInt(n.group(2)), where,
                        n.group(1)));
            }
        }
        return out;
    }

    /** Every module's {@code *Message.java} that declares an enum of that name, and the other catalogues. */
    private static List<Path> catalogues() {
        List<Path> out = new ArrayList<>();
        for (Path f : javaSources()) {
            String name = f.getFileName().toString();
            boolean other = OTHER_CATALOGUES.contains(ROOT.relativize(f).toString().replace('\\', '/'));
            if (other || name.endsWith("Message.java")
                    && Pattern.compile("\\benum\\s+" + name.replace(".java", "") + "\\b")
                            .matcher(String.join("\n", read(f))).find()) {
                out.add(f);
            }
        }
        return out;
    }

    private static Path moduleOf(Path source) {
        return ROOT.resolve(ROOT.relativize(source).getName(0));
    }

    /** id -> each Markdown table row that it leads (file:line). */
    private static Map<String, List<String>> markdownRows() {
        Map<String, List<String>> rows = new TreeMap<>();
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
        return rows;
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
