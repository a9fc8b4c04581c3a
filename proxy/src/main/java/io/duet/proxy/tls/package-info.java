/**
 * TLS termination on {@code https} listeners: certificates loaded from the document ({@link JdkPemReader}, to be
 * replaced by the tls module's Bouncy Castle import), SNI certificate selection ({@link SniKeyManager}), the
 * Mozilla profiles ({@link TlsProfile}), the 421 and HSTS request gate, and rotation without rebinding
 * ({@link TlsEndpoint#update}).
 */
package io.duet.proxy.tls;
