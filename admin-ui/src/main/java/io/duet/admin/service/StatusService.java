package io.duet.admin.service;

import io.duet.admin.api.Http;
import io.duet.admin.api.Request;
import io.duet.admin.audit.AuditLog;

/** Read-only views of the running node (health, cluster, metrics) and of the audit trail. Thread-safe. */
final class StatusService {
    private final LiveNode node;
    private final AuditLog audit;

    StatusService(LiveNode node, AuditLog audit) {
        this.node = node;
        this.audit = audit;
    }

    void health(Request r) throws Exception {
        Http.send(r.exchange(), 200, Http.JSON.valueToTree(node.health()));
    }

    void cluster(Request r) throws Exception {
        Http.send(r.exchange(), 200, Http.JSON.valueToTree(node.cluster()));
    }

    void metrics(Request r) throws Exception {
        Http.send(r.exchange(), 200, Http.JSON.valueToTree(node.metrics()));
    }

    /** The latest audit records ({@code ?limit=}, default 500). */
    void audit(Request r) throws Exception {
        Http.send(r.exchange(), 200, Http.JSON.valueToTree(audit.recent(Http.limit(r.exchange()))));
    }
}
