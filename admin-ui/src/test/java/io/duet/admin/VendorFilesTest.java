package io.duet.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The third-party browser files (uPlot from its WebJar) at their fixed /vendor/ paths, with their type and the
 * security headers; nothing else of the WebJar, and no path that is not listed. Requests are written byte for byte.
 */
class VendorFilesTest {
    @RegisterExtension
    final AdminFixtureExtension admin = new AdminFixtureExtension(NodeView.NONE);

    private String get(String path) throws Exception {
        return admin.fixture().exchange("GET " + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    @Test
    void theListedFilesAreServedWithTheirTypeAndTheSecurityHeaders() throws Exception {
        String js = get("/vendor/uplot/uPlot.esm.js");
        assertThat(js).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: application/javascript")
                .containsIgnoringCase("content-security-policy: default-src 'self'")
                .containsIgnoringCase("x-content-type-options: nosniff").contains("export { uPlot as default }");
        assertThat(get("/vendor/uplot/uPlot.min.css")).startsWith("HTTP/1.1 200")
                .containsIgnoringCase("content-type: text/css").contains(".uplot");
    }

    @Test
    void nothingElseOfTheWebJar() throws Exception {
        for (String path : List.of("/vendor/uplot/README.md", "/vendor/uplot/package.json", "/vendor/uplot/",
                "/vendor/uplot/uPlot.cjs.js", "/vendor/uplot/../index.html", "/vendor/uplot/%2e%2e/app.js",
                "/webjars/uplot/1.6.30/dist/uPlot.esm.js", "/META-INF/resources/webjars/uplot/1.6.30/package.json")) {
            assertThat(get(path)).as(path).startsWith("HTTP/1.1 404");
        }
    }
}
