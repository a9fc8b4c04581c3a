package io.duet.tls;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** PEM text of certificates (never of private keys: those leave a node only sealed). Pure; any thread. */
public final class Pem {
    private Pem() {
    }

    /** The chain as consecutive {@code CERTIFICATE} blocks, in the given order. */
    public static String certificates(List<X509Certificate> chain) {
        StringBuilder b = new StringBuilder();
        Base64.Encoder enc = Base64.getMimeEncoder(64, new byte[]{'\n'});
        for (X509Certificate c : chain) {
            try {
                b.append("-----BEGIN CERTIFICATE-----\n").append(enc.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("certificate does not encode: " + e.getMessage(), e);
            }
        }
        return b.toString();
    }
}
