package io.duet.proxy.scenario.routing;

import io.duet.config.Listener;
import io.duet.config.TlsCertificate;

import java.util.List;

/** The routing scenarios over HTTP/2 on TLS (ALPN h2), one connection per host with its SNI name, streams in turn. */
class Http2RoutingScenarioTest extends RoutingScenarios {
    @Override
    protected Listener listener() {
        return SniCertificates.listener(true);
    }

    @Override
    protected List<TlsCertificate> certificates() {
        return SniCertificates.get().certificates;
    }

    @Override
    protected ScenarioClient client(int port) {
        return new H2ScenarioClient(port);
    }

    @Override
    protected String scheme() {
        return "https";
    }
}
