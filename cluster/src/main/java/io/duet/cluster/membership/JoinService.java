package io.duet.cluster.membership;

import io.duet.cluster.message.ClusterMessage;
import io.duet.tls.ClusterAuthority;
import io.duet.tls.KeyVault;
import io.duet.tls.Pem;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.duet.cluster.message.ClusterMessage.JOIN_MEMBERS_DIFFER;
import static io.duet.cluster.message.ClusterMessage.JOIN_REFUSED;
import static io.duet.cluster.message.ClusterMessage.JOIN_REQUEST_MALFORMED;
import static io.duet.cluster.message.ClusterMessage.JOIN_TOKEN_INVALID;
import static io.duet.cluster.message.ClusterMessage.JOIN_WRONG_PATH;
import static io.duet.cluster.message.ClusterMessage.NODE_JOINED;

/**
 * The join endpoint of a proxy node: HTTPS (TLS 1.3, the node's member certificate, which the joining node checks
 * against the CA pin in its token) on this node's cluster host and {@code cluster.join.port}. One request,
 * {@code POST /duet/cluster/join/v1}: a valid unused token for the joining node's id buys a member certificate for
 * the public key it sent and, for a proxy, the cluster's data key and sealed CA key. It also receives the other
 * proxies' end notices ({@link EndNotices}).
 *
 * <p>Requests are handled on Undertow's worker threads (token file I/O and signing block); bodies over
 * {@value JoinProtocol#MAX_BODY} bytes are refused. Every join and every refusal is logged with its reason and the
 * caller's address; the caller learns only that its token is not valid, never which check failed.
 */
public final class JoinService implements AutoCloseable {
    static final String BIND_FAILED = ClusterMessage.JOIN_BIND_FAILED.id();

    private static final Logger LOG = LoggerFactory.getLogger(JoinService.class);

    private final MemberSite bootstrap;
    private final ClusterIdentity identity;
    private final KeyVault vault;
    private final JoinTokens tokens;
    private final Clock clock;
    private final Undertow server;
    private final EndNotices endNotices = new EndNotices();

    private JoinService(MemberSite b, ClusterIdentity identity, KeyVault vault, Clock clock) throws MembershipException {
        this.bootstrap = b;
        this.identity = identity;
        this.vault = vault;
        this.clock = clock;
        this.tokens = new JoinTokens(identity.dir(), clock, b.files());
        try {
            server = Undertow.builder()
                    .setIoThreads(1)
                    .setWorkerThreads(2)
                    .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, (long) JoinProtocol.MAX_BODY)
                    .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 10_000)
                    .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
                    .addHttpsListener(b.clusterJoinPort(), b.clusterHost(), JoinProtocol.serverContext(
                            identity.key(), identity.certificate(), identity.ca()))
                    .setHandler(this::handle)
                    .build();
            server.start();
        } catch (RuntimeException | java.security.GeneralSecurityException | IOException e) {
            throw new MembershipException(BIND_FAILED, MembershipException.Kind.FAILURE, "the join endpoint could not listen on "
                    + JoinToken.endpoint(b.clusterHost(), b.clusterJoinPort()) + ": " + MembershipException.rootMessage(e)
                    + "; check that cluster.join.port is free on this node's cluster address", e);
        }
    }

    /** Starts the endpoint of a proxy that holds the CA key. */
    public static JoinService start(MemberSite b, ClusterIdentity identity, KeyVault vault, Clock clock)
            throws MembershipException {
        return new JoinService(b, identity, vault, clock);
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    /** The end notices of the other proxies' guardians, served here too. */
    public EndNotices endNotices() {
        return endNotices;
    }

    private void handle(HttpServerExchange ex) throws Exception {
        if (EndNotices.PATH.equals(ex.getRequestPath())) {
            if (ex.isInIoThread()) {
                ex.dispatch(endNotices::handle);
            } else {
                endNotices.handle(ex);
            }
            return;
        }
        if (!JoinProtocol.PATH.equals(ex.getRequestPath())) {
            error(ex, 404, JOIN_WRONG_PATH.id(), "not found: the join endpoint serves " + JoinProtocol.PATH + " only");
            return;
        }
        if (!Methods.POST.equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().put(Headers.ALLOW, "POST");
            error(ex, 405, JOIN_WRONG_PATH.id(), "method not allowed: use POST");
            return;
        }
        if (ex.isInIoThread()) {
            ex.dispatch(this::handle);
            return;
        }
        ex.startBlocking();
        byte[] body;
        try (InputStream in = ex.getInputStream()) {
            body = in.readNBytes(JoinProtocol.MAX_BODY + 1);
        } catch (IOException e) {
            error(ex, 413, JOIN_REQUEST_MALFORMED.id(), "the request body is too large or was cut off");
            return;
        }
        if (body.length > JoinProtocol.MAX_BODY) {
            error(ex, 413, JOIN_REQUEST_MALFORMED.id(), "the request body is too large");
            return;
        }
        String from = ex.getSourceAddress() == null ? "?" : ex.getSourceAddress().getAddress().getHostAddress();
        JoinProtocol.Request r;
        PublicKey publicKey;
        try {
            r = JoinProtocol.JSON.readValue(body, JoinProtocol.Request.class);
            if (r.secret() == null || r.node() == null || r.publicKey() == null || r.members() == null) {
                throw new IllegalArgumentException("secret, node, publicKey and members are required");
            }
            publicKey = KeyFactory.getInstance("EC").generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(r.publicKey())));
            if (!(publicKey instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalArgumentException("the public key is not ECDSA P-256");
            }
        } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
            LOG.warn("{} join request from {} refused: malformed ({})", JOIN_REFUSED, from,
                    MembershipException.rootMessage(e));
            error(ex, 400, JOIN_REQUEST_MALFORMED.id(), "malformed join request: "
                    + MembershipException.rootMessage(e));
            return;
        }
        // Checked without using the token first, so a configuration mistake does not burn it.
        JoinTokens.Redemption peek = tokens.check(r.secret(), r.node());
        if (peek.outcome() != JoinTokens.Outcome.OK) {
            refuseToken(ex, from, r.node(), peek);
            return;
        }
        Map<String, String> ours = new TreeMap<>(bootstrap.clusterMembers());
        if (!ours.containsKey(r.node()) || r.node().equals(bootstrap.nodeId())) {
            LOG.warn("{} join request from {} for node '{}' refused: not another member of {}", JOIN_REFUSED, from,
                    r.node(), ours.keySet());
            error(ex, 409, JOIN_MEMBERS_DIFFER.id(), "node '" + r.node() + "' is not a member of this cluster "
                    + ours.keySet() + " (or is the node you are joining through)");
            return;
        }
        if (!ours.equals(new TreeMap<>(r.members()))) {
            LOG.warn("{} join request from {} for node '{}' refused: its cluster.members {} differ from ours {}",
                    JOIN_REFUSED, from, r.node(), new TreeMap<>(r.members()), ours);
            error(ex, 409, JOIN_MEMBERS_DIFFER.id(), "cluster.members differ: this node has " + ours
                    + ", the joining node " + new TreeMap<>(r.members()) + "; every member must list the same voters (fix the bootstrap "
                    + "file, then join again with the same token)");
            return;
        }
        JoinTokens.Redemption used = tokens.redeem(r.secret(), r.node());
        if (used.outcome() != JoinTokens.Outcome.OK) { // a race with another join using the same token
            refuseToken(ex, from, r.node(), used);
            return;
        }
        String host = MemberSite.memberHost(ours.get(r.node()));
        X509Certificate cert = identity.authority(vault).issue(r.node(), publicKey, List.of(host), clock);
        String dataKey = null;
        String caKey = null;
        if (!r.witness()) {
            byte[] raw = vault.exportKey();
            dataKey = Base64.getEncoder().encodeToString(raw);
            Arrays.fill(raw, (byte) 0);
            caKey = identity.sealedCaKey();
        }
        byte[] out = JoinProtocol.JSON.writeValueAsBytes(new JoinProtocol.Response(
                Pem.certificates(List.of(identity.ca())), Pem.certificates(List.of(cert)), dataKey, caKey));
        LOG.info("{} node {} joined the cluster as {} from {} with token {}: member certificate {} valid until {}{}",
                NODE_JOINED, r.node(), r.witness() ? "witness" : "proxy", from, used.id(),
                cert.getSerialNumber().toString(16), cert.getNotAfter().toInstant(),
                r.witness() ? " (no data key: a witness opens no private key)" : "; data key and CA key handed over");
        send(ex, 200, out);
    }

    private void refuseToken(HttpServerExchange ex, String from, String node, JoinTokens.Redemption r) {
        LOG.warn("{} join request from {} for node '{}' refused: token {} {}", JOIN_REFUSED, from, node,
                r.id() == null ? "(unknown)" : r.id(), switch (r.outcome()) {
                    case UNKNOWN -> "was not issued by this node";
                    case USED -> "was used already";
                    case EXPIRED -> "has expired";
                    case OTHER_NODE -> "was issued for node '" + r.node() + "'";
                    case OK -> "";
                });
        error(ex, 403, JOIN_TOKEN_INVALID.id(), "the join token is not valid on " + bootstrap.nodeId()
                + " (unknown, used, expired, or issued for another node): make a new one there with `duet cluster token --node "
                + node + "`");
    }

    private static void error(HttpServerExchange ex, int status, String id, String message) {
        try {
            send(ex, status, JoinProtocol.JSON.writeValueAsBytes(new JoinProtocol.Error(id, message)));
        } catch (IOException e) {
            ex.setStatusCode(500);
            ex.endExchange();
        }
    }

    private static void send(HttpServerExchange ex, int status, byte[] body) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.setPersistent(false);
        ex.getResponseSender().send(java.nio.ByteBuffer.wrap(body));
    }

    @Override
    public void close() {
        server.stop();
    }
}
