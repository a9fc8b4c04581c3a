package io.duet.proxy.affinity;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Modes {@code source} and {@code header}: the client address (after trusted PROXY protocol), or a request header's
 * value, is bound to the server that first answered it, in a bounded table with an idle timeout. A request without
 * the header is not sticky.
 */
final class TableKeyed implements Stickiness {
    private final HttpString header;
    private final StickyTable table;

    /** @param header the header to follow, or {@code null} to follow the client address */
    TableKeyed(String header, StickyTable table) {
        this.header = header == null ? null : new HttpString(header);
        this.table = table;
    }

    @Override
    public void read(HttpServerExchange exchange, StickyBinding r, long nowMs) {
        String key;
        if (header != null) {
            key = exchange.getRequestHeaders().getFirst(header);
        } else {
            InetSocketAddress a = exchange.getSourceAddress();
            key = a == null || a.getAddress() == null ? null : a.getAddress().getHostAddress();
        }
        if (key == null || key.isEmpty()) {
            return;
        }
        r.key = key;
        r.boundId = table.lookup(key, nowMs);
    }

    @Override
    public void write(HttpServerExchange exchange, StickyBinding r, long nowMs) {
        if (r.key != null) {
            table.bind(r.key, r.served.id(), nowMs);
        }
    }

    @Override
    public Map<String, Integer> stickyClients(long nowMs) {
        return table.countByServer(nowMs);
    }
}
