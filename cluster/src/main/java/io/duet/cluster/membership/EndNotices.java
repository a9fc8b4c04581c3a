package io.duet.cluster.membership;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

import static io.duet.cluster.message.ClusterMessage.END_NOTICE_RECEIVED;
import static io.duet.cluster.message.ClusterMessage.END_NOTICE_REFUSED;

/**
 * End notices on the join endpoint: {@code POST /duet/cluster/ended/v1} with the text "NODE SECRET" (the secret in
 * hex), sent by another proxy's VIP guardian once that proxy's process has ended and its VIPs are gone (see
 * {@code io.duet.cluster.vip.VipGuardian}). A notice whose secret proves the end of the process whose heartbeats this
 * node applied last is committed to the cluster, and that node's VIPs move at once instead of after lease + margin.
 * Anything else changes nothing: the caller gets 403 and one log line (at most one per {@value #QUIET_MS} ms).
 * Answers before the commit (202): the guardian has nothing more to do.
 */
public final class EndNotices {
    static final String PATH = "/duet/cluster/ended/v1";
    static final int MAX_BODY = 256;
    static final long QUIET_MS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(EndNotices.class);

    private volatile BiFunction<String, byte[], CompletableFuture<Boolean>> cluster;
    private long lastRefusalLogged; // guarded by this

    /** Where proven notices go (the member, once it runs): node id and secret -> committed or not proven. */
    public void deliverTo(BiFunction<String, byte[], CompletableFuture<Boolean>> cluster) {
        this.cluster = cluster;
    }

    /** The end-notice URLs of the other proxies, as this node's guardian posts to them (deduplicated, sorted). */
    public static List<String> targets(MemberSite b) {
        return b.clusterMembers().entrySet().stream()
                .filter(e -> !e.getKey().equals(b.nodeId()))
                .map(e -> "https://" + JoinToken.endpoint(MemberSite.memberHost(e.getValue()), b.clusterJoinPort())
                        + PATH)
                .distinct().sorted().toList();
    }

    /** On a worker thread (the join endpoint dispatches). */
    void handle(HttpServerExchange ex) {
        if (!Methods.POST.equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().put(Headers.ALLOW, "POST");
            answer(ex, 405, "method not allowed: use POST");
            return;
        }
        String from = ex.getSourceAddress() == null ? "?" : ex.getSourceAddress().getAddress().getHostAddress();
        ex.startBlocking();
        String[] parts;
        try (InputStream in = ex.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            parts = body.length > MAX_BODY ? new String[0]
                    : new String(body, StandardCharsets.US_ASCII).trim().split("\\s+");
        } catch (IOException e) {
            parts = new String[0];
        }
        byte[] secret = null;
        if (parts.length == 2) {
            try {
                secret = HexFormat.of().parseHex(parts[1]);
            } catch (IllegalArgumentException e) {
                secret = null;
            }
        }
        BiFunction<String, byte[], CompletableFuture<Boolean>> c = cluster;
        if (secret == null || c == null) {
            refused(from, parts.length > 0 ? parts[0] : "?", c == null ? "this member is not running yet"
                    : "malformed");
            answer(ex, c == null ? 503 : 403, "not accepted");
            return;
        }
        String node = parts[0];
        CompletableFuture<Boolean> committed = c.apply(node, secret);
        if (committed.isDone() && !committed.isCompletedExceptionally() && !committed.join()) {
            refused(from, node, "the secret does not prove the end of that node's process (another process, an "
                    + "unknown node, or told already)");
            answer(ex, 403, "not accepted");
            return;
        }
        LOG.info("{} node {} ended (its guardian at {} says so and proved it): committing, its VIPs move at once",
                END_NOTICE_RECEIVED, node, from);
        committed.whenComplete((ok, e) -> {
            if (e != null) {
                LOG.warn("{} the end of node {} was not committed ({}): its VIPs move after lease + margin",
                        END_NOTICE_RECEIVED, node, MembershipException.rootMessage(e));
            }
        });
        answer(ex, 202, "accepted");
    }

    private void refused(String from, String node, String why) {
        long now = System.currentTimeMillis();
        synchronized (this) {
            if (now - lastRefusalLogged < QUIET_MS) {
                return;
            }
            lastRefusalLogged = now;
        }
        LOG.warn("{} end notice for node '{}' from {} refused: {}", END_NOTICE_REFUSED, node, from, why);
    }

    private static void answer(HttpServerExchange ex, int status, String text) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.setPersistent(false);
        ex.getResponseSender().send(text + "\n");
    }
}
