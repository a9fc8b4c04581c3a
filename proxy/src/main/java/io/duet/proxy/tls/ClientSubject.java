package io.duet.proxy.tls;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** The verified client certificate's subject as a header value. Any thread; pure. */
final class ClientSubject {
    private ClientSubject() {
    }

    /**
     * The subject of the session's client certificate (RFC 4514 string), with every byte outside printable ASCII
     * written as a {@code \XX} hex escape of its UTF-8 form (RFC 4514 allows it), so the value is a safe header; null
     * when the client sent no certificate.
     */
    static String of(SSLSession session) {
        Certificate[] peer;
        try {
            peer = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (peer == null || peer.length == 0 || !(peer[0] instanceof X509Certificate leaf)) {
            return null;
        }
        return headerSafe(leaf.getSubjectX500Principal().getName());
    }

    static String headerSafe(String dn) {
        StringBuilder b = null;
        byte[] utf8 = null;
        for (int i = 0; i < dn.length(); i++) {
            char c = dn.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                utf8 = dn.getBytes(StandardCharsets.UTF_8);
                break;
            }
        }
        if (utf8 == null) {
            return dn;
        }
        b = new StringBuilder(utf8.length + 16);
        for (byte x : utf8) {
            int v = x & 0xff;
            if (v < 0x20 || v >= 0x7f) {
                b.append('\\').append(Character.toUpperCase(Character.forDigit(v >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(v & 0xf, 16)));
            } else {
                b.append((char) v);
            }
        }
        return b.toString();
    }
}
