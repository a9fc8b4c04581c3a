package io.duet.config;

/**
 * TLS towards a pool's servers (re-encryption).
 *
 * @param enabled    off by default (plain HTTP to the servers)
 * @param caBundle   PEM CA certificates the servers' certificates must chain to; absent: the JDK's trust store
 *                   (the system's CAs on Debian and Enterprise Linux)
 * @param verify     check the server's certificate chain and name (default true). {@code false} is the explicit
 *                   opt-out for self-signed test servers: anything is accepted, and every apply logs a warning
 * @param serverName the name sent as SNI and checked against the certificate; absent: the server's address when it
 *                   is a DNS name (an IP address is then checked against the certificate's IP names, and no SNI is
 *                   sent)
 */
public record BackendTls(Boolean enabled, String caBundle, Boolean verify, String serverName) {
    public BackendTls {
        enabled = enabled != null && enabled;
        verify = verify == null || verify;
    }

    public static BackendTls disabled() {
        return new BackendTls(false, null, null, null);
    }
}
