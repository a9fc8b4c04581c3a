package io.duet.proxy.http1;

import io.undertow.util.HttpString;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hop-by-hop header fields (RFC 9110 section 7.6.1, plus the legacy {@code Keep-Alive} and
 * {@code Proxy-Connection}): the proxy's one list of them. The forwarder removes them in both directions and a route's
 * header rules may not touch them. Immutable; any thread.
 */
public final class HopByHop {
    /** The names, spelled as in the RFCs, in the order the forwarder removes them. */
    public static final List<String> NAMES = List.of("Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer",
            "Transfer-Encoding", "Upgrade", "Proxy-Authorization", "Proxy-Authenticate");

    private static final Set<String> LOWER_CASE = NAMES.stream().map(n -> n.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());

    private HopByHop() {
    }

    /** The names in lower case ({@code connection}, {@code keep-alive}, ...). */
    public static Set<String> lowerCaseNames() {
        return LOWER_CASE;
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
