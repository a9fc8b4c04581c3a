package io.duet.cluster.membership;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The messages of the join exchange ({@code POST /duet/cluster/join/v1} over HTTPS on a proxy's join port) and what
 * both ends share. Immutable records; any thread.
 */
public final class JoinProtocol {
    public static final String PATH = "/duet/cluster/join/v1";
    /** Requests are a few hundred bytes; anything larger is refused unread. */
    static final int MAX_BODY = 16 * 1024;

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private JoinProtocol() {
    }

    /**
     * What a joining node sends.
     *
     * @param secret    the token's secret (the server stores only its hash)
     * @param node      the joining node's id
     * @param publicKey its new member public key, base64 DER (SubjectPublicKeyInfo); the private key stays with it
     * @param witness   true for a witness: it gets no data key and no CA key
     * @param members   its cluster.members, which must equal the server's
     */
    record Request(String secret, String node, String publicKey, boolean witness, Map<String, String> members) {
    }

    /**
     * What the joining node gets.
     *
     * @param ca          the cluster CA certificate (PEM)
     * @param certificate its member certificate (PEM)
     * @param dataKey     the cluster's data key, base64; null for a witness
     * @param caKey       the CA key sealed under the data key; null for a witness
     */
    record Response(String ca, String certificate, String dataKey, String caKey) {
    }

    /** An error: a stable id and a message for the operator. */
    record Error(String id, String message) {
    }

    /** A TLS 1.3 server context presenting {@code certificate} (then the CA) with {@code key}. */
    static SSLContext serverContext(PrivateKey key, X509Certificate certificate, X509Certificate ca)
            throws java.security.GeneralSecurityException, java.io.IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pass = "duet".toCharArray(); // in memory only
        ks.setKeyEntry("member", key, pass, new X509Certificate[]{certificate, ca});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
