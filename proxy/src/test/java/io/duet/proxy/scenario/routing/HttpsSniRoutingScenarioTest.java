package io.duet.proxy.scenario.routing;

import io.duet.config.Listener;
import io.duet.config.TlsCertificate;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routing scenarios over HTTPS (HTTP/1.1) on one listener with two certificates: each connection sends its
 * host as SNI and accepts only that host's certificate.
 */
class HttpsSniRoutingScenarioTest extends RoutingScenarios {
    @Override
    protected Listener listener() {
        return SniCertificates.listener(false);
    }

    @Override
    protected List<TlsCertificate> certificates() {
        return SniCertificates.get().certificates;
    }

    @Override
    protected ScenarioClient client(int port) {
        return new Http1ScenarioClient(host -> SniCertificates.get().connect(port, host));
    }

    @Override
    protected String scheme() {
        return "https";
    }

    // The SNI name picks the certificate: a.test and b.test each get their own from the one listener.
    @Test
    void sniPicksTheCertificate() throws Exception {
        int port = listenerPort();
        for (String host : List.of("a.test", "b.test")) {
            try (SSLSocket s = SniCertificates.get().connect(port, host)) {
                X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
                assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=" + host);
            }
        }
    }
}
