package io.duet.config;

import static io.duet.config.ValidationRun.ONE_DAY_MS;

/**
 * The checks of a pool's {@code resolve} settings and of what they imply for its servers (DUET-CONFIG-0320..0329).
 * Called by {@link PoolRules} for every pool. Pure; any thread (the {@link ValidationRun} it is given is the caller's
 * alone).
 */
final class ResolveRules {
    private ResolveRules() {
    }

    /** Adds every violation of pool {@code pool} at JSON path {@code p} to {@code run}. */
    static void check(ValidationRun run, String p, Pool pool) {
        Resolve r = pool.resolveSettings();
        String rp = p + ".resolve";
        if (pool.resolve() != null) {
            run.range(rp + ".intervalMs", "intervalMs", r.intervalMs(), Resolve.MIN_INTERVAL_MS, ONE_DAY_MS,
                    "1000-86400000 ms (a name is looked up at most once a second)");
            run.range(rp + ".holdOnFailureMs", "holdOnFailureMs", r.holdOnFailureMs(), 0, ONE_DAY_MS,
                    "0-86400000 ms (1 day)");
            run.range(rp + ".maxAddresses", "maxAddresses", r.maxAddresses(), 1, Resolve.MAX_MAX_ADDRESSES, "1-64");
            if (!Resolve.FAMILIES.contains(r.prefer())) {
                run.add(ConfigMessage.NOT_ONE_OF.at(rp + ".prefer", "prefer", r.prefer(),
                        String.join(", ", Resolve.FAMILIES)));
            }
            if (r.holdOnFailureMs() > 0 && r.holdOnFailureMs() < r.intervalMs()) {
                run.add(ConfigMessage.RESOLVE_HOLD_BELOW_INTERVAL.at(rp + ".holdOnFailureMs", r.holdOnFailureMs(),
                        r.intervalMs()));
            }
            if (!pool.servers().isEmpty() && pool.servers().stream().allMatch(ResolveRules::literal)) {
                run.add(ConfigMessage.RESOLVE_UNUSED.at(rp, String.valueOf(pool.name())));
            }
        }
        if (r.maxAddresses() > 1) {
            for (int j = 0; j < pool.servers().size(); j++) {
                Server s = pool.servers().get(j);
                if (s != null && s.id() != null && s.id().indexOf(Resolve.SLOT_SEPARATOR) >= 0) {
                    run.add(ConfigMessage.RESOLVE_RESERVED_ID.at(p + ".servers[" + j + "].id", s.id()));
                }
            }
        }
    }

    /** True for a server given by IP address (or one whose address is invalid: reported elsewhere). */
    private static boolean literal(Server s) {
        return s == null || s.address() == null || CidrBlock.parseIpLiteral(s.address()).isPresent();
    }
}
