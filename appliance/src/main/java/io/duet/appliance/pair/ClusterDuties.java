package io.duet.appliance.pair;

import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.cluster.membership.ClusterIdentity;
import io.duet.cluster.membership.EndNotices;
import io.duet.cluster.raft.ClusterNode;
import io.duet.cluster.raft.ClusterSettings;
import io.duet.cluster.vip.IpCommandActuator;
import io.duet.cluster.vip.VipAgent;
import io.duet.cluster.vip.VipSpec;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.Vip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.duet.appliance.bootstrap.ApplianceMessage.DUTIES_STARTED;

/**
 * What a cluster member does besides serving: commits a heartbeat every 200 ms (with the VIPs its agent holds; the
 * document's {@code failover} timers say otherwise), and, when it has an interface for floating IPs, runs the
 * {@link VipAgent} that makes the interface match the replicated ownership table. Thread-safe; {@link #close} releases
 * the VIPs and stops.
 */
public final class ClusterDuties implements AutoCloseable {
    static final long HEARTBEAT_MS = io.duet.config.Failover.DEFAULT_HEARTBEAT_MS;
    static final long LEASE_MS = io.duet.config.Failover.DEFAULT_LEASE_MS;
    static final long MARGIN_MS = io.duet.config.Failover.DEFAULT_MARGIN_MS;
    /** An extra heartbeat this long after another node's lease + margin ran out, so its VIPs move then. */
    static final long EXPIRY_BEAT_LAG_MS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDuties.class);

    private final ClusterNode node;
    private final VipAgent agent;
    private final ScheduledExecutorService heart = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "duet-heartbeat");
        t.setDaemon(true);
        return t;
    });

    private final String self;

    private ClusterDuties(ClusterNode node, VipAgent agent, String self) {
        this.node = node;
        this.agent = agent;
        this.self = self;
    }

    /** The member's settings from the bootstrap: its directory, timeouts, and how to read VIPs from a document. */
    public static ClusterSettings settings(NodeBootstrap b) {
        return new ClusterSettings(b.nodeId(), b.clusterMembers(), b.dataDir().resolve("cluster"), null, null, 0, 0,
                LEASE_MS, MARGIN_MS, ClusterDuties::vipsOf).withTimers(ClusterDuties::timersOf);
    }

    /**
     * The failover timers a replicated document sets, {heartbeatMs, leaseMs, marginMs}, or null (the defaults): a pure
     * function of its bytes (every member gets the same).
     */
    static long[] timersOf(byte[] document) {
        DuetConfig c;
        try {
            c = ConfigCodec.decode(new String(document, StandardCharsets.UTF_8), ConfigCodec.Format.JSON);
        } catch (InvalidConfigException | RuntimeException e) {
            return null;
        }
        io.duet.config.Failover f = c.failover();
        return f == null ? null : new long[] {f.heartbeatMs(), f.leaseMs(), f.marginMs()};
    }

    /** Starts the member's Raft side over mutual TLS with the member's identity. */
    public static ClusterNode startMember(NodeBootstrap b, ClusterIdentity identity) throws IOException {
        return ClusterNode.start(settings(b).withTls(identity.tls()));
    }

    /** The VIPs a replicated document configures: a pure function of its bytes (every member gets the same). */
    public static List<VipSpec> vipsOf(byte[] document) {
        DuetConfig c;
        try {
            c = ConfigCodec.decode(new String(document, StandardCharsets.UTF_8), ConfigCodec.Format.JSON);
        } catch (InvalidConfigException | RuntimeException e) {
            return List.of();
        }
        List<VipSpec> out = new ArrayList<>();
        for (Vip v : c.vips()) {
            if (v == null || v.address() == null) {
                continue;
            }
            VipSpec.Failback fb = switch (v.failback()) {
                case "never" -> VipSpec.Failback.NEVER;
                case "delayed" -> VipSpec.Failback.after(v.failbackDelayMs());
                default -> VipSpec.Failback.IMMEDIATE;
            };
            out.add(new VipSpec(v.address(), v.preferredNode(), fb));
        }
        return out;
    }

    static Set<String> addresses(DuetConfig c) {
        Set<String> s = new TreeSet<>();
        for (Vip v : c.vips()) {
            if (v != null && v.address() != null) {
                s.add(v.address());
            }
        }
        return s;
    }

    /** Starts heartbeats and, with an interface, the VIP agent (after removing leftover VIPs). */
    public static ClusterDuties start(ClusterNode node, NodeBootstrap b, DuetConfig current, VipAgent.Drainer drainer) {
        VipAgent agent = null;
        if (b.clusterInterface() != null) {
            IpCommandActuator actuator = new IpCommandActuator(b.clusterInterface(), List.of());
            java.nio.file.Path ca = ClusterIdentity.dir(b.site()).resolve("ca.pem");
            if (java.nio.file.Files.exists(ca)) {
                // After a kill -9 the guardian removes the VIPs and tells the other proxies, which take them at once.
                actuator.announceEnd(b.nodeId(), java.util.HexFormat.of().formatHex(node.endSecret()),
                        EndNotices.targets(b.site()), ca);
            }
            agent = new VipAgent(b.nodeId(), actuator, LEASE_MS, MARGIN_MS, System::nanoTime);
            agent.drainer(drainer);
            agent.start(addresses(current));
            VipAgent a = agent;
            node.onOwnHeartbeat(a::ownHeartbeatCommitted);
            node.subscribeOwnership(agent::ownership);
        }
        ClusterDuties d = new ClusterDuties(node, agent, b.nodeId());
        long[] t = node.timers();
        d.schedule(t[0]);
        node.onLeaderChange(() -> {
            try {
                d.heart.execute(d::beat); // the new leader gets a heartbeat now: commits resume at once
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopping
            }
        });
        if (agent != null) {
            agent.onHeldChanged(() -> {
                try {
                    d.heart.execute(d::beat); // report a claim or release now, not up to 200 ms later
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // stopping
                }
            });
        }
        LOG.info("{} cluster member {}: heartbeats every {} ms, lease {} ms, margin {} ms, VIPs {}", DUTIES_STARTED,
                b.nodeId(), t[0], t[1], t[2],
                b.clusterInterface() == null ? "none (no cluster.interface)" : "on " + b.clusterInterface());
        return d;
    }

    private java.util.concurrent.ScheduledFuture<?> expiryBeat; // heartbeat thread only
    private java.util.concurrent.ScheduledFuture<?> beats; // guarded by this
    private long beatPeriodMs; // guarded by this

    /** Heartbeats every {@code periodMs} from now (at start, and when a new document changes the period). */
    private synchronized void schedule(long periodMs) {
        if (periodMs == beatPeriodMs && beats != null) {
            return;
        }
        if (beats != null) {
            beats.cancel(false);
            LOG.info("{} cluster member {}: heartbeats every {} ms (was {} ms)", DUTIES_STARTED, self, periodMs,
                    beatPeriodMs);
        }
        beatPeriodMs = periodMs;
        try {
            beats = heart.scheduleAtFixedRate(this::beat, 0, periodMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    private void beat() {
        try {
            if (agent == null) {
                node.heartbeat(Set.of());
            } else {
                node.heartbeat(agent.held(), agent.leaving(), agent.hardwareAddress());
            }
            scheduleExpiryBeat();
        } catch (RuntimeException e) {
            LOG.debug("heartbeat not sent: {}", e.toString());
        }
    }

    /**
     * Owners are decided when an entry is applied, with that entry's time: a holder whose lease + margin runs out
     * between two heartbeats would lose its VIPs only at the next one, up to 200 ms later. So when another holder's
     * lease + margin ends before this node's next heartbeat, one more heartbeat is sent just after it (leader's clock,
     * read on this node's: the members' clocks are synchronised). Liveness only: who may claim is still decided by
     * the leader's stamps, so an extra heartbeat sent too early changes nothing.
     */
    private void scheduleExpiryBeat() {
        long now = System.currentTimeMillis();
        long next = Long.MAX_VALUE;
        long[] t = node.timers();
        for (java.util.Map.Entry<String, io.duet.cluster.vip.Heartbeat> e : node.heartbeats().entrySet()) {
            io.duet.cluster.vip.Heartbeat hb = e.getValue();
            if (!e.getKey().equals(self) && !hb.ended() && !hb.held().isEmpty()) {
                long delay = hb.time() + hb.graceMs(t[1], t[2]) + EXPIRY_BEAT_LAG_MS - now;
                if (delay > 0 && delay < t[0]) {
                    next = Math.min(next, delay);
                }
            }
        }
        if (next != Long.MAX_VALUE && (expiryBeat == null || expiryBeat.isDone()
                || expiryBeat.getDelay(TimeUnit.MILLISECONDS) > next)) {
            if (expiryBeat != null) {
                expiryBeat.cancel(false);
            }
            expiryBeat = heart.schedule(this::beat, next, TimeUnit.MILLISECONDS);
        }
    }

    /** A new revision: the agent learns the configured VIPs, the heartbeats follow the document's period. */
    public void configured(DuetConfig c) {
        if (agent != null) {
            agent.vips(addresses(c));
        }
        schedule(c.failoverTimers().heartbeatMs());
        vipMetrics(addresses(c));
    }

    private volatile com.codahale.metrics.MetricRegistry registry;
    private final java.util.Set<String> vipMetricNames = new java.util.HashSet<>(); // guarded by itself

    /**
     * Registers the cluster's gauges (Prometheus text and JMX): this member's role, term, commit and applied index
     * and revision, the voters, each node's heartbeat age (leader clock against this node's; -1 before the first),
     * the VIPs this node holds, whether it is fenced, and for each configured VIP which node holds it. Every gauge
     * reads state already in memory: a scrape costs no Raft round trip.
     */
    public void registerMetrics(com.codahale.metrics.MetricRegistry r, DuetConfig current) {
        registry = r;
        r.register("duet_cluster_leader", (com.codahale.metrics.Gauge<Integer>) () ->
                "LEADER".equals(status().role()) ? 1 : 0);
        r.register("duet_cluster_term", (com.codahale.metrics.Gauge<Long>) () -> status().term());
        r.register("duet_cluster_commit_index", (com.codahale.metrics.Gauge<Long>) () -> status().commitIndex());
        r.register("duet_cluster_applied_index", (com.codahale.metrics.Gauge<Long>) () -> status().appliedIndex());
        r.register("duet_cluster_revision", (com.codahale.metrics.Gauge<Long>) () -> node.current().revision());
        r.register("duet_cluster_voters", (com.codahale.metrics.Gauge<Integer>) () -> status().members().size());
        for (String m : status().members()) {
            r.register(io.duet.proxy.metrics.MetricName.encode("duet_cluster_heartbeat_age_seconds", "node", m),
                    (com.codahale.metrics.Gauge<Double>) () -> {
                        io.duet.cluster.vip.Heartbeat hb = node.heartbeats().get(m);
                        return hb == null ? -1.0 : Math.max(0, System.currentTimeMillis() - hb.time()) / 1000.0;
                    });
        }
        r.register("duet_cluster_vips_held", (com.codahale.metrics.Gauge<Integer>) () ->
                agent == null ? 0 : agent.held().size());
        r.register("duet_cluster_fenced", (com.codahale.metrics.Gauge<Integer>) () ->
                agent != null && agent.fenced() ? 1 : 0);
        vipMetrics(addresses(current));
    }

    private io.duet.cluster.raft.ClusterStatus status() {
        return node.status();
    }

    /** One gauge per configured VIP and voter: 1 when that node holds the VIP in the replicated table. */
    private void vipMetrics(Set<String> vips) {
        com.codahale.metrics.MetricRegistry r = registry;
        if (r == null) {
            return;
        }
        synchronized (vipMetricNames) {
            java.util.Set<String> wanted = new java.util.HashSet<>();
            for (String vip : vips) {
                for (String m : status().members()) {
                    String name = io.duet.proxy.metrics.MetricName.encode("duet_cluster_vip_owned", "vip", vip,
                            "node", m);
                    wanted.add(name);
                    if (vipMetricNames.add(name)) {
                        r.register(name, (com.codahale.metrics.Gauge<Integer>) () ->
                                m.equals(node.ownership().owner(vip)) ? 1 : 0);
                    }
                }
            }
            for (java.util.Iterator<String> it = vipMetricNames.iterator(); it.hasNext(); ) {
                String name = it.next();
                if (!wanted.contains(name)) {
                    r.remove(name);
                    it.remove();
                }
            }
        }
    }

    @Override
    public void close() {
        heart.shutdownNow();
        if (agent != null) {
            agent.close();
        }
    }
}
