package io.duet.admin.service;

import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.Server;
import io.duet.config.TlsCertificate;
import io.duet.config.Vip;
import io.duet.config.build.ConfigBuilders;
import io.duet.tls.CertifiedKey;
import io.duet.tls.Pem;
import io.duet.tls.SelfSigned;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules over the shapes the node's live view really has ({@code NodeStatusView}): failures against
 * operator states for pools, the certificates list's 30-day rule, and the cluster's leader, members and VIPs.
 */
class AlertRulesTest {
    private static final String SINCE = "2026-01-02T03:04:05Z";

    private static DuetConfig doc(String b2State) {
        return ConfigBuilders.document().revision(1).listener(new Listener("http", "127.0.0.1", 0))
                .pool(ConfigBuilders.pool("web").server(new Server("b1", "127.0.0.1", 8001, null, null))
                        .server(new Server("b2", "127.0.0.1", 8002, null, null, b2State, null)))
                .vip(new Vip("192.0.2.10", null, null, null)).build();
    }

    private static Map<String, Object> server(String id, String state, boolean available, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", id);
        m.put("state", state);
        m.put("available", available);
        m.put("reason", reason);
        m.put("since", SINCE);
        return m;
    }

    private static List<Map<String, Object>> health(int available, Map<String, Object>... servers) {
        return List.of(Map.of("pool", "web", "panic", false, "available", available, "servers", List.of(servers)));
    }

    // Both servers failing: the pool is down (critical) and each server is down (warning), since their last change.
    @Test
    void aPoolWithNoServerUpIsCritical() {
        List<Alert> alerts = new ArrayList<>();
        List<OperatorState> states = new ArrayList<>();
        PoolAlerts.collect(doc(Server.ENABLED), health(0, server("b1", "down", false, "connection refused"),
                server("b2", "ejected", false, "5 consecutive errors")), alerts, states);
        assertThat(alerts).extracting(Alert::id)
                .containsExactly("pool-down:web", "server-down:web/b1", "server-down:web/b2");
        assertThat(alerts.get(0).severity()).isEqualTo("critical");
        assertThat(alerts.get(0).message()).isEqualTo("pool 'web': no server is up (2 failing)");
        assertThat(alerts.get(0).since()).isEqualTo(java.time.Instant.parse(SINCE).toEpochMilli());
        assertThat(alerts.get(1).message()).isEqualTo("server 'b1' of pool 'web' is down: connection refused");
        assertThat(states).isEmpty();
    }

    // Maintenance set by an operator is a state, not a failure, even when it leaves the pool with no server up; a
    // failure beside it still makes the pool down, and the message says both.
    @Test
    void operatorStatesAreNotFailures() {
        List<Alert> alerts = new ArrayList<>();
        List<OperatorState> states = new ArrayList<>();
        PoolAlerts.collect(doc(Server.MAINTENANCE), health(1, server("b1", "up", true, null),
                server("b2", "maintenance", false, "maintenance set in the configuration")), alerts, states);
        assertThat(alerts).isEmpty();
        assertThat(states).extracting(OperatorState::name, OperatorState::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("b2", "maintenance"));

        alerts.clear();
        states.clear();
        PoolAlerts.collect(doc(Server.DRAIN), health(0, server("b1", "maintenance", false, "no address"),
                server("b2", "draining", false, null)), alerts, states);
        // b1 is in maintenance because its name does not resolve, not by an operator: a failure.
        assertThat(alerts).extracting(Alert::id).containsExactly("pool-down:web", "server-down:web/b1");
        assertThat(alerts.get(0).message()).isEqualTo("pool 'web': no server is up (1 failing, 1 out by an operator)");
        assertThat(states).extracting(OperatorState::state).containsExactly("drain");

        alerts.clear();
        states.clear();
        DuetConfig both = doc(Server.MAINTENANCE);
        both = both.withPools(List.of(both.pool("web").withServers(List.of(
                both.pool("web").servers().get(0).withState(Server.DRAIN, null), both.pool("web").servers().get(1)))));
        PoolAlerts.collect(both, health(0, server("b1", "draining", false, null),
                server("b2", "maintenance", false, null)), alerts, states);
        assertThat(alerts).isEmpty();
        assertThat(states).extracting(OperatorState::objectKind, OperatorState::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("server", "drain"),
                org.assertj.core.groups.Tuple.tuple("server", "maintenance"),
                org.assertj.core.groups.Tuple.tuple("pool", "out-of-service"));
    }

    // The certificates list's rule: expiring under 30 days (warning, since notAfter - 30 days), expired (critical).
    @Test
    void certificatesNearTheirEnd() {
        long now = System.currentTimeMillis();
        CertifiedKey soon = SelfSigned.issue(List.of("soon.test"), Duration.ofDays(10), Clock.systemUTC());
        CertifiedKey later = SelfSigned.issue(List.of("later.test"), Duration.ofDays(90), Clock.systemUTC());
        CertifiedKey gone = SelfSigned.issue(List.of("gone.test"), Duration.ofDays(10),
                Clock.offset(Clock.systemUTC(), Duration.ofDays(-20)));
        DuetConfig d = ConfigBuilders.document().revision(1).listener(new Listener("http", "127.0.0.1", 0))
                .certificate(new TlsCertificate("soon", Pem.certificates(soon.chain()), null))
                .certificate(new TlsCertificate("later", Pem.certificates(later.chain()), null))
                .certificate(new TlsCertificate("gone", Pem.certificates(gone.chain()), null))
                .certificate(new TlsCertificate("junk", "not a certificate", null)).build();
        List<Alert> alerts = new ArrayList<>();
        CertificateAlerts.collect(d, now, alerts);
        assertThat(alerts).extracting(Alert::id, Alert::severity).containsExactly(
                org.assertj.core.groups.Tuple.tuple("certificate-expiring:soon", "warning"),
                org.assertj.core.groups.Tuple.tuple("certificate-expired:gone", "critical"),
                org.assertj.core.groups.Tuple.tuple("certificate-unreadable:junk", "critical"));
        long end = soon.leaf().getNotAfter().getTime();
        assertThat(alerts.get(0).since()).isEqualTo(end - 30 * 86_400_000L);
        assertThat(alerts.get(0).message()).startsWith("certificate 'soon' expires in 9 day(s)");
    }

    // A proxy whose heartbeat is older than lease + margin, a witness that has not answered the leader for as long,
    // a VIP nobody holds; none standalone, and only "no leader" without one.
    @Test
    void clusterMembersAndVips() {
        long now = 1_000_000;
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("node", "a");
        cluster.put("mode", "cluster");
        cluster.put("leader", "a");
        cluster.put("members", List.of("a", "b", "w"));
        cluster.put("vipOwners", Map.of());
        cluster.put("heartbeats", Map.of("a", Map.of("ageMs", 150L, "holds", List.of()),
                "b", Map.of("ageMs", 5_000L, "holds", List.of())));
        // The witness w sends no heartbeats: only the leader's Raft view tells whether it answers.
        cluster.put("followerSilenceMs", Map.of("b", 4_000L, "w", 3_000L));
        List<Alert> alerts = new ArrayList<>();
        ClusterAlerts.collect(doc(Server.ENABLED), cluster, now, alerts);
        assertThat(alerts).extracting(Alert::id).containsExactly("member-missing:b", "member-missing:w",
                "vip-unheld:192.0.2.10");
        assertThat(alerts.get(0).since()).isEqualTo(now - 5_000);
        assertThat(alerts.get(0).message()).contains("last heartbeat 5000 ms ago (lease + margin 1200 ms)");
        assertThat(alerts.get(1).since()).isEqualTo(now - 3_000);
        assertThat(alerts.get(1).message()).contains("has not answered the leader ('a') for 3000 ms");

        cluster.put("vipOwners", Map.of("192.0.2.10", "a"));
        cluster.put("followerSilenceMs", Map.of("b", 40L, "w", 60L));
        cluster.put("heartbeats", Map.of("a", Map.of("ageMs", 150L), "b", Map.of("ageMs", 150L)));
        alerts.clear();
        ClusterAlerts.collect(doc(Server.ENABLED), cluster, now, alerts);
        assertThat(alerts).isEmpty();

        cluster.put("leader", null);
        ClusterAlerts.collect(doc(Server.ENABLED), cluster, now, alerts);
        assertThat(alerts).extracting(Alert::id).containsExactly("cluster-no-leader:a");

        alerts.clear();
        ClusterAlerts.collect(doc(Server.ENABLED), Map.of("node", "a", "mode", "standalone"), now, alerts);
        assertThat(alerts).isEmpty();
    }
}
