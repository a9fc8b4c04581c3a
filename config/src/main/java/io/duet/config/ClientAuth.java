package io.duet.config;

/**
 * Client certificates (mutual TLS) on an {@code https} listener.
 *
 * @param mode          {@code none} (default), {@code optional} (asked for; a request without one goes on without
 *                      the header) or {@code required} (the handshake fails without a certificate the bundle
 *                      trusts)
 * @param caBundle      PEM: the CA certificates client certificates must chain to; required unless {@code none}
 * @param subjectHeader the request header that carries the verified client certificate's subject (RFC 4514) to the
 *                      servers (default {@code X-Client-Cert-Subject}); always removed from what the client sent
 */
public record ClientAuth(String mode, String caBundle, String subjectHeader) {
    public static final String NONE = "none";
    public static final String OPTIONAL = "optional";
    public static final String REQUIRED = "required";
    public static final java.util.List<String> MODES = java.util.List.of(NONE, OPTIONAL, REQUIRED);
    public static final String DEFAULT_SUBJECT_HEADER = "X-Client-Cert-Subject";

    public ClientAuth {
        mode = mode == null ? NONE : mode;
        subjectHeader = subjectHeader == null ? DEFAULT_SUBJECT_HEADER : subjectHeader;
    }

    public static ClientAuth none() {
        return new ClientAuth(null, null, null);
    }

    /** True unless {@code none}. */
    public boolean enabled() {
        return !NONE.equals(mode);
    }
}
