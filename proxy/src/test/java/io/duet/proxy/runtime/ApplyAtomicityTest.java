package io.duet.proxy.runtime;

import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.Pool;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApplyAtomicityTest {

    // A revision whose new listener cannot bind is rejected whole: the previous revision keeps serving.
    @Test
    void revisionWithUnbindableListenerChangesNothing() throws Exception {
        try (StubBackend b1 = StubBackend.start("b1"); StubBackend b2 = StubBackend.start("b2");
             ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.simpleConfig(Pool.ROUND_ROBIN, b1, b2))) {
            DuetConfig base = ProxyFixture.simpleConfig(Pool.WEIGHTED_ROUND_ROBIN, b1, b2);
            List<Listener> listeners = new ArrayList<>(base.listeners());
            listeners.add(new Listener("second", "127.0.0.1", taken.getLocalPort()));
            DuetConfig bad = new DuetConfig(2L, listeners, base.limits(), base.forwarding(), base.accessLog(),
                    base.virtualHosts(), base.pools());

            assertThatThrownBy(() -> proxy.dataPlane().apply(bad)).hasMessageContaining("second");

            assertThat(proxy.dataPlane().revision()).isEqualTo(1);
            assertThatThrownBy(() -> proxy.dataPlane().address("second")).isInstanceOf(IllegalArgumentException.class);
            assertThat(proxy.get("/still").statusCode()).isEqualTo(200);
        }
    }

    // A listener whose port changes is rebound on the new port and stops answering on the old one.
    @Test
    void changedListenerPortIsRebound() throws Exception {
        try (StubBackend b1 = StubBackend.start("b1");
             ProxyFixture proxy = ProxyFixture.start(ProxyFixture.simpleConfig(Pool.ROUND_ROBIN, b1))) {
            int oldPort = proxy.port();
            int newPort;
            try (ServerSocket s = new ServerSocket(0)) {
                newPort = s.getLocalPort();
            }
            DuetConfig base = ProxyFixture.simpleConfig(Pool.ROUND_ROBIN, b1);
            proxy.dataPlane().apply(new DuetConfig(2L, List.of(new Listener("http", "127.0.0.1", newPort)),
                    base.limits(), base.forwarding(), base.accessLog(), base.virtualHosts(), base.pools()));
            assertThat(proxy.port()).isEqualTo(newPort);
            assertThat(proxy.get("/moved").statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", oldPort).close())
                    .isInstanceOf(java.net.ConnectException.class);
        }
    }
}
