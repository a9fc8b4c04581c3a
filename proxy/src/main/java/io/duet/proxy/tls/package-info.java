/**
 * TLS termination on {@code https} listeners: certificates loaded from the document with the tls module
 * ({@link CertificateLoader}: PEM or PKCS#12, keys sealed or in clear; the node's self-signed certificate for
 * listeners that name none), expiry warnings ({@link CertificateExpiry}), SNI certificate selection ({@link SniKeyManager}), the
 * Mozilla profiles ({@link TlsProfile}), the 421 and HSTS request gate, and rotation without rebinding
 * ({@link TlsEndpoint#update}).
 */
package io.duet.proxy.tls;
