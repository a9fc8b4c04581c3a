package io.duet.proxy.action;

import io.duet.config.Compression;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class CompressionHandlerTest {

    private static final Compression DEFAULTS = new Compression(true, null, null, null);
    private static final String PAGE = "<html><body>" + "<p>Duet compresses this paragraph.</p>\n".repeat(200) + "</body></html>";

    private final TestServers servers = new TestServers();

    @AfterEach
    void close() {
        servers.close();
    }

    /** A stand-in for the backend: sets the given headers and sends {@code body} with a known length. */
    private static HttpHandler origin(int status, String body, String... headers) {
        return ex -> {
            ex.setStatusCode(status);
            for (int i = 0; i < headers.length; i += 2) {
                ex.getResponseHeaders().add(new io.undertow.util.HttpString(headers[i]), headers[i + 1]);
            }
            ex.getResponseSender().send(body, StandardCharsets.UTF_8);
        };
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // A large compressible response is gzipped for a client that accepts gzip: Vary added, ETag made weak, body intact.
    @Test
    void compressesEligibleResponse() throws Exception {
        URI base = servers.start(new CompressionHandler(DEFAULTS,
                origin(200, PAGE, "Content-Type", "text/html; charset=utf-8", "ETag", "\"v1\"", "Vary", "Cookie")));
        HttpResponse<byte[]> response = servers.get(base, "/", "Accept-Encoding", "gzip, deflate");

        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(response.headers().allValues("Vary")).containsExactly("Cookie", "Accept-Encoding");
        assertThat(response.headers().firstValue("ETag")).hasValue("W/\"v1\"");
        assertThat(response.body().length).isLessThan(PAGE.length() / 5);
        assertThat(response.headers().firstValueAsLong("Content-Length"))
                .satisfiesAnyOf(cl -> assertThat(cl).isEmpty(), cl -> assertThat(cl).hasValue(response.body().length));
        assertThat(gunzip(response.body())).isEqualTo(PAGE);
    }

    // Accept-Encoding q-values: gzip or * with q>0 compresses; gzip;q=0, identity only or nothing does not.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gzip|true", "GZIP;q=0.5|true", "br, gzip;q=0.1|true", "*|true", "x-gzip|true",
            "gzip;q=0|false", "gzip;q=0, *|false", "identity|false", "br|false", "*;q=0|false", "''|false"})
    void honoursAcceptEncoding(String acceptEncoding, boolean compressed) throws Exception {
        URI base = servers.start(new CompressionHandler(DEFAULTS, origin(200, PAGE, "Content-Type", "text/html")));
        HttpResponse<byte[]> response = acceptEncoding.isEmpty()
                ? servers.get(base, "/")
                : servers.get(base, "/", "Accept-Encoding", acceptEncoding);
        assertThat(response.headers().firstValue("Content-Encoding").isPresent()).isEqualTo(compressed);
        assertThat(response.headers().allValues("Vary")).containsExactly("Accept-Encoding");
        assertThat(compressed ? gunzip(response.body()) : new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
    }

    // Responses that must pass untouched: wrong type, already encoded, small, partial, no type.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "image/png|", "text/html|br", "|"})
    void leavesIneligibleAlone(String type, String encoding) throws Exception {
        String[] headers = type == null ? new String[0]
                : encoding == null ? new String[]{"Content-Type", type}
                : new String[]{"Content-Type", type, "Content-Encoding", encoding};
        URI base = servers.start(new CompressionHandler(DEFAULTS, origin(200, PAGE, headers)));
        HttpResponse<byte[]> response = servers.get(base, "/", "Accept-Encoding", "gzip");
        assertThat(response.headers().allValues("Content-Encoding")).isEqualTo(encoding == null ? List.of() : List.of(encoding));
        assertThat(response.headers().firstValue("Vary")).isEmpty();
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length);
    }

    // A known length below minBytes is sent as it is; the same small body with an unknown length is compressed.
    @Test
    void minBytesAppliesToKnownLengthOnly() throws Exception {
        String small = "{\"a\":1}";
        URI known = servers.start(new CompressionHandler(DEFAULTS, origin(200, small, "Content-Type", "application/json")));
        HttpResponse<byte[]> plain = servers.get(known, "/", "Accept-Encoding", "gzip");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo(small);

        URI streamed = servers.start(new CompressionHandler(DEFAULTS, ex -> ex.dispatch(() -> {
            ex.startBlocking();
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
            try (OutputStream out = ex.getOutputStream()) {
                out.write("{\"a\":".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("1}".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        })));
        HttpResponse<byte[]> gz = servers.get(streamed, "/", "Accept-Encoding", "gzip");
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(gz.body())).isEqualTo(small);
    }

    // HEAD is never compressed (its Content-Length must describe the GET body); 204 and 206 are left alone.
    @Test
    void headAndBodilessStatuses() throws Exception {
        URI head = servers.start(new CompressionHandler(DEFAULTS, ex -> {
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html");
            ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, PAGE.length());
            ex.endExchange();
        }));
        String raw = TestServers.raw(head, "HEAD / HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 200").contains("Content-Length: " + PAGE.length())
                .doesNotContainIgnoringCase("content-encoding").endsWith("\r\n\r\n");

        URI noContent = servers.start(new CompressionHandler(DEFAULTS, ex -> {
            ex.setStatusCode(204);
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html");
            ex.endExchange();
        }));
        HttpResponse<byte[]> empty = servers.get(noContent, "/", "Accept-Encoding", "gzip");
        assertThat(empty.statusCode()).isEqualTo(204);
        assertThat(empty.headers().firstValue("Content-Encoding")).isEmpty();

        URI partial = servers.start(new CompressionHandler(DEFAULTS,
                origin(206, PAGE, "Content-Type", "text/html", "Content-Range", "bytes 0-" + (PAGE.length() - 1) + "/99999")));
        HttpResponse<byte[]> range = servers.get(partial, "/", "Accept-Encoding", "gzip");
        assertThat(range.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(range.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
    }

    // Configured types, a type/* entry and the level are honoured.
    @Test
    void configuredTypesAndLevel() throws Exception {
        Compression custom = new Compression(true, List.of("text/*", "application/vnd.duet+json"), 10, 1);
        URI csv = servers.start(new CompressionHandler(custom, origin(200, PAGE, "Content-Type", "text/csv")));
        URI vnd = servers.start(new CompressionHandler(custom, origin(200, PAGE, "Content-Type", "Application/VND.duet+json; v=2")));
        URI json = servers.start(new CompressionHandler(custom, origin(200, PAGE, "Content-Type", "application/json")));
        for (URI base : List.of(csv, vnd)) {
            HttpResponse<byte[]> response = servers.get(base, "/", "Accept-Encoding", "gzip");
            assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gunzip(response.body())).isEqualTo(PAGE);
        }
        assertThat(servers.get(json, "/", "Accept-Encoding", "gzip").headers().firstValue("Content-Encoding")).isEmpty();
    }

    // Through Undertow's ProxyHandler the decision uses the real backend's headers; the body survives intact.
    @Test
    void compressesProxiedResponses() throws Exception {
        URI backend = servers.start(origin(200, PAGE, "Content-Type", "text/plain", "ETag", "\"b1\""));
        URI proxy = servers.start(new CompressionHandler(DEFAULTS, servers.proxyTo(backend)));
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> response = servers.get(proxy, "/", "Accept-Encoding", "gzip");
            assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(response.headers().firstValue("ETag")).hasValue("W/\"b1\"");
            assertThat(gunzip(response.body())).isEqualTo(PAGE);
        }
        HttpResponse<byte[]> identity = servers.get(proxy, "/");
        assertThat(new String(identity.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
        assertThat(identity.headers().firstValue("Vary")).hasValue("Accept-Encoding");
    }
}
