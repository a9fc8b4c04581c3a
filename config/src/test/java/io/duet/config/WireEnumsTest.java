package io.duet.config;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The enums that name the allowed values of string fields: one list, read back exactly. */
class WireEnumsTest {

    // Roles: the document names in the order messages list them, exact lower case only, strongest allows the rest.
    @Test
    void adminRoles() {
        assertThat(AdminRole.wires()).containsExactly("admin", "operator", "viewer");
        assertThat(AdminUser.ROLES).isEqualTo(AdminRole.wires());
        for (AdminRole r : AdminRole.values()) {
            assertThat(AdminRole.from(r.wire())).isSameAs(r);
        }
        assertThat(Arrays.asList(null, "", "Admin", "root")).allMatch(w -> AdminRole.from(w) == null);
        assertThat(AdminRole.ADMIN.allows(AdminRole.VIEWER)).isTrue();
        assertThat(AdminRole.OPERATOR.allows(AdminRole.OPERATOR)).isTrue();
        assertThat(AdminRole.OPERATOR.allows(AdminRole.ADMIN)).isFalse();
        assertThat(AdminRole.VIEWER.allows(AdminRole.OPERATOR)).isFalse();
    }

    // Server states: the Server constants, in their order; only enabled takes new clients.
    @Test
    void serverStates() {
        assertThat(ServerState.wires()).containsExactly(Server.ENABLED, Server.DRAIN, Server.MAINTENANCE);
        assertThat(Server.STATES).isEqualTo(ServerState.wires());
        for (ServerState s : ServerState.values()) {
            assertThat(ServerState.from(s.wire())).isSameAs(s);
        }
        assertThat(Arrays.asList(null, "", "DRAIN", "disabled")).allMatch(w -> ServerState.from(w) == null);
        assertThat(ServerState.ENABLED.inService()).isTrue();
        assertThat(ServerState.DRAIN.inService()).isFalse();
        assertThat(ServerState.MAINTENANCE.inService()).isFalse();
    }

    // Balancers: Pool.BALANCERS is the algorithms' document names, each read back by BalancerAlgorithm.byId.
    @Test
    void balancers() {
        assertThat(Pool.BALANCERS).hasSize(BalancerAlgorithm.values().length).contains("round-robin", "hash", "lblcr");
        for (String id : Pool.BALANCERS) {
            assertThat(BalancerAlgorithm.byId(id).id()).isEqualTo(id);
        }
        assertThat(BalancerAlgorithm.byId("Round-Robin")).isNull();
    }
}
