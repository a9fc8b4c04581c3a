package io.duet.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hop-by-hop header fields (RFC 9110 section 7.6.1, plus the legacy {@code Keep-Alive} and
 * {@code Proxy-Connection}): Duet's one list of them. The validator refuses header rules on them; the proxy's
 * forwarder removes them in both directions. Immutable; any thread.
 */
public final class HopByHopHeaders {
    /** The names, spelled as in the RFCs, in the order the forwarder removes them. */
    public static final List<String> NAMES = List.of("Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer",
            "Transfer-Encoding", "Upgrade", "Proxy-Authorization", "Proxy-Authenticate");

    /** The names in lower case ({@code connection}, {@code keep-alive}, ...). */
    public static final Set<String> LOWER_CASE = NAMES.stream().map(n -> n.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());

    private HopByHopHeaders() {
    }
}
