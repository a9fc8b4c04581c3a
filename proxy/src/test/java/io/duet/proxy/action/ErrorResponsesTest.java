package io.duet.proxy.action;

import io.duet.proxy.request.RequestContext;
import io.duet.proxy.response.ErrorId;
import io.duet.proxy.response.ErrorResponses;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorResponsesTest {

    private final TestServers servers = new TestServers();

    @AfterEach
    void close() {
        servers.close();
    }

    // Accept decides between JSON and HTML with q-values; ties and */* mean HTML.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/json|json",
            "application/json;q=0.9, text/html;q=0.8|json",
            "text/html;q=0.5, application/json|json",
            "application/*|json",
            "application/json;q=0.5, text/html|html",
            "*/*|html",
            "application/json, text/html|html",
            "text/*, application/json;q=0.1|html",
            "application/json;q=0|html",
            "text/html|html",
            "image/png|html",
            "*/*;q=0.1, application/json|json"})
    void acceptChoosesTheFormat(String accept, String expected) throws Exception {
        URI base = servers.start(ex -> ErrorResponses.send(ex, ErrorId.BAD_GATEWAY));
        HttpResponse<byte[]> response = servers.get(base, "/", "Accept", accept);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                .startsWith(expected.equals("json") ? "application/json" : "text/html");
    }

    // The JSON body has status, reason, id, message and the request id, with headers for a small uncacheable body.
    @Test
    void jsonBodyAndHeaders() throws Exception {
        URI base = servers.start(ex -> ErrorResponses.send(ex, 502, "DUET-PROXY-0502", "backend said \"no\"\n"));
        HttpResponse<byte[]> response = servers.get(base, "/", "Accept", "application/json", "X-Request-Id", "r-1");
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(body.trim()).isEqualTo("{\"status\":502,\"error\":\"Bad Gateway\",\"id\":\"DUET-PROXY-0502\","
                + "\"message\":\"backend said \\\"no\\\"\\n\",\"requestId\":\"r-1\"}");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length);
        assertThat(response.headers().firstValue("Connection")).isNotEqualTo(java.util.Optional.of("close"));
    }

    // The HTML page escapes the message and request id (no markup injection through either).
    @Test
    void htmlEscapes() throws Exception {
        URI base = servers.start(ex -> {
            RequestContext.of(ex).requestId("<id&>");
            ErrorResponses.send(ex, 404, ErrorId.NO_ROUTE.id(), "no <script>alert('x')</script> here");
        });
        HttpResponse<byte[]> response = servers.get(base, "/");
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(body).contains("404 Not Found", "DUET-PROXY-0404",
                "no &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; here", "&lt;id&amp;&gt;");
        assertThat(body).doesNotContain("<script>", "<id&>");
    }

    // Asking for close sends Connection: close and the server really closes the connection.
    @Test
    void closeConnectionClosesIt() throws Exception {
        URI base = servers.start(ex -> ErrorResponses.send(ex, ErrorId.TOO_MANY_REQUESTS, true));
        String response = TestServers.raw(base, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 429 ").containsIgnoringCase("connection: close")
                .doesNotContain("[TIMEOUT]");
    }

    // Sending from a worker thread in blocking mode works as well as from the I/O thread.
    @Test
    void worksFromABlockingWorkerThread() throws Exception {
        URI base = servers.start(ex -> ex.dispatch(() -> {
            ex.startBlocking();
            ErrorResponses.send(ex, ErrorId.GATEWAY_TIMEOUT);
        }));
        HttpResponse<byte[]> response = servers.get(base, "/", "Accept", "application/json");
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("\"id\":\"DUET-PROXY-0504\"");
    }

    // Headers set before the error (e.g. copied from a failed backend response) do not leak into the error.
    @Test
    void replacesEarlierResponseHeaders() throws Exception {
        URI base = servers.start(ex -> {
            ex.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_ENCODING, "gzip");
            ex.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_LENGTH, 99999);
            ErrorResponses.send(ex, ErrorId.INTERNAL);
        });
        HttpResponse<byte[]> response = servers.get(base, "/");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length);
    }

    // Every error id is unique, names its status, and the catalogue covers the statuses the proxy sends.
    @Test
    void errorIdsAreStable() {
        assertThat(Arrays.stream(ErrorId.values()).map(ErrorId::id).distinct().count()).isEqualTo(ErrorId.values().length);
        for (ErrorId id : ErrorId.values()) {
            assertThat(id.id()).isEqualTo(String.format("DUET-PROXY-%04d", id.status()));
        }
        assertThat(new HashSet<>(Arrays.stream(ErrorId.values()).map(ErrorId::status).toList()))
                .containsExactlyInAnyOrder(400, 403, 404, 408, 413, 421, 429, 431, 500, 502, 503, 504);
    }
}
