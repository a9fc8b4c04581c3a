package io.duet.proxy.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import static io.duet.proxy.message.ProxyMessage.CLIENT_CA_UNLOADABLE;

/**
 * The trust manager of a listener's client certificates (mutual TLS): the CA bundle of the document, swappable like
 * the key manager ({@link #swap}) so a new bundle applies to new handshakes without a rebind. Without a bundle it
 * trusts nobody (the listener does not ask for certificates then). JSSE calls it on the handshake's thread.
 */
final class ClientTrust extends X509ExtendedTrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];

    private volatile X509ExtendedTrustManager delegate;

    ClientTrust(String caBundle) {
        this.delegate = build(caBundle);
    }

    /** New handshakes trust this bundle (null: nobody). Configuration thread. */
    void swap(String caBundle) {
        this.delegate = build(caBundle);
    }

    /**
     * A trust manager for the PEM bundle, or null for none.
     *
     * @throws IllegalArgumentException DUET-PROXY-0133 when the bundle holds no readable certificate
     */
    static X509ExtendedTrustManager build(String caBundle) {
        if (caBundle == null || caBundle.isBlank()) {
            return null;
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(caBundle.getBytes(StandardCharsets.US_ASCII)))) {
                ks.setCertificateEntry("ca-" + (i++), c);
            }
            if (i == 0) {
                throw new IllegalArgumentException(CLIENT_CA_UNLOADABLE + " clientAuth.caBundle holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException(CLIENT_CA_UNLOADABLE + " the JDK offers no X.509 trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException(CLIENT_CA_UNLOADABLE + " clientAuth.caBundle does not load: "
                    + e.getMessage(), e);
        }
    }

    private X509ExtendedTrustManager current() throws CertificateException {
        X509ExtendedTrustManager d = delegate;
        if (d == null) {
            throw new CertificateException("this listener trusts no client certificate (clientAuth has no caBundle)");
        }
        return d;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        current().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        current().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        current().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a listener does not verify servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a listener does not verify servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a listener does not verify servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        X509ExtendedTrustManager d = delegate;
        return d == null ? NONE : d.getAcceptedIssuers();
    }
}
