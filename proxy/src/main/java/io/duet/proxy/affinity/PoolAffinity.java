package io.duet.proxy.affinity;

import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.pool.BackendServer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The affinity of one compiled pool: its mode, the pool's servers by id, and the response side that binds clients.
 * Immutable apart from its tables; built by {@link AffinityTables} for each snapshot.
 */
public final class PoolAffinity {
    private final BackendPool pool;
    private final Map<String, BackendServer> byId;
    private final Stickiness stickiness;
    private final String mode;

    /** Binds the client once a backend's response commits. I/O thread. */
    final ResponseCommitListener onCommit = this::committed;

    PoolAffinity(BackendPool pool, String mode, Stickiness stickiness) {
        this.pool = pool;
        this.mode = mode;
        this.stickiness = stickiness;
        Map<String, BackendServer> m = new HashMap<>();
        for (BackendServer s : pool.servers()) {
            m.put(s.id(), s);
        }
        this.byId = Map.copyOf(m);
    }

    BackendPool pool() {
        return pool;
    }

    /** The pool's server with this id, or {@code null}. */
    BackendServer server(String id) {
        return byId.get(id);
    }

    Stickiness stickiness() {
        return stickiness;
    }

    /** The affinity mode ({@code cookie}, {@code learn}, {@code source}, {@code header}). */
    public String mode() {
        return mode;
    }

    /**
     * Sticky clients per server id, every server of the pool listed (0 when none), for an operator who waits for a
     * draining server to be free of them. What counts as a client depends on the mode: a bound address, header value
     * or session id that was used within its timeout; for insert cookies, a distinct cookie seen within the cookie's
     * idle lifetime (an estimate, see {@link InsertCookie}). Walks a table: call it off the I/O threads.
     */
    public Map<String, Integer> stickyClients() {
        Map<String, Integer> counts = new TreeMap<>();
        for (BackendServer s : pool.servers()) {
            counts.put(s.id(), 0);
        }
        stickiness.stickyClients(System.currentTimeMillis()).forEach((id, n) -> {
            if (counts.containsKey(id)) {
                counts.put(id, n);
            }
        });
        return counts;
    }

    private void committed(HttpServerExchange exchange) {
        StickyBinding r = StickyBinding.of(exchange);
        if (r == null || r.refused || r.served == null) {
            return;
        }
        if (r.outcome.failed()) {
            return; // Duet's own error page: no server answered, nothing to bind
        }
        stickiness.write(exchange, r, System.currentTimeMillis());
    }
}
