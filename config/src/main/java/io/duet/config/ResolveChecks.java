package io.duet.config;

import java.util.function.Consumer;

/**
 * The checks of a pool's {@code resolve} settings and of what they imply for its servers (DUET-CONFIG-0320..0329).
 * Called by {@link ConfigValidator} for every pool. Pure; any thread.
 */
final class ResolveChecks {
    private static final long ONE_DAY_MS = 86_400_000L;

    private ResolveChecks() {
    }

    /** Adds every violation of pool {@code pool} at JSON path {@code p} to {@code out}. */
    static void check(String p, Pool pool, Consumer<Violation> out) {
        Resolve r = pool.resolveSettings();
        String rp = p + ".resolve";
        if (pool.resolve() != null) {
            range(out, rp + ".intervalMs", "intervalMs", r.intervalMs(), Resolve.MIN_INTERVAL_MS, ONE_DAY_MS,
                    "1000-86400000 ms (a name is looked up at most once a second)");
            range(out, rp + ".holdOnFailureMs", "holdOnFailureMs", r.holdOnFailureMs(), 0, ONE_DAY_MS,
                    "0-86400000 ms (1 day)");
            range(out, rp + ".maxAddresses", "maxAddresses", r.maxAddresses(), 1, Resolve.MAX_MAX_ADDRESSES, "1-64");
            if (!Resolve.FAMILIES.contains(r.prefer())) {
                out.accept(ConfigMessage.NOT_ONE_OF.at(rp + ".prefer", "prefer", r.prefer(),
                        String.join(", ", Resolve.FAMILIES)));
            }
            if (r.holdOnFailureMs() > 0 && r.holdOnFailureMs() < r.intervalMs()) {
                out.accept(ConfigMessage.RESOLVE_HOLD_BELOW_INTERVAL.at(rp + ".holdOnFailureMs", r.holdOnFailureMs(),
                        r.intervalMs()));
            }
            if (!pool.servers().isEmpty() && pool.servers().stream().allMatch(ResolveChecks::literal)) {
                out.accept(ConfigMessage.RESOLVE_UNUSED.at(rp, String.valueOf(pool.name())));
            }
        }
        if (r.maxAddresses() > 1) {
            for (int j = 0; j < pool.servers().size(); j++) {
                Server s = pool.servers().get(j);
                if (s != null && s.id() != null && s.id().indexOf(Resolve.SLOT_SEPARATOR) >= 0) {
                    out.accept(ConfigMessage.RESOLVE_RESERVED_ID.at(p + ".servers[" + j + "].id", s.id()));
                }
            }
        }
    }

    /** True for a server given by IP address (or one whose address is invalid: reported elsewhere). */
    private static boolean literal(Server s) {
        return s == null || s.address() == null || CidrBlock.parseIpLiteral(s.address()).isPresent();
    }

    private static void range(Consumer<Violation> out, String p, String field, long value, long min, long max,
                              String expected) {
        if (value < min || value > max) {
            out.accept(ConfigMessage.OUT_OF_RANGE.at(p, field, value, expected));
        }
    }
}
