package io.duet.admin.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.admin.api.ApiError;
import io.duet.admin.api.Http;
import io.duet.admin.api.Request;
import io.duet.admin.message.AdminMessage;
import io.undertow.server.HttpServerExchange;

import java.time.Clock;
import java.util.Deque;
import java.util.Set;

/**
 * {@code GET /metrics/history}: the recent traffic the node keeps per pool, route and server
 * ({@link LiveNode#metricsHistory}) as JSON columns with their units. Query: {@code kind} (pool, route, server;
 * required), {@code name}, {@code pool} (servers of one pool), {@code vhost} (routes of one virtual host),
 * {@code since} (epoch milliseconds; only later samples). Thread-safe.
 */
final class MetricsHistoryService {
    private static final Set<String> KINDS = Set.of("pool", "route", "server");
    private final LiveNode node;
    private final Clock clock;

    MetricsHistoryService(LiveNode node, Clock clock) {
        this.node = node;
        this.clock = clock;
    }

    void history(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        String kind = param(ex, "kind");
        if (kind == null || !KINDS.contains(kind)) {
            throw refused("query parameter kind must be pool, route or server (was " + kind + ")");
        }
        String pool = param(ex, "pool");
        String vhost = param(ex, "vhost");
        if (pool != null && !kind.equals("server") || vhost != null && !kind.equals("route")) {
            throw refused("query parameter " + (pool != null ? "pool" : "vhost") + " filters "
                    + (pool != null ? "servers (kind=server)" : "routes (kind=route)") + ", not kind=" + kind);
        }
        long since = 0;
        String s = param(ex, "since");
        if (s != null) {
            try {
                since = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw refused("query parameter since must be epoch milliseconds (was " + s + ")");
            }
        }
        MetricHistory h = node.metricsHistory(kind, pool != null ? pool : vhost, param(ex, "name"), since);
        ObjectNode out = Http.JSON.createObjectNode();
        out.put("now", clock.millis());
        out.put("periodMillis", h.periodMillis());
        out.put("capacity", h.capacity());
        out.put("maxSeries", h.maxSeries());
        out.put("untracked", h.untracked());
        ObjectNode units = out.putObject("units");
        units.put("atMillis", "epoch milliseconds, end of the interval");
        units.put("intervalMillis", "milliseconds");
        units.put("requests", "requests started in the interval");
        units.put("requestsPerSecond", "requests started per second over the interval");
        units.put("responses", "responses sent in the interval, by status class");
        units.put("duetErrors", "events in the interval");
        units.put("latencyMs", "milliseconds, of the requests completed in the interval; null: none completed");
        ArrayNode series = out.putArray("series");
        for (MetricSeries m : h.series()) {
            write(series.addObject(), m);
        }
        Http.send(ex, 200, out);
    }

    private static void write(ObjectNode o, MetricSeries m) {
        o.put("kind", m.kind());
        if (m.kind().equals("server")) {
            o.put("pool", m.scope());
        } else if (m.kind().equals("route")) {
            o.put("vhost", m.scope());
        }
        o.put("name", m.name());
        ArrayNode at = o.putArray("atMillis");
        for (long t : m.atMillis()) {
            at.add(t);
        }
        ints(o, "intervalMillis", m.intervalMillis());
        ints(o, "requests", m.requests());
        ArrayNode rate = o.putArray("requestsPerSecond");
        for (int i = 0; i < m.requests().length; i++) {
            int ms = m.intervalMillis()[i];
            if (ms <= 0) {
                rate.addNull();
            } else {
                rate.add(Math.round(m.requests()[i] * 1_000_000.0 / ms) / 1000.0);
            }
        }
        ObjectNode responses = o.putObject("responses");
        ints(responses, "2xx", m.responses2xx());
        ints(responses, "3xx", m.responses3xx());
        ints(responses, "4xx", m.responses4xx());
        ints(responses, "5xx", m.responses5xx());
        ObjectNode errors = o.putObject("duetErrors");
        ints(errors, "noServer", m.noServer());
        ints(errors, "queueRejected", m.queueRejected());
        ints(errors, "connectErrors", m.connectErrors());
        ints(errors, "responseTimeouts", m.responseTimeouts());
        ObjectNode latency = o.putObject("latencyMs");
        floats(latency, "p50", m.p50Ms());
        floats(latency, "p95", m.p95Ms());
        floats(latency, "p99", m.p99Ms());
    }

    /** A column; nothing when the kind does not measure it (null). */
    private static void ints(ObjectNode o, String field, int[] column) {
        if (column != null) {
            ArrayNode a = o.putArray(field);
            for (int v : column) {
                a.add(v);
            }
        }
    }

    /** Milliseconds to the microsecond; NaN (no request completed) is null. */
    private static void floats(ObjectNode o, String field, float[] column) {
        ArrayNode a = o.putArray(field);
        for (float v : column) {
            if (Float.isNaN(v)) {
                a.addNull();
            } else {
                a.add(Math.round(v * 1000.0) / 1000.0);
            }
        }
    }

    private static String param(HttpServerExchange ex, String name) {
        Deque<String> v = ex.getQueryParameters().get(name);
        return v == null || v.getFirst().isEmpty() ? null : v.getFirst();
    }

    private static ApiError refused(String message) {
        return new ApiError(400, AdminMessage.HISTORY_QUERY, message);
    }
}
