package io.duet.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's Markdown stays navigable: every relative link in the root README, in docs/ and in the modules' own
 * notes (every *.md directly in a module directory, e.g. cluster/README.md, proxy/ERRORS.md) names a file that exists,
 * and every #anchor matches a heading of the file it points into, by GitHub's slug rules. Links with a scheme
 * (https:, mailto:, ...) are not followed. Reads the files relative to this module's directory (the project root is
 * "..").
 */
class DocsLinksTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    // [text](target) or [text](target "title"); the text may hold one level of brackets ([`pools[].x`](...)).
    private static final Pattern LINK =
            Pattern.compile("!?\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+).*?\\1");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    // Every relative link and anchor resolves; the message lists each broken one as file:line.
    @Test
    void everyRelativeLinkAndAnchorResolves() {
        List<Path> files = markdownFiles();
        assertThat(files).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/README.md"),
                ROOT.resolve("cluster/README.md"));
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : files) {
            List<String> lines = read(file);
            boolean fenced = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.stripLeading().startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) {
                    continue;
                }
                Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
                while (m.find()) {
                    String target = m.group(1);
                    if (SCHEME.matcher(target).find()) {
                        continue;
                    }
                    checked++;
                    String problem = problem(file, target, anchors);
                    if (problem != null) {
                        broken.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + target + ": " + problem);
                    }
                }
            }
        }
        assertThat(checked).as("relative links found").isGreaterThan(50);
        assertThat(broken).as("broken links").isEmpty();
    }

    // The RPM ships the guide: every page of docs/ has its entry in rpm/pom.xml (README.md's links point there).
    @Test
    void everyDocsPageIsShippedInTheRpm() throws IOException {
        String pom = Files.readString(ROOT.resolve("rpm/pom.xml"), StandardCharsets.UTF_8);
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            List<String> pages = docs.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md")).sorted()
                    .toList();
            assertThat(pages).contains("README.md", "install.md", "configuration.md", "pair-safety.md");
            for (String page : pages) {
                assertThat(pom).as(page).contains("<name>/usr/share/doc/duet/docs/" + page + "</name>")
                        .contains("<file>${project.basedir}/../docs/" + page + "</file>");
            }
        }
    }

    // The slug rules the link check relies on, as GitHub renders them.
    @Test
    void slugsFollowGitHub() {
        assertThat(slug("Servers given by host name (`pools[].resolve`)"))
                .isEqualTo("servers-given-by-host-name-poolsresolve");
        assertThat(slug("TLS (`--tls`, `--tls-only`, `--tls-key ec|rsa`)"))
                .isEqualTo("tls---tls---tls-only---tls-key-ecrsa");
        assertThat(slug("The node, the commands and joining (module `appliance`)"))
                .isEqualTo("the-node-the-commands-and-joining-module-appliance");
        assertThat(slug("Heap and GC: `-Xms64m -Xmx64m -XX:+UseSerialGC`"))
                .isEqualTo("heap-and-gc--xms64m--xmx64m--xxuseserialgc");
        assertThat(slug("See [the pair](pair.md) **now**")).isEqualTo("see-the-pair-now");
        assertThat(headingSlugs(List.of("# A", "## A", "```", "# B", "```", "### a")))
                .containsExactly("a", "a-1", "a-2");
    }

    /** Null when the link resolves, else what is wrong. */
    private static String problem(Path from, String target, Map<Path, Set<String>> anchors) {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
        if (!resolved.startsWith(ROOT)) {
            return "points outside the project";
        }
        if (!Files.exists(resolved)) {
            return "no such file " + ROOT.relativize(resolved);
        }
        if (anchor == null) {
            return null;
        }
        if (!resolved.getFileName().toString().endsWith(".md") || Files.isDirectory(resolved)) {
            return "an anchor into a file that is not Markdown";
        }
        Set<String> slugs = anchors.computeIfAbsent(resolved, f -> headingSlugs(read(f)));
        return slugs.contains(anchor) ? null : "no heading with the anchor #" + anchor + " in "
                + ROOT.relativize(resolved) + " (there: " + new TreeSet<>(slugs) + ")";
    }

    /** The anchors GitHub gives a file's headings: the slug, then slug-1, slug-2 for repeats. */
    static Set<String> headingSlugs(List<String> lines) {
        Set<String> slugs = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : lines) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (fenced || !m.matches()) {
                continue;
            }
            String base = slug(m.group(2));
            int n = seen.merge(base, 1, Integer::sum) - 1;
            slugs.add(n == 0 ? base : base + "-" + n);
        }
        return slugs;
    }

    /** GitHub's heading slug: link text for links, lowercase, punctuation but '-' and '_' removed, spaces to '-'. */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("(?U)[^\\p{L}\\p{N}\\p{M} _-]", "")
                .replace(' ', '-');
    }

    /** README.md and docs/*.md at the root, and every *.md directly in a module (non-hidden top-level) directory. */
    private static List<Path> markdownFiles() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> top = Files.list(ROOT)) {
            for (Path p : top.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && name.endsWith(".md")) {
                    files.add(p);
                } else if (Files.isDirectory(p) && !name.startsWith(".") && !name.equals("target")) {
                    try (Stream<Path> inner = Files.list(p)) {
                        inner.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".md"))
                                .sorted().forEach(files::add);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
