package io.duet.cluster.vip;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who holds each VIP, as decided by {@link VipScheduler}, plus what the decision needs to remember: since when each
 * node has been alive without interruption (for delayed failback). Immutable; part of the replicated state machine's
 * state, so every member computes the same table from the same committed entries.
 *
 * @param owners      VIP address -> node id; a VIP without an owner is absent
 * @param aliveSince  node id -> leader-stamped time its current run of heartbeats started
 * @param drained     nodes handed off ({@code duet cluster handoff}): they hold nothing until re-enabled
 * @param releases    VIPs taken from a live holder (a planned move), with that node and the log index of the
 *                    decision: nobody gets them until the node reports, from a state after that index, that it let go
 * @param assigned    VIP address -> leader-stamped time its current owner was given it, until the owner first reports
 *                    holding it (a live owner that does not within the claim deadline has failed to claim it)
 * @param stuck       node id -> leader-stamped time it last failed to claim a VIP given to it (no VIP goes back to
 *                    it by failback for a while)
 * @param handovers   VIP address -> hardware address of the node that handed it over to its owner and still serves the
 *                    connections that began there (a planned move): the owner relays their packets to it
 */
public record Ownership(Map<String, String> owners, Map<String, Long> aliveSince, Set<String> drained,
                        Map<String, Release> releases, Map<String, Long> assigned, Map<String, Long> stuck,
                        Map<String, String> handovers) {
    public static final Ownership EMPTY = new Ownership(Map.of(), Map.of(), Set.of(), Map.of());

    /** A VIP being let go by {@code node}, decided at log index {@code index}. */
    public record Release(String node, long index) {
    }

    public Ownership {
        owners = Collections.unmodifiableMap(new TreeMap<>(owners));
        aliveSince = Collections.unmodifiableMap(new TreeMap<>(aliveSince));
        drained = Set.copyOf(drained);
        releases = Collections.unmodifiableMap(new TreeMap<>(releases == null ? Map.of() : releases));
        assigned = Collections.unmodifiableMap(new TreeMap<>(assigned == null ? Map.of() : assigned));
        stuck = Collections.unmodifiableMap(new TreeMap<>(stuck == null ? Map.of() : stuck));
        handovers = Collections.unmodifiableMap(new TreeMap<>(handovers == null ? Map.of() : handovers));
    }

    public Ownership(Map<String, String> owners, Map<String, Long> aliveSince, Set<String> drained,
                     Map<String, Release> releases, Map<String, Long> assigned, Map<String, Long> stuck) {
        this(owners, aliveSince, drained, releases, assigned, stuck, Map.of());
    }

    public Ownership(Map<String, String> owners, Map<String, Long> aliveSince, Set<String> drained,
                     Map<String, Release> releases) {
        this(owners, aliveSince, drained, releases, Map.of(), Map.of());
    }

    public Ownership(Map<String, String> owners, Map<String, Long> aliveSince, Set<String> drained) {
        this(owners, aliveSince, drained, Map.of());
    }

    /** The holder of a VIP, or null. */
    public String owner(String address) {
        return owners.get(address);
    }

    /** The VIPs a node holds, sorted. */
    public List<String> heldBy(String node) {
        return owners.entrySet().stream().filter(e -> e.getValue().equals(node)).map(Map.Entry::getKey).sorted()
                .toList();
    }

    /** This table with a node drained (true) or back in service (false). */
    public Ownership withDrained(String node, boolean drain) {
        java.util.HashSet<String> d = new java.util.HashSet<>(drained);
        if (drain) {
            d.add(node);
        } else {
            d.remove(node);
        }
        return new Ownership(owners, aliveSince, d, releases, assigned, stuck, handovers);
    }

    static Map<String, String> mutableOwners(Ownership o) {
        return new HashMap<>(o.owners);
    }
}
