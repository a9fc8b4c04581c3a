package io.duet.proxy.tls;

import io.duet.config.ListenerTls;

import java.util.List;

/**
 * The protocol versions and cipher suites of the Mozilla server-side TLS profiles (version 5.7), in JSSE names.
 * Every suite is an AEAD suite with forward secrecy (ECDHE or DHE); TLS 1.0 and 1.1 are never enabled.
 *
 * <p>{@code modern} is TLS 1.3 only. It still lists {@link #H2_MARKER}: Undertow's ALPN listener offers HTTP/2
 * only when that TLS 1.2 suite is enabled ({@code AlpnOpenListener.engineSupportsHTTP2}); with TLS 1.2 disabled the
 * suite can never be negotiated, so listing it changes nothing else.
 *
 * @param protocols    enabled protocol versions
 * @param cipherSuites enabled suites, preferred first
 */
record TlsProfile(List<String> protocols, List<String> cipherSuites) {
    static final String H2_MARKER = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";

    private static final List<String> TLS13 = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    static final TlsProfile INTERMEDIATE = new TlsProfile(List.of("TLSv1.3", "TLSv1.2"), concat(TLS13, List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256")));

    static final TlsProfile MODERN = new TlsProfile(List.of("TLSv1.3"), concat(TLS13, List.of(H2_MARKER)));

    static TlsProfile of(String name) {
        return ListenerTls.MODERN.equals(name) ? MODERN : INTERMEDIATE;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
