package io.duet.proxy.http1;

import io.duet.config.HopByHopHeaders;
import io.undertow.util.HttpString;

/**
 * The hop-by-hop header fields as the proxy uses them: config's one list ({@link HopByHopHeaders}, which the validator
 * also reads) as Undertow header names. The forwarder removes them in both directions and a route's header rules may
 * not touch them (they read config's list directly). Immutable; any thread.
 */
public final class HopByHop {
    private HopByHop() {
    }

    /**
     * A new array of the names as Undertow header names (its own constants where it has them), for a caller to keep
     * in a static field and walk on a hot path without allocating.
     */
    public static HttpString[] headers() {
        HttpString[] out = new HttpString[HopByHopHeaders.NAMES.size()];
        for (int i = 0; i < out.length; i++) {
            String name = HopByHopHeaders.NAMES.get(i);
            HttpString known = HttpString.tryFromString(name);
            out[i] = known != null ? known : new HttpString(name);
        }
        return out;
    }
}
