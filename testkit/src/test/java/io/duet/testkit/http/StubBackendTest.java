package io.duet.testkit.http;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StubBackendTest {
    // It answers with its name and records what it saw; RawHttp sends the Host header it is given.
    @Test
    void recordsAndAnswers() throws Exception {
        try (StubBackend b = StubBackend.start("b1")) {
            RawHttp.Response r = RawHttp.get(b.address(), "x.test", "/p?q=1");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Backend")).isEqualTo("b1");
            assertThat(r.body()).isEqualTo("b1 GET /p?q=1");
            assertThat(b.last().header("x-test")).isEqualTo("raw-client");
            assertThat(b.hosts()).containsExactly("x.test");
            assertThat(b.requests()).isEqualTo(1);
        }
    }

    // Modes: 500, a closed connection, a health mode apart; stop refuses, start listens on the same port again.
    @Test
    void modesAndRestart() throws Exception {
        try (StubBackend b = StubBackend.start("b2").body("ok b2")) {
            b.mode(StubBackend.Mode.ERROR).healthMode(StubBackend.Mode.OK);
            assertThat(RawHttp.get(b.address(), "h", "/").body()).isEqualTo("error b2");
            assertThat(RawHttp.get(b.address(), "h", "/health").body()).isEqualTo("ok b2");
            assertThat(b.checks()).isEqualTo(1);
            assertThat(b.requestsBesideChecks()).isEqualTo(1);
            b.mode(StubBackend.Mode.CLOSE);
            try (RawHttp raw = RawHttp.connect(b.address())) {
                raw.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").assertClosedWithin(Duration.ofSeconds(5));
            }
            int port = b.port();
            b.stop();
            assertThatThrownBy(() -> RawHttp.get(b.address(), "h", "/")).isInstanceOf(ConnectException.class);
            b.start().mode(StubBackend.Mode.OK);
            assertThat(b.port()).isEqualTo(port);
            assertThat(RawHttp.get(b.address(), "h", "/").body()).isEqualTo("ok b2");
        }
    }
}
