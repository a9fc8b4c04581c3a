package io.duet.config;

import java.util.List;

/**
 * TLS settings of an {@code https} listener.
 *
 * @param certificates       names of entries of the document's {@code certificates}; the one served is chosen by
 *                           the client's SNI name: exact host names before wildcards ({@code *.example.com} covers
 *                           one label), else the default certificate
 * @param defaultCertificate served when the SNI name matches no certificate (or the client sent none); one of
 *                           {@code certificates}; default: the first of them
 * @param profile            {@code intermediate} (default: TLS 1.2 and 1.3, Mozilla's intermediate AEAD suites with
 *                           forward secrecy) or {@code modern} (TLS 1.3 only)
 * @param http2              offer HTTP/2 by ALPN (default true); HTTP/1.1 is always offered
 * @param hsts               the Strict-Transport-Security header on every response (default: off)
 * @param clientAuth         client certificates (mutual TLS; default: not asked for)
 * @param engine             {@code jsse} (default: the JDK) or {@code openssl} (the system's libssl through
 *                           wildfly-openssl; one certificate per listener, any change rebinds the listener)
 */
public record ListenerTls(List<String> certificates, String defaultCertificate, String profile, Boolean http2,
                          Hsts hsts, ClientAuth clientAuth, String engine) {
    public static final String JSSE = "jsse";
    public static final String OPENSSL = "openssl";
    public static final List<String> ENGINES = List.of(JSSE, OPENSSL);
    public static final String INTERMEDIATE = "intermediate";
    public static final String MODERN = "modern";
    public static final List<String> PROFILES = List.of(INTERMEDIATE, MODERN);

    public ListenerTls {
        certificates = Lists.copy(certificates);
        profile = profile == null ? INTERMEDIATE : profile;
        http2 = http2 == null || http2;
        hsts = hsts == null ? Hsts.disabled() : hsts;
        clientAuth = clientAuth == null ? ClientAuth.none() : clientAuth;
        engine = engine == null ? JSSE : engine;
    }

    public ListenerTls(List<String> certificates, String defaultCertificate, String profile, Boolean http2,
                       Hsts hsts, ClientAuth clientAuth) {
        this(certificates, defaultCertificate, profile, http2, hsts, clientAuth, null);
    }

    public ListenerTls(List<String> certificates, String defaultCertificate, String profile, Boolean http2,
                       Hsts hsts) {
        this(certificates, defaultCertificate, profile, http2, hsts, null, null);
    }

    /** The name of the certificate served without a matching SNI name: the default, else the first listed. */
    public String effectiveDefault() {
        if (defaultCertificate != null) {
            return defaultCertificate;
        }
        return certificates.isEmpty() ? null : certificates.get(0);
    }
}
