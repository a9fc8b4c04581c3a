package io.duet.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The third-party browser files the UI loads, served from their WebJars on the class path at fixed paths under
 * {@code /vendor/} (so a module imports {@code /vendor/uplot/uPlot.esm.js} whatever the library's version). Only the
 * files listed here are served: a request path is looked up in a map, never joined to a class-path folder, so no
 * other WebJar file (README, sources, package.json) and nothing outside is reachable. Immutable; any thread.
 */
final class VendorFiles {
    /** The prefix of every vendor path. */
    static final String PREFIX = "/vendor/";
    /** The uPlot WebJar's folder, its version read once from the jar. */
    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + version("org.webjars.npm", "uplot")
            + "/";
    /** Request path to class-path resource. */
    static final Map<String, String> FILES = Map.of(
            "/vendor/uplot/uPlot.esm.js", UPLOT + "dist/uPlot.esm.js",
            "/vendor/uplot/uPlot.min.css", UPLOT + "dist/uPlot.min.css",
            "/vendor/uplot/LICENSE", UPLOT + "LICENSE");

    /** The files' bytes, read once when the class loads (about 200 KB), so no request reads the class path. */
    private static final Map<String, byte[]> BYTES = load();

    private VendorFiles() {
    }

    /** The bytes serving {@code path}, or null when it is not a vendor file. */
    static byte[] bytes(String path) {
        return BYTES.get(path);
    }

    private static Map<String, byte[]> load() {
        Map<String, byte[]> out = new java.util.HashMap<>();
        FILES.forEach((path, resource) -> {
            try (InputStream in = VendorFiles.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("vendor file missing from the class path: " + resource);
                }
                out.put(path, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return Map.copyOf(out);
    }

    /** The content type of a vendor file. */
    static String contentType(String path) {
        if (path.endsWith(".js")) {
            return "application/javascript";
        }
        return path.endsWith(".css") ? "text/css" : "text/plain; charset=utf-8";
    }

    /** The WebJar's version, from the pom.properties Maven packs into every jar. */
    private static String version(String group, String artifact) {
        String p = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = VendorFiles.class.getClassLoader().getResourceAsStream(p)) {
            if (in == null) {
                throw new IllegalStateException("the " + artifact + " WebJar is not on the class path (" + p + ")");
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
