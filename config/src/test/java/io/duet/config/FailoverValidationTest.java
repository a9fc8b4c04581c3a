package io.duet.config;

import org.junit.jupiter.api.Test;

import static io.duet.config.ConfigValidatorTest.e;
import static io.duet.config.ConfigValidatorTest.errors;
import static io.duet.config.ConfigValidatorTest.warnings;
import static io.duet.config.ConfigValidatorTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

/** The pair's failover timers in the document: defaults, ranges, and the rules that tie them together. */
class FailoverValidationTest {
    private static final String BASE = """
            listeners: [{name: l, port: 8080}]
            virtualHosts: [{name: v, defaultHost: true, routes: [{name: r, pool: p}]}]
            pools: [{name: p, servers: [{address: 10.0.0.1, port: 80}]}]
            """;

    // Absent: the defaults (200, 900, 300), nothing reported; set in part: the rest defaults.
    @Test
    void absentOrPartialTimersTakeTheDefaults() {
        assertThat(yaml(BASE).failover()).isNull();
        assertThat(yaml(BASE).failoverTimers()).isEqualTo(new Failover(200L, 900L, 300L));
        assertThat(yaml(BASE + "failover: {leaseMs: 1500}\n").failoverTimers()).isEqualTo(new Failover(200L, 1500L,
                300L));
        assertThat(errors(BASE + "failover: {heartbeatMs: 100, leaseMs: 700, marginMs: 200}\n")).isEmpty();
        assertThat(warnings(BASE + "failover: {heartbeatMs: 100, leaseMs: 700, marginMs: 200}\n")).isEmpty();
    }

    // Each value in its range; the lease at least three heartbeats; a lease below 700 ms warns that an election
    // would cost the proxies their VIPs. A copy of the document keeps its timers.
    @Test
    void rangesAndTheRulesBetweenThem() {
        assertThat(errors(BASE + "failover: {heartbeatMs: 20, leaseMs: 100, marginMs: 150}\n"))
                .extracting(Violation::path, Violation::id).containsExactly(
                        e("$.failover.heartbeatMs", 12), e("$.failover.leaseMs", 12), e("$.failover.marginMs", 12));
        assertThat(errors(BASE + "failover: {heartbeatMs: 300, leaseMs: 800}\n"))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.failover.leaseMs", 340));
        assertThat(warnings(BASE + "failover: {leaseMs: 650}\n")).extracting(Violation::path, Violation::id)
                .containsExactly(e("$.failover.leaseMs", 341));
        DuetConfig d = yaml(BASE + "failover: {leaseMs: 1500}\n");
        assertThat(d.withRevision(7).failover()).isEqualTo(d.failover());
        assertThat(d.withAdmin(Admin.empty()).failover()).isEqualTo(d.failover());
    }
}
