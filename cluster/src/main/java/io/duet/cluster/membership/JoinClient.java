package io.duet.cluster.membership;

import io.duet.cluster.message.ClusterMessage;
import io.duet.tls.ClusterAuthority;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The joining side of the join exchange: trusts the endpoint only if it presents a certificate issued by the CA whose
 * SHA-256 pin the token carries (no system roots, no host name: the pin is the trust), sends the request, returns
 * the response. Blocking; for the CLI.
 */
final class JoinClient {
    static final String UNREACHABLE = ClusterMessage.JOIN_UNREACHABLE.id();
    static final String WRONG_CLUSTER = ClusterMessage.JOIN_WRONG_CLUSTER.id();

    private JoinClient() {
    }

    /** A refused or failed join: the id and the operator's message. */
    static final class JoinException extends Exception {
        private final String id;

        JoinException(String id, String message, Throwable cause) {
            super(message, cause);
            this.id = id;
        }

        String id() {
            return id;
        }
    }

    static JoinProtocol.Response join(JoinToken token, JoinProtocol.Request request, Duration timeout)
            throws JoinException {
        PinnedTrust trust = new PinnedTrust(token.pin());
        HttpClient http;
        try {
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(null, new javax.net.ssl.TrustManager[]{trust}, null);
            http = HttpClient.newBuilder().sslContext(ctx).connectTimeout(timeout)
                    .version(HttpClient.Version.HTTP_1_1).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS 1.3 is not available in this JDK", e);
        }
        String url = "https://" + token.endpoint() + JoinProtocol.PATH;
        HttpResponse<byte[]> r;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JoinProtocol.JSON.writeValueAsBytes(request)))
                    .build();
            r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLHandshakeException e) {
            if (trust.mismatch != null) {
                throw new JoinException(WRONG_CLUSTER, "the join endpoint " + token.endpoint() + " is not the "
                        + "cluster the token names: " + trust.mismatch + ". Nothing was sent; check that the token "
                        + "is this cluster's and that the address reaches the node that printed it", e);
            }
            throw new JoinException(UNREACHABLE, "the TLS handshake with the join endpoint " + token.endpoint()
                    + " failed: " + MembershipException.rootMessage(e), e);
        } catch (ConnectException | HttpTimeoutException e) {
            throw new JoinException(UNREACHABLE, "cannot reach the join endpoint " + token.endpoint() + " ("
                    + MembershipException.rootMessage(e) + "): is `duet run` running on the node that printed the token, and is "
                    + "its cluster.join.port open from this machine?", e);
        } catch (IOException e) {
            throw new JoinException(UNREACHABLE, "the join endpoint " + token.endpoint() + " failed: "
                    + MembershipException.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JoinException(UNREACHABLE, "interrupted", e);
        }
        try {
            if (r.statusCode() != 200) {
                JoinProtocol.Error err = JoinProtocol.JSON.readValue(r.body(), JoinProtocol.Error.class);
                throw new JoinException(err.id(), err.message(), null);
            }
            return JoinProtocol.JSON.readValue(r.body(), JoinProtocol.Response.class);
        } catch (IOException e) {
            throw new JoinException(UNREACHABLE, "the join endpoint " + token.endpoint() + " answered HTTP "
                    + r.statusCode() + " with a body that is not a join response: " + MembershipException.rootMessage(e), e);
        }
    }

    /**
     * Trusts a server chain only when it contains the pinned CA and the leaf is signed by it and valid now. An
     * {@link X509ExtendedTrustManager}, so the JDK adds no host-name check: the pin is the whole trust decision.
     */
    private static final class PinnedTrust extends X509ExtendedTrustManager {
        private final String pin;
        volatile String mismatch;

        PinnedTrust(String pin) {
            this.pin = pin;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                mismatch = "it presented no certificate";
                throw new CertificateException(mismatch);
            }
            for (X509Certificate c : chain) {
                if (ClusterAuthority.pin(c).equals(pin)) {
                    if (!ClusterAuthority.of(null, c).issued(chain[0])) {
                        mismatch = "its certificate was not issued by the pinned CA";
                        throw new CertificateException(mismatch);
                    }
                    chain[0].checkValidity();
                    return;
                }
            }
            mismatch = "its CA has pin " + ClusterAuthority.pin(chain[chain.length - 1]) + ", the token pins " + pin;
            throw new CertificateException(mismatch);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a join client does not accept clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a join client does not accept clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a join client does not accept clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
