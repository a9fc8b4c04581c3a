package io.duet.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The balancing algorithms a pool may name, and what each needs, so the validator can reject a combination that
 * cannot work (as HAProxy's {@code BE_LB_NEED_*} flags do).
 */
public enum BalancerAlgorithm {
    ROUND_ROBIN(Key.NONE, false),
    WEIGHTED_ROUND_ROBIN(Key.NONE, true),
    LEAST_CONNECTIONS(Key.NONE, false),
    WEIGHTED_LEAST_CONNECTIONS(Key.NONE, true),
    RANDOM_TWO_CHOICES(Key.NONE, false),
    LEAST_RESPONSE_TIME(Key.NONE, false),
    /** Reads the client address; needs no hashKey. */
    SOURCE_HASH(Key.NONE, true),
    HASH(Key.REQUIRED, true),
    LBLC(Key.OPTIONAL, true),
    LBLCR(Key.OPTIONAL, true),
    /** Weights scale each server's capacity (see the proxy's FirstAvailable). */
    FIRST_AVAILABLE(Key.NONE, true);

    /** Whether the algorithm reads a request key ({@link Pool#hashKey()}). */
    public enum Key { NONE, OPTIONAL, REQUIRED }

    private final String id;
    private final Key key;
    private final boolean weighted;

    BalancerAlgorithm(Key key, boolean weighted) {
        this.id = name().toLowerCase(Locale.ROOT).replace('_', '-');
        this.key = key;
        this.weighted = weighted;
    }

    /** The kebab-case name used in documents, e.g. {@code least-connections}. */
    public String id() {
        return id;
    }

    public Key key() {
        return key;
    }

    /** False when server weights other than 0 (no new requests) have no effect. */
    public boolean weighted() {
        return weighted;
    }

    /** The algorithm with this document name, or {@code null}. */
    public static BalancerAlgorithm byId(String id) {
        for (BalancerAlgorithm a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        return null;
    }

    static List<String> ids() {
        return Arrays.stream(values()).map(BalancerAlgorithm::id).toList();
    }
}
