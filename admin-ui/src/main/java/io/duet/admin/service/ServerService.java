package io.duet.admin.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.admin.api.ApiError;
import io.duet.admin.api.Caller;
import io.duet.admin.api.Http;
import io.duet.admin.api.Request;
import io.duet.admin.audit.AuditLog;
import io.duet.admin.change.Change;
import io.duet.admin.message.AdminMessage;
import io.duet.config.ServerState;
import io.duet.config.Violation;
import io.undertow.server.HttpServerExchange;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The operator's family: a server's state (enable, drain, maintenance) and the planned handoff of a node's VIPs.
 * Thread-safe.
 */
final class ServerService {
    private final Committer committer;
    private final LiveNode node;
    private final AuditLog audit;
    private final Clock clock;

    ServerService(Committer committer, LiveNode node, AuditLog audit, Clock clock) {
        this.committer = committer;
        this.node = node;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Enable, drain (optionally until a deadline, after which sticky clients are not sent either) or put a server in
     * maintenance: a committed change of the document, so every node does the same. Answers the server's live
     * figures on this node (requests in flight, sticky clients), so the operator sees when it is empty.
     */
    void state(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        String pool = r.param("pool");
        String server = r.param("server");
        JsonNode body = Http.body(ex);
        String state = Http.text(body, "state");
        ServerState wanted = ServerState.from(state);
        if (wanted == null) {
            throw new ApiError(422, AdminMessage.SERVER_STATE, "state: '" + state + "' (expected one of: "
                    + String.join(", ", ServerState.wires()) + ")", List.of(Violation.error("$.state",
                    AdminMessage.SERVER_STATE.id(), "state: expected one of " + ServerState.wires())));
        }
        String until = null;
        if (body.hasNonNull("drainSeconds")) {
            if (wanted != ServerState.DRAIN || !body.get("drainSeconds").canConvertToLong()
                    || body.get("drainSeconds").asLong() <= 0) {
                throw new ApiError(422, AdminMessage.SERVER_STATE, "drainSeconds: a positive number, with state drain "
                        + "only", List.of(Violation.error("$.drainSeconds", AdminMessage.SERVER_STATE.id(),
                        "drainSeconds: expected a positive number of seconds with state drain")));
            }
            until = Instant.ofEpochMilli(clock.millis()).plusSeconds(body.get("drainSeconds").asLong())
                    .truncatedTo(ChronoUnit.SECONDS).toString();
        }
        Committer.Committed c = committer.targeted(r, new Change.SetServerState(pool, server, state, until));
        ObjectNode o = Http.JSON.createObjectNode().put("pool", pool).put("server", server).put("state", state)
                .put("revision", c.revision());
        if (until != null) {
            o.put("drainUntil", until);
        }
        for (Map<String, Object> p : node.health()) {
            if (pool.equals(p.get("pool")) && p.get("servers") instanceof List<?> list) {
                for (Object s : list) {
                    if (s instanceof Map<?, ?> sm && server.equals(sm.get("server"))) {
                        o.set("live", Http.JSON.valueToTree(sm));
                    }
                }
            }
        }
        Http.etag(ex, c.revision());
        Http.send(ex, 200, o);
    }

    /** Moves a node's VIPs to the other proxy, or with {@code undo} lets it hold VIPs again. */
    void handoff(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        Caller c = r.caller();
        JsonNode body = Http.body(ex);
        String target = Http.text(body, "node");
        boolean undo = body.path("undo").asBoolean(false);
        try {
            node.handoff(target, undo);
        } catch (IllegalStateException e) {
            throw new ApiError(409, AdminMessage.HANDOFF_REFUSED, e.getMessage());
        }
        audit.record(c.name(), Http.address(ex), undo ? "handoff undo" : "handoff", "ok", null, "node " + target);
        Http.send(ex, 200, Http.JSON.createObjectNode().put("node", target).put("handedOff", !undo));
    }
}
