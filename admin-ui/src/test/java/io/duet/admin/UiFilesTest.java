package io.duet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.duet.admin.message.AdminMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin listener serves every file under the UI's resource folder (nothing lists them) with its content type and
 * the security headers, and nothing else: traversal, directories, hidden and absent files get the JSON 404. Requests
 * are written byte for byte over TLS, so no client normalises a path first.
 */
class UiFilesTest {
    private static final Map<String, String> TYPES = Map.of("html", "text/html", "js", "application/javascript",
            "css", "text/css", "svg", "image/svg+xml");
    @RegisterExtension
    final AdminFixtureExtension admin = new AdminFixtureExtension(NodeView.NONE);

    /** A response read by {@link #get}: status, headers (names lower case, first value) and body. */
    private record Response(int status, Map<String, String> headers, String body) {
    }

    private Response get(String method, String path) throws Exception {
        String response = admin.fixture().exchange(method + " " + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        int head = response.indexOf("\r\n\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : response.substring(0, head).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        return new Response(Integer.parseInt(response.substring(9, 12)), headers, response.substring(head + 4));
    }

    private static void hasSecurityHeaders(Response r) {
        assertThat(r.headers().get("content-security-policy")).contains("script-src 'self'", "default-src 'self'",
                "frame-ancestors 'none'");
        assertThat(r.headers()).containsEntry("x-content-type-options", "nosniff")
                .containsEntry("x-frame-options", "DENY").containsKey("strict-transport-security");
    }

    /** Every file of the shipped UI (walked on disk, so a module added later is covered too) at its path. */
    @Test
    void everyFileUnderTheUiFolderIsServedWithItsTypeAndTheSecurityHeaders() throws Exception {
        // This module's classes folder, not the test class path's (whose ui/ holds the probe only).
        Path root = Path.of(AdminServer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(UiFiles.ROOT);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).extracting(f -> root.relativize(f).toString().replace('\\', '/'))
                .contains("index.html", "app.js", "style.css", "lib/lists.js", "pages/pools.js");
        for (Path f : files) {
            String path = "/" + root.relativize(f).toString().replace('\\', '/');
            String ext = path.substring(path.lastIndexOf('.') + 1);
            Response r = get("GET", path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.headers().get("content-type")).as(path).startsWith(TYPES.get(ext));
            assertThat(r.headers()).as(path).containsEntry("cache-control", "no-cache");
            hasSecurityHeaders(r);
            assertThat(r.body()).as(path).isEqualTo(Files.readString(f));
        }
        Response index = get("GET", "/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).contains("<script type=\"module\" src=\"/app.js\"></script>");
        hasSecurityHeaders(index);
    }

    /** A module that exists only on the test class path and is listed nowhere is served like the others. */
    @Test
    void aNewModuleIsServedWithoutBeingListed() throws Exception {
        Response r = get("GET", "/pages/test-only-probe.js");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("content-type")).startsWith("application/javascript");
        assertThat(r.body()).contains("export const probe = 'served';");
        assertThat(get("HEAD", "/pages/test-only-probe.js").status()).isEqualTo(200);
    }

    /** Nothing outside the folder, no directory, no hidden or absent file: the listener's JSON 404 each time. */
    @Test
    void traversalDirectoriesAndAbsentFilesAreNotFound() throws Exception {
        for (String path : List.of("/../AdminServer.class", "/lib/../../AdminServer.class", "/../ui/app.js",
                "/%2e%2e/AdminServer.class", "/lib/%2e%2e/%2e%2e/AdminServer.class", "/lib/..%2f..%2fAdminServer.class",
                "/lib/%2e%2e%2f%2e%2e%2fAdminServer.class", "/./app.js", "/lib/./dom.js", "//app.js", "/lib//dom.js",
                "/lib", "/lib/", "/pages/", "/app.js/", "/.app.js", "/lib/.hidden.js", "/lib/absent.js",
                "/AdminServer.class", "/io/duet/admin/ui/app.js", "/app.js%00.js", "/lib%5cdom.js",
                "/index.html.bak", "/lib/dom.js.map")) {
            Response r = get("GET", path);
            assertThat(r.status()).as(path).isEqualTo(404);
            hasSecurityHeaders(r);
            JsonNode body = AdminFixture.JSON.readTree(r.body());
            assertThat(body.path("id").asText()).as(path).isEqualTo(AdminMessage.NOT_FOUND.id());
        }
        assertThat(get("POST", "/app.js").status()).as("only GET and HEAD").isEqualTo(404);
    }
}
