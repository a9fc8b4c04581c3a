package io.duet.proxy.ratelimit;

import io.duet.config.DuetConfig;
import io.duet.config.RateLimit;
import io.duet.proxy.metrics.MetricBundle;
import io.duet.proxy.metrics.ProxyMetrics;
import io.undertow.server.HttpHandler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's rate limits, kept across reloads: a limit keeps its table of keys (and so its clients' debts) and its
 * refused keys while its name, {@code maxKeys} and rate (requests, period, burst) stay; a change of the rate starts
 * its keys afresh; a change of the action, status, headers or key applies to the next request with the same table.
 * Its metrics stay while its name does. A limit gone from the document is forgotten.
 *
 * <p>Threads: {@link #compile} on the single reload thread; the handlers it makes on I/O threads; {@link #status},
 * {@link #top} and the pair's seam ({@link #share}, {@link #drainUnreported}, {@link #charge}) on any thread off the
 * I/O threads.
 */
public final class RateLimits {
    private final ProxyMetrics metrics;
    private final Map<String, LimitState> states = new ConcurrentHashMap<>();
    private volatile Map<String, RateLimit> specs = Map.of();

    public RateLimits(ProxyMetrics metrics) {
        this.metrics = metrics;
    }

    /** The limits of one snapshot, by name, and how to put them in front of a handler. */
    public static final class Compiled {
        private final Map<String, RateLimiter> limiters;

        private Compiled(Map<String, RateLimiter> limiters) {
            this.limiters = limiters;
        }

        /**
         * {@code next} behind the named limits, in order, or {@code next} itself when there are none.
         *
         * @param route the route ({@code vhost/route}), or null on a listener
         * @throws IllegalArgumentException a name the document does not define (a validated document has none)
         */
        public HttpHandler wrap(List<String> names, String route, HttpHandler next) {
            if (names.isEmpty()) {
                return next;
            }
            RateLimiter[] chain = new RateLimiter[names.size()];
            for (int i = 0; i < chain.length; i++) {
                chain[i] = limiters.get(names.get(i));
                if (chain[i] == null) {
                    throw new IllegalArgumentException("unknown rate limit '" + names.get(i) + "'");
                }
            }
            return new RateLimitHandler(chain, route, next);
        }
    }

    /**
     * Compiles the document's limits, reusing the state of those that stay. Reload thread.
     *
     * @param bundles receives the limits' metric bundles (the snapshot keeps them)
     */
    public Compiled compile(DuetConfig config, ClientAddress clients, List<MetricBundle> bundles) {
        Map<String, RateLimiter> limiters = new HashMap<>();
        Map<String, RateLimit> byName = new LinkedHashMap<>();
        for (RateLimit spec : config.rateLimits()) {
            LimitState old = states.get(spec.name());
            LimitState.Size size = LimitState.Size.of(spec);
            LimitState state = old != null && old.size().equals(size) ? old
                    : new LimitState(size, metrics.forRateLimit(spec.name()));
            states.put(spec.name(), state);
            bundles.add(state.metrics());
            limiters.put(spec.name(), new RateLimiter(spec, state, clients));
            byName.put(spec.name(), spec);
        }
        states.keySet().retainAll(byName.keySet());
        specs = byName;
        return new Compiled(limiters);
    }

    /**
     * Every limit: {@code name, requests, periodMs, burst, action, key, concurrent, inFlight, maxKeys, keys (live
     * now), share, allowed, limited, delayed, unkeyed, evictions}. Off the I/O threads (walks the tables).
     */
    public List<Map<String, Object>> status() {
        long now = LimitState.now();
        List<Map<String, Object>> out = new ArrayList<>();
        for (RateLimit spec : specs.values()) {
            LimitState s = states.get(spec.name());
            if (s == null) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", spec.name());
            m.put("key", spec.key());
            m.put("requests", spec.requests());
            m.put("periodMs", spec.periodMs());
            m.put("burst", spec.burstOrDefault());
            m.put("action", spec.action());
            m.put("concurrent", spec.concurrent());
            m.put("inFlight", s.table().inFlight());
            m.put("maxKeys", spec.maxKeys());
            m.put("keys", s.table().liveKeys(now));
            m.put("share", s.share().fraction);
            m.put("allowed", s.metrics().allowedCount());
            m.put("limited", s.metrics().limitedCount());
            m.put("delayed", s.metrics().delayedCount());
            m.put("unkeyed", s.metrics().unkeyedCount());
            m.put("evictions", s.table().evictions());
            out.add(m);
        }
        return out;
    }

    /**
     * The keys of limit {@code name} refused lately, most refusals first: {@code key} (client addresses and routes as
     * they are, header, cookie and query values as a short hash), {@code refusals}, {@code lastRefusedAgoMs},
     * {@code debtMs} (how long until the key's bucket is full again); empty when there is no such limit.
     */
    public Optional<List<Map<String, Object>>> top(String name, int max) {
        LimitState s = states.get(name);
        if (s == null) {
            return Optional.empty();
        }
        long now = LimitState.now();
        List<Map<String, Object>> out = new ArrayList<>();
        for (LimitedKeys.Top t : s.limited().top(now, max, h -> s.table().debt(h, now))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", t.key());
            m.put("refusals", t.refusals());
            m.put("lastRefusedAgoMs", t.lastRefusedAgoMs());
            m.put("debtMs", t.debtMs());
            out.add(m);
        }
        return Optional.of(out);
    }

    // The pair's seam: the member channel's exchange feeds these (see docs/rate-limits.md).

    /** This node's share of limit {@code name}: 1 alone or while the peer reports, 0.5 when it cannot be reached. */
    public void share(String name, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("share: " + fraction + " (expected: more than 0, at most 1)");
        }
        LimitState s = states.get(name);
        if (s != null) {
            s.share().fraction = fraction;
        }
    }

    /** This node's admissions per key hash of limit {@code name} since the last call (what to send the peer). */
    public void drainUnreported(String name, LimitTable.Admissions out) {
        LimitState s = states.get(name);
        if (s != null) {
            s.table().drainUnreported(out);
        }
    }

    /** The peer's admissions of a key of limit {@code name}, charged here as if they had come here. */
    public void charge(String name, long keyHash, int admitted) {
        LimitState s = states.get(name);
        RateLimit spec = specs.get(name);
        if (s != null && spec != null && spec.requests() != null && admitted > 0) {
            long interval = Math.max(1, spec.periodMs() * 1_000_000L / spec.requests());
            s.table().charge(keyHash, admitted, LimitState.now(), interval);
        }
    }
}
