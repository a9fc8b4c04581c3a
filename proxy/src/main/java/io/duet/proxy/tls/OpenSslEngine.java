package io.duet.proxy.tls;

import org.wildfly.openssl.OpenSSLContextSPI;
import org.wildfly.openssl.OpenSSLProvider;
import org.wildfly.openssl.SSL;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static io.duet.proxy.message.ProxyMessage.OPENSSL_KEY_REFUSED;
import static io.duet.proxy.message.ProxyMessage.OPENSSL_UNAVAILABLE;

/**
 * The OpenSSL-backed TLS engine ({@code engine: openssl}): wildfly-openssl's SSLContext over the system's libssl.
 * The certificate and key are handed to libssl once, when the context is made (no SNI selection per handshake), so
 * a listener on it has one certificate and is rebound when anything of it changes. Loaded lazily; JSSE listeners
 * never touch it. Any thread (the configuration thread in practice).
 *
 * <p>Why the key is not given through a key manager: wildfly-openssl (2.2.5, unchanged up to 2.3.0.Alpha2) asks a
 * key manager for "RSA" and "DSA" aliases only, and wraps the key's PKCS#8 bytes in a {@code BEGIN RSA/DSA PRIVATE
 * KEY} PEM block. An EC key is never asked for (the handshake then ends without a certificate), and OpenSSL 3's
 * decoder refuses PKCS#8 EC bytes under either label ("No supported data to decode. Input type: PEM"). So the
 * context is initialised without keys and the certificate is set through wildfly-openssl's own native
 * {@code setCertificate} with a {@code BEGIN PRIVATE KEY} (PKCS#8) block, which libssl reads for RSA and EC alike.
 * That method and the context's native handle are not public API: they are reached by reflection, checked at
 * first use (DUET-PROXY-0160 names them if a version lacks them).
 */
final class OpenSslEngine {
    private static final String[] LIB_DIRS = {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib/aarch64-linux-gnu",
        "/lib/x86_64-linux-gnu"};
    /** wildfly-openssl's certificate slots (SSL.SSL_AIDX_RSA, SSL.SSL_AIDX_ECC; package-private there). */
    private static final int SLOT_RSA = 0;
    private static final int SLOT_EC = 3;
    private static volatile String unavailable; // why it cannot load, once known
    private static Provider provider;
    private static Field handle;
    private static Method setCertificate;

    private OpenSslEngine() {
    }

    /**
     * An initialised OpenSSL SSLContext serving {@code certificate} and checking client certificates with
     * {@code clients}.
     *
     * @throws IllegalStateException    DUET-PROXY-0160 when the native library or libssl cannot be loaded
     * @throws IllegalArgumentException DUET-PROXY-0161 when libssl refuses the certificate or its key
     */
    static synchronized SSLContext context(LoadedCertificate certificate, TrustManager clients) {
        register();
        OpenSSLContextSPI spi;
        try {
            spi = new OpenSSLContextSPI.OpenSSLTLSContextSpi();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(OPENSSL_UNAVAILABLE + " the OpenSSL TLS engine cannot make a context ("
                    + e + "): use engine: jsse", e);
        }
        SSLContext ctx = new OpenSslContext(spi, provider);
        try {
            ctx.init(null, new TrustManager[]{clients}, null); // no key manager: see the class comment
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException(OPENSSL_UNAVAILABLE + " the OpenSSL TLS engine cannot initialise a "
                    + "context (" + e + "): use engine: jsse", e);
        }
        setCertificate(spi, certificate);
        return ctx;
    }

    private static void setCertificate(OpenSSLContextSPI spi, LoadedCertificate c) {
        String type = c.keyType();
        int slot = switch (type) {
            case "RSA" -> SLOT_RSA;
            case "EC" -> SLOT_EC;
            default -> throw new IllegalArgumentException(OPENSSL_KEY_REFUSED + " certificate '" + c.name()
                    + "' has a " + type + " key: engine openssl serves RSA and EC keys (use engine: jsse)");
        };
        byte[] key = pkcs8Pem(c.key().getEncoded());
        try {
            List<X509Certificate> chain = c.chain();
            byte[][] intermediates = new byte[chain.size() - 1][];
            for (int i = 1; i < chain.size(); i++) {
                intermediates[i - 1] = chain.get(i).getEncoded();
            }
            setCertificate.invoke(SSL.getInstance(), handle.getLong(spi), chain.get(0).getEncoded(), intermediates,
                    key, slot);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(OPENSSL_KEY_REFUSED + " libssl refused certificate '" + c.name()
                    + "' (" + type + "): " + e.getCause().getMessage() + " (use engine: jsse)", e.getCause());
        } catch (GeneralSecurityException | IllegalAccessException e) {
            throw new IllegalArgumentException(OPENSSL_KEY_REFUSED + " certificate '" + c.name()
                    + "' cannot be handed to libssl: " + e, e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] pkcs8Pem(byte[] der) {
        if (der == null) {
            throw new IllegalArgumentException(OPENSSL_KEY_REFUSED + " the private key cannot be exported (PKCS#8)");
        }
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n";
        return pem.getBytes(StandardCharsets.US_ASCII);
    }

    /** Loads libssl and the glue once; a failure is kept (every later listener gets the same reason). */
    private static void register() {
        if (unavailable != null) {
            throw new IllegalStateException(unavailable);
        }
        if (provider != null) {
            return;
        }
        try {
            if (System.getProperty("org.wildfly.openssl.path") == null) {
                for (String dir : LIB_DIRS) {
                    if (Files.exists(Path.of(dir, "libssl.so.3")) || Files.exists(Path.of(dir, "libssl.so"))) {
                        System.setProperty("org.wildfly.openssl.path", dir);
                        break;
                    }
                }
            }
            OpenSSLProvider.register();
            Field h = OpenSSLContextSPI.class.getDeclaredField("ctx");
            h.setAccessible(true);
            Method set = SSL.class.getDeclaredMethod("setCertificate", long.class, byte[].class, byte[][].class,
                    byte[].class, int.class);
            set.setAccessible(true);
            SSL.getInstance(); // loads the native glue and libssl now, not at the first handshake
            handle = h;
            setCertificate = set;
            provider = OpenSSLProvider.INSTANCE;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = OPENSSL_UNAVAILABLE + " the OpenSSL TLS engine is not available (" + e
                    + "): install libssl (OpenSSL 1.1 or 3), set -Dorg.wildfly.openssl.path=DIR, or use engine: jsse"
                    + (e instanceof ReflectiveOperationException ? " (this wildfly-openssl version lacks "
                    + "OpenSSLContextSPI.ctx or SSL.setCertificate)" : "");
            throw new IllegalStateException(unavailable, e);
        }
    }

    /** An SSLContext over an SPI this class made itself (SSLContext's constructor is protected). */
    private static final class OpenSslContext extends SSLContext {
        OpenSslContext(SSLContextSpi spi, Provider provider) {
            super(spi, provider, "TLS");
        }
    }
}
