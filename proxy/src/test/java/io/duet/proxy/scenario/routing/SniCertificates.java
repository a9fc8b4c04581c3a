package io.duet.proxy.scenario.routing;

import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.config.TlsCertificate;
import io.duet.testkit.tls.Issued;
import io.duet.testkit.tls.TestPki;

import java.net.Socket;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Two certificates from one test CA, "a" for a.test and "b" for b.test, served by one TLS listener that picks
 * them by SNI; and TLS sockets that send the SNI name and accept only a certificate of the CA for that name.
 * Made once per JVM; immutable.
 */
final class SniCertificates {
    private static final SniCertificates INSTANCE = make();

    final TestPki pki;
    final List<TlsCertificate> certificates;

    private SniCertificates(TestPki pki, List<TlsCertificate> certificates) {
        this.pki = pki;
        this.certificates = certificates;
    }

    static SniCertificates get() {
        return INSTANCE;
    }

    private static SniCertificates make() {
        try {
            TestPki pki = TestPki.root("Duet Routing Scenarios CA");
            Issued a = pki.issue("a.test", "ec", 30, "DNS:a.test");
            Issued b = pki.issue("b.test", "ec", 30, "DNS:b.test");
            return new SniCertificates(pki, List.of(new TlsCertificate("a", a.certificatePem(), a.keyPem()),
                    new TlsCertificate("b", b.certificatePem(), b.keyPem())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTPS listener {@code in} serving both certificates ("a" by default), with or without HTTP/2. */
    static Listener listener(boolean http2) {
        return new Listener("in", "127.0.0.1", 0, "https", null,
                new ListenerTls(List.of("a", "b"), "a", null, http2, null));
    }

    /** A TLS socket to 127.0.0.1 that sends {@code host} as SNI and checks the certificate is the CA's for it. */
    SSLSocket connect(int port, String host) throws Exception {
        SSLSocket s = (SSLSocket) pki.clientContext().getSocketFactory().createSocket("127.0.0.1", port);
        s.setTcpNoDelay(true);
        return handshake(s, host);
    }

    /** The same as {@link #connect}, layered over a connected TCP socket (closed with the TLS socket). */
    SSLSocket connectOver(Socket tcp, String host) throws Exception {
        return handshake((SSLSocket) pki.clientContext().getSocketFactory().createSocket(tcp, "127.0.0.1",
                tcp.getPort(), true), host);
    }

    private static SSLSocket handshake(SSLSocket s, String host) throws Exception {
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(host)));
        p.setEndpointIdentificationAlgorithm("HTTPS");
        p.setApplicationProtocols(new String[]{"http/1.1"});
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }
}
