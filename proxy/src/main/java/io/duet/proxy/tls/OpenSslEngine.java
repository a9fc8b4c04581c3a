package io.duet.proxy.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import static io.duet.proxy.message.ProxyMessage.OPENSSL_UNAVAILABLE;

/**
 * The OpenSSL-backed TLS engine ({@code engine: openssl}): wildfly-openssl's SSLContext over the system's libssl.
 * It reads the certificate and key once, when the context is initialised (no SNI selection per handshake), so a
 * listener on it has one certificate and is rebound when anything of it changes. Loaded lazily; JSSE listeners never
 * touch it. Any thread (the configuration thread in practice).
 */
final class OpenSslEngine {
    private static final String[] LIB_DIRS = {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib/aarch64-linux-gnu",
        "/lib/x86_64-linux-gnu"};
    private static volatile String unavailable; // why it cannot load, once known
    private static volatile boolean registered;

    private OpenSslEngine() {
    }

    /**
     * An initialised OpenSSL SSLContext with these managers.
     *
     * @throws IllegalStateException DUET-PROXY-0160 when the native library or libssl cannot be loaded
     */
    static synchronized SSLContext context(KeyManager keys, TrustManager clients) {
        if (unavailable != null) {
            throw new IllegalStateException(unavailable);
        }
        try {
            if (!registered) {
                if (System.getProperty("org.wildfly.openssl.path") == null) {
                    for (String dir : LIB_DIRS) {
                        if (Files.exists(Path.of(dir, "libssl.so.3")) || Files.exists(Path.of(dir, "libssl.so"))) {
                            System.setProperty("org.wildfly.openssl.path", dir);
                            break;
                        }
                    }
                }
                org.wildfly.openssl.OpenSSLProvider.register();
                registered = true;
            }
            SSLContext ctx = SSLContext.getInstance("openssl.TLS");
            ctx.init(new KeyManager[]{keys}, new TrustManager[]{clients}, null);
            return ctx;
        } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
            unavailable = OPENSSL_UNAVAILABLE + " the OpenSSL TLS engine is not available (" + e
                    + "): install libssl (OpenSSL 1.1 or 3), set -Dorg.wildfly.openssl.path=DIR, or use engine: jsse";
            throw new IllegalStateException(unavailable, e);
        }
    }
}
