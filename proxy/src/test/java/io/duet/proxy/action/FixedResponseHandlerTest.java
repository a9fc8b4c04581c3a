package io.duet.proxy.action;

import io.duet.config.FixedResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FixedResponseHandlerTest {

    private final TestServers servers = new TestServers();

    @AfterEach
    void close() {
        servers.close();
    }

    // Status, content type and UTF-8 body are sent, the same on every request (the prepared buffer is not consumed).
    @Test
    void sendsTheSameBodyEveryTime() throws Exception {
        String body = "{\"ok\":true,\"name\":\"Zoë €\"}";
        URI base = servers.start(new FixedResponseHandler(new FixedResponse(418, body, "application/json")));
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> response = servers.get(base, "/any");
            assertThat(response.statusCode()).isEqualTo(418);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(body);
            assertThat(response.headers().firstValueAsLong("Content-Length"))
                    .hasValue(body.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    // Defaults: 200, empty body with Content-Length 0; HEAD gets the headers without a body.
    @Test
    void defaultsAndHead() throws Exception {
        URI base = servers.start(new FixedResponseHandler(new FixedResponse(null, null, null)));
        HttpResponse<byte[]> response = servers.get(base, "/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(0);

        URI text = servers.start(new FixedResponseHandler(new FixedResponse(503, "down", null)));
        String head = TestServers.raw(text, "HEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 503").contains("Content-Length: 4", "text/plain; charset=utf-8")
                .endsWith("\r\n\r\n");
    }
}
