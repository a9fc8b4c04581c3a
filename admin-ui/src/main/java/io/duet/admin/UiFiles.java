package io.duet.admin;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which request paths are the web UI's files: {@code /} (its index.html) and every file under this module's
 * resource folder {@value #ROOT} with a served extension ({@link #EXTENSIONS}), at its path below that folder (so
 * {@code ui/pages/pools.js} is {@code /pages/pools.js}). A new module is served without being listed anywhere.
 *
 * <p>Only plain names pass: each segment letters, digits, {@code -} and {@code _}, with single dots between (no
 * {@code .} or {@code ..} segment, no hidden file, no empty segment, no escape character), the last one ending in a
 * served extension (so never a directory), and the file present on the class path. Anything else is not a UI file.
 * Stateless and thread-safe (an I/O or worker thread asks; the lookup reads the class path, it does not block on I/O
 * beyond that).
 */
final class UiFiles {
    /** The class-path folder the UI is served from. */
    static final String ROOT = "io/duet/admin/ui";
    /** The extensions served (Undertow's content types: text/html, application/javascript, text/css, image/svg+xml). */
    static final Set<String> EXTENSIONS = Set.of("html", "js", "css", "svg");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private UiFiles() {
    }

    /** True when {@code path} (a request's decoded path) names a UI file that exists. */
    static boolean served(String path) {
        if (path.equals("/")) {
            return true;
        }
        if (!path.startsWith("/")) {
            return false;
        }
        String[] segments = path.substring(1).split("/", -1);
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches()) {
                return false;
            }
        }
        String last = segments[segments.length - 1];
        int dot = last.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(last.substring(dot + 1))
                && UiFiles.class.getClassLoader().getResource(ROOT + path) != null;
    }
}
