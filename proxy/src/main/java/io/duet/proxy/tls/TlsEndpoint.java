package io.duet.proxy.tls;

import io.duet.config.ClientAuth;
import io.duet.config.ListenerTls;
import io.duet.proxy.edge.EdgeTls;
import io.duet.proxy.edge.RequestGate;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
import io.undertow.server.SSLSessionInfo;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.xnio.SslClientAuthMode;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.Xnio;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.duet.proxy.message.ProxyMessage.NO_JDK_TLS;

/**
 * The TLS side of one {@code https} listener: one SSLContext for the listener's life whose key manager picks the
 * certificate by SNI, the profile's protocols and suites, and the request gate (SNI/Host check, HSTS).
 *
 * <p>Rotation: {@link #update} swaps the certificate set inside the key manager; new handshakes use it at once,
 * established connections keep theirs, the socket is never rebound. A change of profile or HTTP/2 needs a rebind
 * ({@link #needsRebind}). Renegotiation: TLS 1.3 has none; for TLS 1.2 this class sets the JDK's
 * {@code jdk.tls.rejectClientInitiatedRenegotiation} (read once, when the JDK's TLS server classes load), so
 * the appliance must not start a TLS server before this class is loaded (the data plane is the only one).
 *
 * <p>Thread-safety: {@link #update} from the configuration thread; the gate on I/O threads.
 */
public final class TlsEndpoint {
    static {
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
        // OCSP stapling: the JDK server answers status_request by fetching the leaf's OCSP response from the
        // responder in its AIA (on a handshake task thread, bounded by responseTimeout) and caches it for
        // cacheLifetime seconds or until the response's nextUpdate, whichever comes first, so a stapled response is
        // refreshed an hour at most after it was fetched, long before it expires. Needs the issuer in the chain.
        setDefault("jdk.tls.server.enableStatusRequestExtension", "true");
        setDefault("jdk.tls.stapling.responseTimeout", "2000");
        setDefault("jdk.tls.stapling.cacheLifetime", "3600");
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private static final AtomicLong GENERATIONS = new AtomicLong();

    private final SniKeyManager keys;
    private final ClientTrust clients;
    private final EdgeTls edgeTls;
    private volatile ResponseCommitListener hsts;
    /** The header carrying the verified client subject; removed from every request first. */
    private volatile HttpString subjectHeader;
    private volatile boolean clientCertificates;
    private final RequestGate gate = this::admit;

    private TlsEndpoint(SniKeyManager keys, ClientTrust clients, EdgeTls edgeTls, ListenerTls spec) {
        this.keys = keys;
        this.clients = clients;
        this.edgeTls = edgeTls;
        this.hsts = hstsListener(spec);
        clientAuth(spec.clientAuth());
    }

    private void clientAuth(ClientAuth ca) {
        this.subjectHeader = HttpString.tryFromString(ca.subjectHeader());
        this.clientCertificates = ca.enabled();
    }

    /**
     * Builds the endpoint of a valid {@code https} listener.
     *
     * @param loaded every certificate the listener names, parsed
     */
    public static TlsEndpoint create(Xnio xnio, ListenerTls spec, Map<String, LoadedCertificate> loaded) {
        SniKeyManager keys = new SniKeyManager(set(spec, loaded));
        ClientTrust clients = new ClientTrust(spec.clientAuth().enabled() ? spec.clientAuth().caBundle() : null);
        SSLContext context;
        if (ListenerTls.OPENSSL.equals(spec.engine())) {
            // One certificate (the validator's DUET-CONFIG-0182): libssl gets it once, no SNI selection.
            context = OpenSslEngine.context(keys.current().select(null), clients);
        } else {
            try {
                context = SSLContext.getInstance("TLS");
                context.init(new KeyManager[]{keys}, new TrustManager[]{clients}, null);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(NO_JDK_TLS + " the JDK offers no TLS implementation: " + e.getMessage(),
                        e);
            }
        }
        // Resumption: JSSE caches sessions (TLS 1.2 ids) and issues stateless tickets (TLS 1.2 and 1.3) by default.
        context.getServerSessionContext().setSessionTimeout(24 * 3600);
        TlsProfile profile = TlsProfile.of(spec.profile());
        OptionMap sslOptions = OptionMap.builder()
                .set(Options.SSL_ENABLED_PROTOCOLS, Sequence.of(profile.protocols()))
                .set(Options.SSL_ENABLED_CIPHER_SUITES, Sequence.of(profile.cipherSuites()))
                .set(Options.SSL_CLIENT_AUTH_MODE, switch (spec.clientAuth().mode()) {
                    case ClientAuth.REQUIRED -> SslClientAuthMode.REQUIRED;
                    case ClientAuth.OPTIONAL -> SslClientAuthMode.REQUESTED;
                    default -> SslClientAuthMode.NOT_REQUESTED;
                })
                .getMap();
        UndertowXnioSsl ssl = new UndertowXnioSsl(xnio, OptionMap.create(Options.USE_DIRECT_BUFFERS, true), context);
        return new TlsEndpoint(keys, clients, new EdgeTls(ssl, sslOptions, spec.http2()), spec);
    }

    /**
     * True when going from {@code before} to {@code after} needs a new socket (profile, HTTP/2 or the client
     * certificate mode changed; a new CA bundle or subject header does not).
     */
    public static boolean needsRebind(ListenerTls before, ListenerTls after) {
        return before == null || after == null || !before.profile().equals(after.profile())
                || !before.http2().equals(after.http2())
                || !before.clientAuth().mode().equals(after.clientAuth().mode())
                || !before.engine().equals(after.engine())
                || ListenerTls.OPENSSL.equals(after.engine()); // OpenSSL reads its certificate once: rebind
    }

    /** New certificates (and HSTS) for new handshakes and requests; nothing is rebound. Configuration thread. */
    public void update(ListenerTls spec, Map<String, LoadedCertificate> loaded) {
        ClientTrust.build(spec.clientAuth().enabled() ? spec.clientAuth().caBundle() : null); // fails before any swap
        keys.swap(set(spec, loaded));
        clients.swap(spec.clientAuth().enabled() ? spec.clientAuth().caBundle() : null);
        hsts = hstsListener(spec);
        clientAuth(spec.clientAuth());
    }

    public EdgeTls edgeTls() {
        return edgeTls;
    }

    public RequestGate gate() {
        return gate;
    }

    private static final HttpString DEFAULT_SUBJECT = HttpString.tryFromString(ClientAuth.DEFAULT_SUBJECT_HEADER);

    /**
     * The gate of plain HTTP listeners: removes the default client-subject header, so no client on any listener can
     * pose as a verified client certificate to the servers.
     */
    public static final RequestGate PLAIN_GATE = exchange -> {
        exchange.getRequestHeaders().remove(DEFAULT_SUBJECT);
        return true;
    };

    /** The certificate a new handshake with this SNI name gets now (null: no SNI). Any thread. */
    public LoadedCertificate select(String serverName) {
        return keys.current().select(serverName);
    }

    private static CertificateSet set(ListenerTls spec, Map<String, LoadedCertificate> loaded) {
        if (spec.certificates().isEmpty()) {
            LoadedCertificate own = loaded.get(CertificateLoader.SELF_SIGNED);
            if (own == null) {
                throw new IllegalArgumentException("the node's self-signed certificate was not loaded");
            }
            return new CertificateSet(List.of(own), own, GENERATIONS.incrementAndGet());
        }
        List<LoadedCertificate> list = new ArrayList<>();
        for (String name : spec.certificates()) {
            LoadedCertificate c = loaded.get(name);
            if (c == null) {
                throw new IllegalArgumentException("certificate '" + name + "' was not loaded (validate the document "
                        + "before applying it)");
            }
            list.add(c);
        }
        return new CertificateSet(list, loaded.get(spec.effectiveDefault()), GENERATIONS.incrementAndGet());
    }

    private static ResponseCommitListener hstsListener(ListenerTls spec) {
        if (!spec.hsts().enabled()) {
            return null;
        }
        String value = spec.hsts().headerValue();
        return exchange -> exchange.getResponseHeaders().put(Headers.STRICT_TRANSPORT_SECURITY, value);
    }

    /**
     * 421 when the certificate a handshake for the request's Host would get differs from the one this connection's
     * SNI name got: the client reused a connection for a host it does not serve. I/O thread.
     */
    private boolean admit(HttpServerExchange exchange) {
        ResponseCommitListener h = hsts;
        if (h != null) {
            exchange.addResponseCommitListener(h);
        }
        HttpString subject = subjectHeader;
        exchange.getRequestHeaders().remove(subject); // never what the client claims
        SSLSessionInfo info = exchange.getConnection().getSslSessionInfo();
        SSLSession session = info == null ? null : info.getSSLSession();
        if (session == null) {
            return true;
        }
        if (clientCertificates) {
            String dn = ClientSubject.of(session);
            if (dn != null) {
                exchange.getRequestHeaders().put(subject, dn);
            }
        }
        CertificateSet set = keys.current();
        return set.select(SniKeyManager.sniName(session)) == set.select(exchange.getHostName());
    }
}
