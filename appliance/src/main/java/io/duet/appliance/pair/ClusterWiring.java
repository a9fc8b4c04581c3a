package io.duet.appliance.pair;

import com.codahale.metrics.MetricRegistry;
import io.duet.appliance.bootstrap.ApplianceMessage;
import io.duet.appliance.bootstrap.Causes;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.Membership;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.cluster.membership.ClusterIdentity;
import io.duet.cluster.membership.JoinService;
import io.duet.cluster.membership.JoinToken;
import io.duet.cluster.raft.ClusterNode;
import io.duet.cluster.vip.VipAgent;
import io.duet.config.DuetConfig;
import io.duet.config.ProposalValidator;
import io.duet.tls.KeyVault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * A proxy's place in the cluster, opened at start: its identity, the join endpoint (on a proxy holding the cluster CA
 * key), the Raft member and the replicated document as the node's config store; later its duties (heartbeats, VIPs).
 *
 * @param join the join endpoint, or null when this member does not hold the cluster CA key
 */
public record ClusterWiring(ClusterNode member, ClusterConfigStore store, JoinService join) {
    /** The cluster member could not start (Raft port taken, unreadable log). */
    public static final String CLUSTER_FAILED = ApplianceMessage.CLUSTER_FAILED.id();
    private static final Logger log = LoggerFactory.getLogger(ClusterWiring.class);

    /**
     * Opens the member and its store; everything started is added to {@code started} (stopped in reverse by the
     * caller on a later failure).
     *
     * @param initial the document served until the cluster answers, and the seed of a new cluster
     */
    public static ClusterWiring open(NodeBootstrap b, KeyVault vault, ProposalValidator validator, DuetConfig initial,
                                     List<AutoCloseable> started) throws StartupException {
        ClusterIdentity identity = Membership.step(() -> ClusterIdentity.load(b.site(), vault));
        if (identity.witness()) {
            throw new StartupException(ClusterIdentity.UNUSABLE, ExitCodes.USAGE, "node " + b.nodeId() + " joined "
                    + "the cluster as a witness: it holds no data key and cannot serve traffic. Run `duet "
                    + "witness` here, or move " + ClusterIdentity.dir(b.site()).getParent() + " away and join as a "
                    + "proxy with a new token");
        }
        JoinService join = null;
        if (identity.sealedCaKey() != null) {
            join = Membership.step(() -> JoinService.start(b.site(), identity, vault, Clock.systemUTC()));
            started.add(join);
            log.info("join endpoint listening on https://{} (tokens: duet cluster token --node ID)",
                    JoinToken.endpoint(b.clusterHost(), join.address().getPort()));
        }
        ClusterNode member;
        try {
            member = ClusterDuties.startMember(b, identity);
        } catch (IOException | RuntimeException e) {
            throw new StartupException(CLUSTER_FAILED, ExitCodes.STARTUP, "the cluster member could not start: "
                    + Causes.rootMessage(e) + "; check cluster.members and that this node's Raft port is free", e);
        }
        ClusterConfigStore store = new ClusterConfigStore(member, initial, b.nodeId(), validator);
        if (member.current().revision() == 0) {
            store.seed(initial);
        }
        started.add(store);
        log.info("config store: the cluster {} (serving revision {} until the cluster answers)",
                b.clusterMembers().keySet(), store.current().revision());
        return new ClusterWiring(member, store, join);
    }

    /**
     * Starts heartbeats and the VIP agent, registers their metrics, and lets the join endpoint deliver end notices to
     * the member.
     */
    public ClusterDuties startDuties(NodeBootstrap b, VipAgent.Drainer drainer, MetricRegistry registry) {
        ClusterDuties duties = ClusterDuties.start(member, b, store.current(), drainer);
        duties.registerMetrics(registry, store.current());
        if (join != null) {
            join.endNotices().deliverTo(member::ended);
        }
        return duties;
    }

    /** Shares the node's rate limits with the other proxies (see {@link RateShare}). */
    public RateShare startRateShare(NodeBootstrap b, io.duet.proxy.ratelimit.RateLimits limits) {
        return RateShare.start(member, b.nodeId(), limits, store::current);
    }
}
