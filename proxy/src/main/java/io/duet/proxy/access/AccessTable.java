package io.duet.proxy.access;

import io.duet.config.AccessRule;
import io.duet.config.AddressList;
import io.duet.config.CidrBlock;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.Route;
import io.duet.config.VirtualHost;
import io.duet.proxy.metrics.AccessMetrics;
import io.duet.proxy.metrics.MetricBundle;
import io.duet.proxy.metrics.ProxyMetrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The access rules of one snapshot: the address lists compiled once ({@link AddressSet}, each list shared by every
 * rule and match naming it), the listeners' rules by listener name, and the builders of the routes' rules and
 * {@code match.sources} sets. Built on the reload thread from a validated document; read-only afterwards.
 */
public final class AccessTable {
    private final Map<String, AddressSet> lists = new HashMap<>();
    private final Map<String, AccessPolicy> listeners = new HashMap<>();
    private final List<MetricBundle> bundles = new ArrayList<>();
    private final ProxyMetrics metrics;
    private final Tarpit tarpit;
    private final boolean needsClient;

    /**
     * @param metrics where each rule's counters are registered
     * @param tarpit  the data plane's bound on tarpitted requests
     * @throws IllegalArgumentException when an entry is neither a block nor a known list (a validated document has none)
     */
    public AccessTable(DuetConfig config, ProxyMetrics metrics, Tarpit tarpit) {
        this.metrics = metrics;
        this.tarpit = tarpit;
        for (AddressList l : config.addressLists()) {
            lists.put(l.name(), AddressSet.of(CidrBlock.parseAll(l.addresses(), "addressLists." + l.name())));
        }
        boolean any = false;
        for (Listener l : config.listeners()) {
            if (l.access() != null) {
                AccessMetrics m = metrics.forListenerAccess(l.name());
                bundles.add(m);
                listeners.put(l.name(), policy(l.access(), m));
                any = true;
            }
        }
        for (VirtualHost v : config.virtualHosts()) {
            for (Route r : v.routes()) {
                any |= r.access() != null || !r.match().sources().isEmpty();
            }
        }
        this.needsClient = any;
    }

    /** True when some rule or match reads the client's address: the root handler then works it out first. */
    public boolean needsClient() {
        return needsClient;
    }

    /** The rule of a listener, or {@code null}. I/O thread (a map lookup). */
    public AccessPolicy listener(String name) {
        return listeners.get(name);
    }

    /** The compiled rule of a route (its metrics registered), or {@code null} when it has none. Reload thread. */
    public AccessPolicy route(String vhost, Route route) {
        if (route.access() == null) {
            return null;
        }
        AccessMetrics m = metrics.forRouteAccess(vhost, route.name());
        bundles.add(m);
        return policy(route.access(), m);
    }

    /** The set of addresses these entries (blocks, addresses, list names) name. Reload thread. */
    public AddressSet set(List<String> entries) {
        List<CidrBlock> blocks = new ArrayList<>();
        AddressSet named = null;
        for (String e : entries) {
            AddressSet list = lists.get(e);
            if (list != null) {
                named = named == null ? list : AddressSet.union(named, list);
            } else {
                blocks.add(CidrBlock.parse(e).orElseThrow(() -> new IllegalArgumentException(
                        "'" + e + "' (expected: an IP address, a CIDR block or the name of an address list)")));
            }
        }
        if (blocks.isEmpty()) {
            return named == null ? AddressSet.EMPTY : named;
        }
        AddressSet own = AddressSet.of(blocks);
        return named == null ? own : AddressSet.union(named, own);
    }

    /** Every metric bundle of the rules compiled so far (listeners' and routes'). */
    public List<MetricBundle> metrics() {
        return bundles;
    }

    private AccessPolicy policy(AccessRule rule, AccessMetrics m) {
        return new AccessPolicy(rule, set(rule.allow()), set(rule.deny()), m, tarpit);
    }
}
