package io.duet.proxy.pool;

import io.duet.config.BackendTls;
import io.undertow.Undertow;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.ssl.SslConnection;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.net.Socket;
import java.util.List;

import static io.duet.proxy.message.ProxyMessage.POOL_CA_UNLOADABLE;
import static io.duet.proxy.message.ProxyMessage.POOL_TLS_UNVERIFIED;

/**
 * TLS towards one server of a pool: the pool's SSLContext (trust from its CA bundle, the JDK's trust store, or
 * nothing checked with {@code verify: false}), the name sent as SNI and verified, TLS 1.2 and 1.3 only. One
 * SSLContext per distinct pool setting, so its client session cache resumes sessions across connections.
 *
 * <p>Immutable; any thread. {@link #wrap} runs on the connection's I/O thread.
 */
public final class BackendTlsContext {
    private static final Logger LOG = LoggerFactory.getLogger(BackendTlsContext.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final UndertowXnioSsl ssl;
    private final boolean verify;
    private final String peerName;   // checked against the certificate (a DNS name or an IP literal)
    private final String sniName;    // null for IP literals
    private final int port;

    private BackendTlsContext(UndertowXnioSsl ssl, boolean verify, String peerName, String sniName, int port) {
        this.ssl = ssl;
        this.verify = verify;
        this.peerName = peerName;
        this.sniName = sniName;
        this.port = port;
    }

    /** The SSLContext of a pool's TLS setting (shared by its servers). */
    public static SSLContext context(BackendTls spec) {
        try {
            TrustManager[] trust;
            if (!spec.verify()) {
                trust = new TrustManager[]{new AnyCertificate()};
            } else {
                KeyStore ks = null;
                if (spec.caBundle() != null) {
                    ks = KeyStore.getInstance("PKCS12");
                    ks.load(null, null);
                    int i = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
                            new ByteArrayInputStream(spec.caBundle().getBytes(StandardCharsets.US_ASCII)))) {
                        ks.setCertificateEntry("ca-" + (i++), c);
                    }
                    if (i == 0) {
                        throw new IllegalArgumentException(POOL_CA_UNLOADABLE + " tls.caBundle holds no certificate");
                    }
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks); // null: the JDK's trust store
                trust = tmf.getTrustManagers();
                for (int i = 0; i < trust.length; i++) {
                    if (trust[i] instanceof javax.net.ssl.X509ExtendedTrustManager x) {
                        trust[i] = new Reporting(x);
                    }
                }
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trust, null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException(POOL_CA_UNLOADABLE + " tls.caBundle does not load: " + e.getMessage(),
                    e);
        }
    }

    /** The TLS setting of one server: SNI and the verified name from serverName, else the server's address. */
    static BackendTlsContext of(SSLContext context, BackendTls spec, String address, int port) {
        String name = spec.serverName() != null ? spec.serverName() : address;
        boolean ip = isIpLiteral(name);
        UndertowXnioSsl ssl = new UndertowXnioSsl(Xnio.getInstance(Undertow.class.getClassLoader()),
                OptionMap.EMPTY, context);
        return new BackendTlsContext(ssl, spec.verify(), name, ip ? null : name, port);
    }

    /** Wraps a connected socket in a client TLS connection (the handshake is started by the caller). */
    SslConnection wrap(StreamConnection plain) {
        OptionMap options = OptionMap.builder()
                .set(Options.SSL_PEER_HOST_NAME, peerName)
                .set(Options.SSL_PEER_PORT, port)
                .set(Options.SSL_ENABLED_PROTOCOLS, Sequence.of(PROTOCOLS))
                .getMap();
        SslConnection c = ssl.wrapExistingConnection(plain, options, true);
        SSLEngine engine = UndertowXnioSsl.getSslEngine(c);
        SSLParameters p = engine.getSSLParameters();
        if (verify) {
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name peerName
        }
        p.setServerNames(sniName == null ? List.of() : List.of(new SNIHostName(sniName)));
        engine.setSSLParameters(p);
        return c;
    }

    @Override
    public String toString() {
        return "TLS to " + peerName + (verify ? "" : " (not verified)");
    }

    static boolean isIpLiteral(String s) {
        if (s.indexOf(':') >= 0) {
            return true;
        }
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '.') {
                dots++;
            } else if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return dots == 3;
    }

    /** {@code verify: false}: the explicit, logged opt-out for self-signed test servers. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * Why the certificate of the handshake on {@code engine} was refused (chain or name), or null; forgets it. The
     * connection itself only sees the server's close after the alert, so the reason is kept here.
     */
    static String refusal(SSLEngine engine) {
        synchronized (REFUSALS) {
            return REFUSALS.remove(engine);
        }
    }

    private static final java.util.Map<SSLEngine, String> REFUSALS = new java.util.WeakHashMap<>();

    /** Delegates to the JDK's trust manager and remembers, per engine, why it refused a server. */
    private static final class Reporting extends javax.net.ssl.X509ExtendedTrustManager {
        private final javax.net.ssl.X509ExtendedTrustManager d;

        Reporting(javax.net.ssl.X509ExtendedTrustManager d) {
            this.d = d;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            try {
                d.checkServerTrusted(chain, authType, engine);
            } catch (java.security.cert.CertificateException e) {
                synchronized (REFUSALS) {
                    REFUSALS.put(engine, "certificate of " + chain[0].getSubjectX500Principal().getName()
                            + " refused: " + e.getMessage());
                }
                throw e;
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            d.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            d.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws java.security.cert.CertificateException {
            d.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws java.security.cert.CertificateException {
            d.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            d.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return d.getAcceptedIssuers();
        }
    }

    static void warnUnverified(String pool) {
        LOG.warn("{} pool '{}' accepts any server certificate (tls.verify: false): its traffic can be "
                + "read and changed by anyone on the path; for self-signed test servers only",
                POOL_TLS_UNVERIFIED, pool);
    }
}
