package io.duet.appliance.node;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.duet.admin.NodeView;
import io.duet.admin.service.AccessFilter;
import io.duet.admin.service.MetricHistory;
import io.duet.admin.service.MetricSeries;
import io.duet.cluster.raft.ClusterNode;
import io.duet.cluster.raft.ClusterStatus;
import io.duet.proxy.DataPlane;
import io.duet.proxy.accesslog.AccessRecord;
import io.duet.proxy.accesslog.AccessTap;
import io.duet.proxy.health.PoolHealthStatus;
import io.duet.proxy.health.ProbeResult;
import io.duet.proxy.health.ServerHealthStatus;
import io.duet.proxy.metrics.HistorySeries;
import io.duet.proxy.metrics.MetricsHistory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The admin API's view of this node: server health from the data plane, the cluster from the member, traffic from
 * the metric registry, as plain maps. Any thread.
 */
final class NodeStatusView implements NodeView {
    private final DataPlane dataPlane;
    private final MetricRegistry registry;
    private final ClusterNode member; // null standalone
    private final String nodeId;
    private final MetricsHistory history; // null: none kept

    NodeStatusView(DataPlane dataPlane, MetricRegistry registry, ClusterNode member, String nodeId,
                   MetricsHistory history) {
        this.dataPlane = dataPlane;
        this.registry = registry;
        this.member = member;
        this.nodeId = nodeId;
        this.history = history;
    }

    /** The data plane's history, column for column (the arrays are fresh copies already). */
    @Override
    public MetricHistory metricsHistory(String kind, String scope, String name, long sinceMillis) {
        if (history == null) {
            return MetricHistory.NONE;
        }
        List<MetricSeries> out = new ArrayList<>();
        for (HistorySeries h : history.query(kind, scope, name, sinceMillis)) {
            out.add(new MetricSeries(h.kind(), h.scope(), h.name(), h.atMillis(), h.intervalMillis(), h.requests(),
                    h.responses2xx(), h.responses3xx(), h.responses4xx(), h.responses5xx(), h.noServer(),
                    h.queueRejected(), h.connectErrors(), h.responseTimeouts(), h.p50Ms(), h.p95Ms(), h.p99Ms()));
        }
        return new MetricHistory(history.periodMillis(), history.capacity(), history.maxSeries(),
                history.untracked(), out);
    }

    @Override
    public List<Map<String, Object>> rateLimits() {
        return dataPlane.rateLimits().status();
    }

    @Override
    public List<Map<String, Object>> rateLimitTop(String name, int max) {
        return dataPlane.rateLimits().top(name, max).orElse(null);
    }

    /** The data plane's access tap, filtered; each record as a map (JSON field names of the access log, camel case). */
    @Override
    public Map<String, Object> accessTail(long sinceSeq, AccessFilter filter, int max) {
        AccessTap tap = dataPlane.accessTap();
        AccessTap.Tail t = tap.tail(sinceSeq, r -> filter.matches(r.host(), r.vhost(), r.route(), r.status()), max);
        List<Map<String, Object>> records = new ArrayList<>();
        for (AccessTap.Entry e : t.entries()) {
            AccessRecord r = e.record();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", e.seq());
            m.put("time", java.time.Instant.ofEpochMilli(r.epochMillis()).toString());
            m.put("client", r.clientAddress());
            m.put("method", r.method());
            m.put("uri", r.uri());
            m.put("protocol", r.protocol());
            m.put("status", r.status());
            m.put("bytesSent", r.responseBytes());
            m.put("durationUs", r.durationMicros());
            m.put("host", r.host());
            m.put("vhost", r.vhost());
            m.put("route", r.route());
            m.put("pool", r.pool());
            m.put("server", r.serverId());
            m.put("requestId", r.requestId());
            m.put("listener", r.listener());
            records.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("records", records);
        out.put("lastSeq", t.lastSeq());
        out.put("missed", t.missed());
        out.put("capacity", tap.capacity());
        return out;
    }

    @Override
    public List<Map<String, Object>> health() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PoolHealthStatus p : dataPlane.health().status()) {
            Map<String, Object> pool = new LinkedHashMap<>();
            pool.put("pool", p.pool());
            pool.put("panic", p.panic());
            pool.put("available", p.available());
            List<Map<String, Object>> servers = new ArrayList<>();
            for (ServerHealthStatus s : p.servers()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("server", s.server());
                m.put("address", s.address() + ":" + s.port());
                m.put("resolvedAddress", s.resolvedAddress()); // what traffic and checks use; null: none
                m.put("resolvedAt", s.resolvedAt() == null ? null : s.resolvedAt().toString());
                m.put("resolveError", s.resolveError());
                m.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
                m.put("available", s.available());
                m.put("reason", s.reason());
                m.put("since", s.since() == null ? null : s.since().toString());
                m.put("activeRequests", s.activeRequests());
                m.put("stickyClients", s.stickyClients());
                m.put("drained", s.drained());
                m.put("ejections", s.ejections());
                List<Map<String, Object>> probes = new ArrayList<>();
                for (ProbeResult r : s.lastProbes()) {
                    probes.add(Map.of("at", r.at().toString(), "ok", r.ok(), "detail", String.valueOf(r.detail()),
                            "latencyMs", r.latencyMs()));
                }
                m.put("lastProbes", probes);
                servers.add(m);
            }
            pool.put("servers", servers);
            out.add(pool);
        }
        return out;
    }

    @Override
    public Map<String, Object> cluster() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", nodeId);
        if (member == null) {
            out.put("mode", "standalone");
            return out;
        }
        ClusterStatus s = member.status();
        out.put("mode", "cluster");
        out.put("role", s.role());
        out.put("leader", s.leader());
        out.put("term", s.term());
        out.put("commitIndex", s.commitIndex());
        out.put("appliedIndex", s.appliedIndex());
        out.put("revision", s.appliedRevision());
        out.put("members", s.members());
        out.put("vipOwners", new TreeMap<>(member.ownership().owners()));
        Map<String, Object> beats = new TreeMap<>();
        long now = System.currentTimeMillis();
        member.heartbeats().forEach((node, hb) -> beats.put(node, Map.of("ageMs", Math.max(0, now - hb.time()),
                "holds", new ArrayList<>(new java.util.TreeSet<>(hb.held())))));
        out.put("heartbeats", beats);
        out.put("followerSilenceMs", member.followerSilenceMs()); // empty unless this member leads
        return out;
    }

    @Override
    public void handoff(String node, boolean undo) {
        if (member == null) {
            throw new IllegalStateException("this node is standalone: there is nothing to hand off to");
        }
        if (!member.status().members().contains(node)) {
            throw new IllegalStateException("'" + node + "' is not a member of " + member.status().members());
        }
        try {
            member.handoff(node, !undo).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the cluster did not commit the handoff: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Every timer (rates and latency percentiles in ms), meter (rates) and counter of the registry, by metric name.
     */
    @Override
    public Map<String, Object> metrics() {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, Timer> e : registry.getTimers().entrySet()) {
            Timer t = e.getValue();
            Snapshot s = t.getSnapshot();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", t.getCount());
            m.put("rate1m", t.getOneMinuteRate());
            m.put("p50Ms", ms(s.getMedian()));
            m.put("p95Ms", ms(s.get95thPercentile()));
            m.put("p99Ms", ms(s.get99thPercentile()));
            out.put(e.getKey(), m);
        }
        for (Map.Entry<String, com.codahale.metrics.Counter> e : registry.getCounters().entrySet()) {
            out.put(e.getKey(), Map.of("count", e.getValue().getCount()));
        }
        for (Map.Entry<String, Meter> e : registry.getMeters().entrySet()) {
            out.put(e.getKey(), Map.of("count", e.getValue().getCount(), "rate1m", e.getValue().getOneMinuteRate()));
        }
        return out;
    }

    private static double ms(double nanos) {
        return Math.round(nanos / TimeUnit.MILLISECONDS.toNanos(1) * 1000.0) / 1000.0;
    }
}
