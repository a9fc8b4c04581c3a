package io.duet.tls;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Provider;
import java.security.Security;

/**
 * Native cryptography for the whole JVM: the Amazon Corretto Crypto Provider (AWS-LC) installed as the first JCA
 * provider, so JSSE's handshakes and records, and every other user of the JCA, take AES-GCM, ECDSA, ECDH (P-256 and
 * up), RSA, SHA-2 and HMAC from it. X25519 stays with the JDK (the provider does not offer it).
 *
 * <p>Why (issue 18, measured on the development machine, one core): the JDK 17 implementations were 10-40 times
 * slower than OpenSSL's: ECDSA P-256 signing about 600 us against 35-60 us with this provider, P-256 ECDH 1.4-2.3 ms
 * against 80-130 us (a loaded machine; the ratios are what matter), and AES-GCM on small TLS records ran GHASH in
 * Java; a TLS handshake cost 1.8 times haproxy's CPU.
 *
 * <p>Loaded once; a machine where the native library does not load (another architecture, a {@code java.io.tmpdir}
 * mounted noexec) keeps the JDK's providers and says so ({@code DUET-TLS-0051}); {@code -Dduet.crypto.native=false}
 * switches it off ({@code DUET-TLS-0052}).
 */
public final class NativeCrypto {
    private static final Logger LOG = LoggerFactory.getLogger(NativeCrypto.class);
    /** The system property that switches native cryptography off when "false". */
    public static final String SWITCH = "duet.crypto.native";

    private static volatile String provider;
    private static boolean tried;

    private NativeCrypto() {
    }

    /**
     * Installs the native provider first in the JVM's provider list, once; later calls return at once. Safe from any
     * thread; call it before the first TLS context is made.
     *
     * @return the name and version of the installed provider, or null when the JDK's providers serve
     */
    public static synchronized String install() {
        if (tried) {
            return provider;
        }
        tried = true;
        if ("false".equalsIgnoreCase(System.getProperty(SWITCH, "true"))) {
            LOG.info(TlsMessage.NATIVE_CRYPTO_OFF.format());
            return null;
        }
        try {
            Provider p = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable error = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
            if (error != null) {
                LOG.warn(TlsMessage.NATIVE_CRYPTO_UNAVAILABLE.format(error.toString()));
                return null;
            }
            AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
            if (Security.getProvider(p.getName()) == null) {
                Security.insertProviderAt(p, 1);
            }
            provider = p.getName() + " " + p.getVersionStr();
            LOG.info(TlsMessage.NATIVE_CRYPTO.format(provider));
            return provider;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn(TlsMessage.NATIVE_CRYPTO_UNAVAILABLE.format(e.toString()));
            Security.removeProvider("AmazonCorrettoCryptoProvider");
            return null;
        }
    }

    /** The installed native provider's name and version, or null when the JDK's providers serve. */
    public static String provider() {
        return provider;
    }
}
