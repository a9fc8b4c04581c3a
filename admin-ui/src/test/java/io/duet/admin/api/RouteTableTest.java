package io.duet.admin.api;

import io.duet.config.AdminRole;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The route table alone: matching by segments, parameters, and the Allow of a path. */
class RouteTableTest {
    private static final Service NOTHING = r -> { };

    private static final RouteTable TABLE = new RouteTable(List.of(
            Route.caller("GET", "/session", NOTHING),
            Route.open("POST", "/session", NOTHING),
            Route.caller("DELETE", "/session", NOTHING),
            Route.of("GET", "/pools", AdminRole.VIEWER, "read", NOTHING),
            Route.of("GET", "/pools/{name}", AdminRole.VIEWER, "read", NOTHING),
            Route.of("PUT", "/pools/{name}", AdminRole.ADMIN, "change", NOTHING),
            Route.of("DELETE", "/pools/{name}", AdminRole.ADMIN, "change", NOTHING),
            Route.of("PUT", "/pools/{pool}/servers/{server}/state", AdminRole.OPERATOR, "change", NOTHING)));

    @Test
    void aMethodAndPathReachOneRouteWithItsParameters() {
        RouteTable.Match m = TABLE.find("PUT", "/pools/api/servers/s1/state").orElseThrow();
        assertThat(m.route().role()).isEqualTo(AdminRole.OPERATOR);
        assertThat(m.params()).isEqualTo(Map.of("pool", "api", "server", "s1"));
        assertThat(TABLE.find("GET", "/pools/api").orElseThrow().params()).isEqualTo(Map.of("name", "api"));
        assertThat(TABLE.find("GET", "/pools/").orElseThrow().params()).as("an empty segment is a parameter too")
                .isEqualTo(Map.of("name", ""));
        assertThat(TABLE.find("POST", "/pools/api")).isEmpty();
        assertThat(TABLE.find("GET", "/pools/api/servers")).isEmpty();
        assertThat(TABLE.find("GET", "")).isEmpty();
    }

    @Test
    void theAllowOfAPathComesFromTheTableInItsOrder() {
        assertThat(TABLE.allowed("/session")).isEqualTo("GET, POST, DELETE");
        assertThat(TABLE.allowed("/pools/x")).isEqualTo("GET, PUT, DELETE");
        assertThat(TABLE.allowed("/pools")).isEqualTo("GET");
        assertThat(TABLE.allowed("/pools/x/servers/y/state")).isEqualTo("PUT");
        assertThat(TABLE.forPath("/nothing")).isEmpty();
        ApiError e = ApiError.methodNotAllowed(TABLE.allowed("/pools/x"));
        assertThat(e.status()).isEqualTo(405);
        assertThat(e.allow()).isEqualTo("GET, PUT, DELETE");
        assertThat(e.getMessage()).isEqualTo("method not allowed here (allowed: GET, PUT, DELETE)");
    }

    @Test
    void twoRoutesForTheSameMethodAndShapeAreRefused() {
        assertThatThrownBy(() -> new RouteTable(List.of(Route.of("GET", "/pools/{name}", AdminRole.VIEWER, "read",
                NOTHING), Route.of("GET", "/pools/{pool}", AdminRole.ADMIN, "read", NOTHING))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/pools/{name}");
    }

    @Test
    void onlyStateChangesNeedTheCsrfHeader() {
        assertThat(Route.of("GET", "/x", AdminRole.VIEWER, "read", NOTHING).changesState()).isFalse();
        assertThat(Route.of("POST", "/x", AdminRole.VIEWER, "validate", NOTHING).changesState()).isTrue();
        assertThat(Route.of("DELETE", "/x", AdminRole.ADMIN, "remove", NOTHING).changesState()).isTrue();
    }
}
