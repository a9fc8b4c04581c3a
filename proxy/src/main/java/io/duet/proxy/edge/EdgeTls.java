package io.duet.proxy.edge;

import io.undertow.protocols.ssl.UndertowXnioSsl;
import org.xnio.OptionMap;

/**
 * What an edge listener needs to terminate TLS.
 *
 * @param ssl        wraps accepted connections; its SSLContext stays for the listener's life (certificates rotate
 *                   inside its key manager, so no rebind is needed)
 * @param sslOptions enabled protocols and cipher suites ({@code Options.SSL_ENABLED_PROTOCOLS},
 *                   {@code SSL_ENABLED_CIPHER_SUITES}), applied to every engine
 * @param http2      offer {@code h2} by ALPN (HTTP/1.1 is always offered)
 */
public record EdgeTls(UndertowXnioSsl ssl, OptionMap sslOptions, boolean http2) {
}
