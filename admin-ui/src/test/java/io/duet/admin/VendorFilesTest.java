package io.duet.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The third-party browser files (uPlot from its WebJar) at their fixed /vendor/ paths, with their type and the
 * security headers; nothing else of the WebJar, and no path that is not listed. Requests are written byte for byte.
 */
class VendorFilesTest {
    @TempDir
    Path dir;
    private AdminFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new AdminFixture(dir, NodeView.NONE);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private String get(String path) throws Exception {
        try (SSLSocket s = (SSLSocket) fixture.tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                fixture.server.address().getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
