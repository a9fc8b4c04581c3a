package io.duet.proxy.scenario.routing;

import io.duet.config.Listener;

import java.net.InetSocketAddress;
import java.net.Socket;

/** The routing scenarios over HTTP/1.1 in clear. */
class Http1RoutingScenarioTest extends RoutingScenarios {
    @Override
    protected Listener listener() {
        return new Listener("in", "127.0.0.1", 0);
    }

    @Override
    protected ScenarioClient client(int port) {
        return new Http1ScenarioClient(host -> {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return s;
        });
    }

    @Override
    protected String scheme() {
        return "http";
    }
}
