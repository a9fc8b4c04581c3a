package io.duet.admin.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.admin.api.Http;
import io.duet.admin.api.Request;
import io.duet.config.DuetConfig;
import io.duet.config.store.ConfigStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /alerts}: the failures of this node's view now ({@link PoolAlerts}, {@link CertificateAlerts},
 * {@link ClusterAlerts}, computed at each call from the live status and the document), critical first, and apart
 * from them the servers and pools operators took out of service. An alert whose source does not say when it began
 * gets the time this service first saw it (kept while it lasts; lost at a restart). Thread-safe.
 */
final class AlertService {
    private final ConfigStore store;
    private final LiveNode node;
    private final Clock clock;
    private final Map<String, Long> firstSeen = new HashMap<>(); // guarded by this

    AlertService(ConfigStore store, LiveNode node, Clock clock) {
        this.store = store;
        this.node = node;
        this.clock = clock;
    }

    /** The current alerts, most severe first, then oldest first; and the operator states. */
    record Current(List<Alert> alerts, List<OperatorState> states) {
    }

    Current current() {
        long now = clock.millis();
        DuetConfig doc = store.current();
        List<Alert> found = new ArrayList<>();
        List<OperatorState> states = new ArrayList<>();
        PoolAlerts.collect(doc, node.health(), found, states);
        CertificateAlerts.collect(doc, now, found);
        ClusterAlerts.collect(doc, node.cluster(), now, found);
        List<Alert> alerts = new ArrayList<>(found.size());
        synchronized (this) {
            Set<String> ids = new HashSet<>();
            for (Alert a : found) {
                ids.add(a.id());
                long seen = firstSeen.computeIfAbsent(a.id(), k -> now);
                alerts.add(a.since() < 0 ? a.withSince(seen) : a);
            }
            firstSeen.keySet().retainAll(ids);
        }
        alerts.sort(Comparator.comparing((Alert a) -> !a.severity().equals(Alert.CRITICAL))
                .thenComparingLong(Alert::since).thenComparing(Alert::id));
        return new Current(alerts, states);
    }

    void alerts(Request r) throws Exception {
        Current c = current();
        ObjectNode out = Http.JSON.createObjectNode();
        out.put("now", clock.millis());
        ArrayNode alerts = out.putArray("alerts");
        for (Alert a : c.alerts()) {
            ObjectNode o = alerts.addObject();
            o.put("id", a.id());
            o.put("kind", a.kind());
            o.put("severity", a.severity());
            object(o.putObject("object"), a.objectKind(), a.scope(), a.objectName());
            o.put("message", a.message());
            o.put("since", a.since());
        }
        ArrayNode states = out.putArray("states");
        for (OperatorState s : c.states()) {
            ObjectNode o = states.addObject();
            object(o.putObject("object"), s.objectKind(), s.scope(), s.name());
            o.put("state", s.state());
            o.put("detail", s.detail());
            if (s.since() >= 0) {
                o.put("since", s.since());
            } else {
                o.putNull("since");
            }
        }
        Http.send(r.exchange(), 200, out);
    }

    /** {@code {"kind", "pool"?, "name"}}: a server names its pool. */
    private static void object(ObjectNode o, String kind, String scope, String name) {
        o.put("kind", kind);
        if (scope != null) {
            o.put("pool", scope);
        }
        o.put("name", name);
    }
}
