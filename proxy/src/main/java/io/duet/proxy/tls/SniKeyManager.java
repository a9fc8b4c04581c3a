package io.duet.proxy.tls;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Chooses the server certificate of a handshake by the client's SNI name ({@link CertificateSet#select}); the set
 * can be swapped at any time ({@link #swap}) and new handshakes use it at once, while established connections
 * keep what they negotiated. A handshake that chose a certificate just before a swap still finds it (the previous
 * set is kept until the next swap).
 *
 * <p>Called by JSSE on the thread running the handshake (an I/O thread, or the delegated task executor); never
 * blocks, allocates little.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    private volatile CertificateSet current;
    private volatile CertificateSet previous;

    SniKeyManager(CertificateSet initial) {
        this.current = initial;
        this.previous = initial;
    }

    /** Installs a new set for new handshakes. The configuration thread. */
    synchronized void swap(CertificateSet next) {
        previous = current;
        current = next;
    }

    CertificateSet current() {
        return current;
    }

    /** The SNI host name a handshake or session carries, or null. */
    static String sniName(SSLSession session) {
        if (session instanceof ExtendedSSLSession) {
            List<SNIServerName> names = ((ExtendedSSLSession) session).getRequestedServerNames();
            for (SNIServerName n : names) {
                if (n.getType() == StandardConstants.SNI_HOST_NAME) {
                    return n instanceof SNIHostName ? ((SNIHostName) n).getAsciiName() : null;
                }
            }
        }
        return null;
    }

    private String choose(String keyType, SSLSession handshake) {
        CertificateSet set = current;
        LoadedCertificate c = set.select(handshake == null ? null : sniName(handshake));
        if (c == null || !compatible(keyType, c)) {
            return null; // JSSE tries the next key type / signature scheme
        }
        return set.alias(c);
    }

    private static boolean compatible(String keyType, LoadedCertificate c) {
        String alg = c.keyType();
        return keyType.equals(alg) || (keyType.startsWith("EC") && alg.equals("EC"));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, null);
    }

    private LoadedCertificate find(String alias) {
        LoadedCertificate c = current.byAlias(alias);
        return c != null ? c : previous.byAlias(alias);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        LoadedCertificate c = alias == null ? null : find(alias);
        return c == null ? null : c.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        LoadedCertificate c = alias == null ? null : find(alias);
        return c == null ? null : c.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        CertificateSet set = current;
        return set.all().stream().filter(c -> compatible(keyType, c)).map(set::alias).toArray(String[]::new);
    }

    // A server never authenticates as a client.

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
