package io.duet.proxy.http1;

import io.duet.config.HopByHopHeaders;
import io.undertow.util.HttpString;

import java.util.List;
import java.util.Set;

/**
 * The hop-by-hop header fields as the proxy uses them: config's one list ({@link HopByHopHeaders}, which the validator
 * also reads) as Undertow header names. The forwarder removes them in both directions and a route's header rules may
 * not touch them. Immutable; any thread.
 */
public final class HopByHop {
    /** The names, spelled as in the RFCs, in the order the forwarder removes them. */
    public static final List<String> NAMES = HopByHopHeaders.NAMES;

    private HopByHop() {
    }

    /** The names in lower case ({@code connection}, {@code keep-alive}, ...). */
    public static Set<String> lowerCaseNames() {
        return HopByHopHeaders.LOWER_CASE;
    }

    /**
     * A new array of the names as Undertow header names (its own constants where it has them), for a caller to keep
     * in a static field and walk on a hot path without allocating.
     */
    public static HttpString[] headers() {
        HttpString[] out = new HttpString[NAMES.size()];
        for (int i = 0; i < out.length; i++) {
            HttpString known = HttpString.tryFromString(NAMES.get(i));
            out[i] = known != null ? known : new HttpString(NAMES.get(i));
        }
        return out;
    }
}
