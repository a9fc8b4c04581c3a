package io.duet.appliance;

import io.duet.appliance.node.DemoBackends;
import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo backends on their own: real Undertow servers on 127.0.0.1 and ephemeral ports. */
class DemoBackendsTest {
    private DemoBackends backends;

    @BeforeEach
    void start() {
        backends = DemoBackends.start();
    }

    @AfterEach
    void stop() {
        backends.close();
    }

    // Each backend binds 127.0.0.1 on its own port chosen by the OS.
    @Test
    void bindLoopbackOnEphemeralPorts() {
        assertThat(backends.b1().getAddress().isLoopbackAddress()).isTrue();
        assertThat(backends.b1().getPort()).isPositive().isNotEqualTo(backends.b2().getPort());
    }

    // A backend names itself in the body and in X-Backend, and echoes the request line and headers it received.
    @Test
    void answerWithIdentityAndEcho() throws Exception {
        RawHttp.Response b1 = RawHttp.get(backends.b1(), "demo.local", "/some/path?q=1");
        RawHttp.Response b2 = RawHttp.get(backends.b2(), "demo.local", "/");

        assertThat(b1.status()).isEqualTo(200);
        assertThat(b1.header("X-Backend")).isEqualTo("b1");
        assertThat(b1.header("Content-Type")).startsWith("text/plain");
        assertThat(b1.body()).startsWith("hello from demo backend b1\n")
                .contains("GET /some/path?q=1 HTTP/1.1", "Host: demo.local", "X-Test: raw-client");
        assertThat(b2.header("X-Backend")).isEqualTo("b2");
        assertThat(b2.body()).startsWith("hello from demo backend b2\n");
    }

    // close() releases the ports.
    @Test
    void closeStopsListening() {
        InetSocketAddress b1 = backends.b1();
        backends.close();

        assertThatThrownBy(() -> RawHttp.get(b1, "demo.local", "/")).isInstanceOf(ConnectException.class);
        backends = DemoBackends.start(); // for @AfterEach
    }
}
