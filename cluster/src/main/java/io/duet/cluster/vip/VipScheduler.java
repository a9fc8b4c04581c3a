package io.duet.cluster.vip;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Decides VIP owners from committed heartbeats: a pure, deterministic function of its arguments, applied by every
 * member of the Raft group to the same entries, so all members agree without talking (Ratis has no lock or election
 * primitive of its own for this).
 *
 * <p>Rules, for each VIP in address order:
 * <ol>
 *   <li>A node is <em>alive</em> when its last heartbeat is at most {@code leaseMs} old (times are stamped by the
 *       Raft leader, never by the node's own clock) and it is not drained. Only an alive node that is also caught up
 *       ({@link Heartbeat#ready}) is given a VIP.</li>
 *   <li>The holder keeps the VIP while its last heartbeat is at most {@code leaseMs + marginMs} old (or the lease
 *       and margin that heartbeat was sent under, when longer: {@link Heartbeat#graceMs}). Past
 *       {@code leaseMs} it has already dropped the VIP itself (self-fencing, {@link VipAgent}); the margin is the
 *       time its drop may take before anyone else claims.</li>
 *   <li>An alive holder gives the VIP back to its preferred node when that node is alive and the failback policy
 *       allows it (immediate: once it has been alive for two leases; after the preferred node has been alive for
 *       the delay; never).</li>
 *   <li>A VIP without a holder (or whose holder is past its lease and margin, or drained) goes to its preferred
 *       node if alive, else to the alive node holding the fewest VIPs (ties: the smallest node id), else nobody.</li>
 *   <li><b>Claim deadline</b>: an owner that keeps sending heartbeats without ever reporting the VIP it was given for
 *       {@code 2 × (leaseMs + marginMs)} (its address command fails, a wrong interface, a process too starved to act)
 *       has failed to claim it: the VIP moves to another eligible node (through "no holder", as a planned move), and
 *       for {@code 20 × leaseMs} no VIP fails back to the stuck node. Without this a live node that cannot claim
 *       would keep its VIP unserved for as long as it lives.</li>
 *   <li><b>Never two holders</b>: a planned move (failback, handoff: the holder is still live) first takes the VIP
 *       from its holder ("no holder", recorded as a release at the deciding entry's log index); the new holder gets
 *       it only once the old one reports, in a heartbeat made after it applied that entry, that it let go: the VIP
 *       gone, or handed over (still on its interface but quiet, answering no ARP, for the connections that began
 *       there: {@link Heartbeat#leaving}; the table then names it in {@link Ownership#handovers} so that the new
 *       holder relays their packets to it). A VIP is also never given to a node while another live node reports
 *       answering for it. A crashed holder's reports stop
 *       counting once it is past lease and margin.</li>
 * </ol>
 * Thread-safe (stateless).
 */
public final class VipScheduler {
    /** A change of holder, for the log (with the Raft term) and the agents. */
    public record Change(String address, String from, String to, String reason) {
    }

    /** The new table and what changed. */
    public record Decision(Ownership ownership, List<Change> changes) {
    }

    private final long leaseMs;
    private final long marginMs;

    /**
     * @param leaseMs  a node whose heartbeat is older is not alive (and fences itself)
     * @param marginMs how long after the lease others wait before claiming its VIPs
     */
    public VipScheduler(long leaseMs, long marginMs) {
        if (leaseMs <= 0 || marginMs < 0) {
            throw new IllegalArgumentException("leaseMs > 0 and marginMs >= 0 expected: " + leaseMs + ", " + marginMs);
        }
        this.leaseMs = leaseMs;
        this.marginMs = marginMs;
    }

    public long leaseMs() {
        return leaseMs;
    }

    public long marginMs() {
        return marginMs;
    }

    /**
     * The table after time {@code now}.
     *
     * @param vips       the configured VIPs
     * @param heartbeats node id -> its last committed heartbeat
     * @param current    the table before
     * @param now        leader-stamped time of the entry being applied
     */
    public Decision decide(List<VipSpec> vips, Map<String, Heartbeat> heartbeats, Ownership current, long now) {
        return decide(vips, heartbeats, current, now, Long.MAX_VALUE);
    }

    /**
     * @param index the log index of the entry being applied (releases are tagged with it)
     */
    public Decision decide(List<VipSpec> vips, Map<String, Heartbeat> heartbeats, Ownership current, long now,
                           long index) {
        Map<String, Long> aliveSince = new TreeMap<>();
        for (Map.Entry<String, Heartbeat> e : heartbeats.entrySet()) {
            if (alive(e.getKey(), heartbeats, current, now)) {
                Long since = current.aliveSince().get(e.getKey());
                aliveSince.put(e.getKey(), since != null ? since : e.getValue().time());
            }
        }
        long claimMs = 2 * (leaseMs + marginMs);
        Map<String, Long> assigned = new TreeMap<>(current.assigned());
        Map<String, Long> stuck = new TreeMap<>();
        current.stuck().forEach((n, t) -> {
            if (now - t < 20 * leaseMs) {
                stuck.put(n, t);
            }
        });
        Map<String, String> notClaimedBy = new HashMap<>();
        List<VipSpec> sorted = new ArrayList<>(vips);
        sorted.sort(Comparator.comparing(VipSpec::address));
        Map<String, String> owners = new TreeMap<>();
        Map<String, Ownership.Release> releases = new TreeMap<>(current.releases());
        Map<String, Integer> load = new HashMap<>();
        List<Change> changes = new ArrayList<>();
        // First pass: holders that keep their VIP, so the spread of the second pass sees the real load.
        List<VipSpec> open = new ArrayList<>();
        for (VipSpec v : sorted) {
            String holder = current.owner(v.address());
            if (holder != null && withinGrace(holder, heartbeats, current, now)) {
                Heartbeat hhb = heartbeats.get(holder);
                if (hhb.held().contains(v.address())) {
                    assigned.remove(v.address()); // claimed: the deadline is met for good (a later self-fence is
                                                  // the lease's business, not a failed claim)
                }
                Long given = assigned.get(v.address());
                if (given != null && alive(holder, heartbeats, current, now) && !hhb.held().contains(v.address())
                        && hhb.time() - given > claimMs
                        && leastLoaded(heartbeats, current, now, load, holder, stuck) != null) {
                    stuck.put(holder, now);
                    notClaimedBy.put(v.address(), holder);
                    open.add(v); // moved to another node below (through "no holder")
                    continue;
                }
                String pref = v.preferred();
                if (pref != null && !pref.equals(holder) && alive(holder, heartbeats, current, now)
                        && eligible(pref, heartbeats, current, now) && !stuck.containsKey(pref)
                        && failbackAllowed(v, aliveSince.get(pref), now)) {
                    open.add(v); // handed back to its preferred node below (through "no holder")
                    continue;
                }
                owners.put(v.address(), holder);
                load.merge(holder, 1, Integer::sum);
            } else {
                open.add(v);
            }
        }
        for (VipSpec v : open) {
            String holder = current.owner(v.address());
            String exclude = notClaimedBy.get(v.address());
            String target;
            String reason;
            String pref = v.preferred();
            if (pref != null && !pref.equals(exclude) && eligible(pref, heartbeats, current, now)
                    && (!stuck.containsKey(pref) || leastLoaded(heartbeats, current, now, load, exclude, stuck) == null)) {
                target = pref;
                reason = holder == null ? "preferred node alive"
                        : exclude != null ? "holder " + holder + " did not claim it within " + claimMs + " ms"
                        : holderGone(holder, heartbeats, current, now)
                        ? "holder " + holder + " " + why(holder, heartbeats, current, now) + "; preferred node alive"
                        : "failback to the preferred node";
            } else {
                target = leastLoaded(heartbeats, current, now, load, exclude, stuck);
                if (target == null) {
                    target = leastLoaded(heartbeats, current, now, load, exclude, Map.of());
                }
                reason = holder == null ? "no holder" : exclude != null ? "holder " + holder + " did not claim it "
                        + "within " + claimMs + " ms" : "holder " + holder + " " + why(holder, heartbeats, current, now);
            }
            if (target != null && holder != null && !holder.equals(target) && live(holder, heartbeats, now)) {
                // A planned move: the live holder lets go first.
                releases.put(v.address(), new Ownership.Release(holder, index));
                load.merge(target, 1, Integer::sum);
                changes.add(new Change(v.address(), holder, null, reason + "; " + holder + " lets go before "
                        + target + " claims"));
                continue;
            }
            Ownership.Release rel = releases.get(v.address());
            String waitFor = null;
            if (rel != null && live(rel.node(), heartbeats, now)) {
                Heartbeat hb = heartbeats.get(rel.node());
                if (hb.appliedIndex() < rel.index() || hb.answersFor(v.address())) {
                    waitFor = rel.node(); // let go: the VIP gone, or handed over (quiet, see Heartbeat#leaving)
                }
            }
            if (waitFor == null && target != null) {
                waitFor = stillHeldElsewhere(v.address(), target, heartbeats, current, now);
            }
            String next = waitFor == null ? target : null;
            if (next != null) {
                owners.put(v.address(), next);
                releases.remove(v.address());
                if (!next.equals(holder)) {
                    assigned.put(v.address(), now);
                }
            }
            if (target != null) {
                load.merge(target, 1, Integer::sum);
            }
            if (!Objects.equals(holder, next)) {
                String r = next == null && target != null
                        ? reason + "; waiting for " + waitFor + " to report it let go before " + target + " claims"
                        : next == null ? reason + "; no node alive" : reason;
                changes.add(new Change(v.address(), holder, next, r));
            }
        }
        releases.keySet().retainAll(vips.stream().map(VipSpec::address).toList());
        assigned.keySet().retainAll(owners.keySet());
        return new Decision(new Ownership(owners, aliveSince, current.drained(), releases, assigned, stuck,
                handovers(owners, heartbeats, now)), changes);
    }

    /**
     * VIP -> hardware address of the node that handed it over to its owner and still serves the connections that
     * began there: a node within its grace that reports the VIP {@linkplain Heartbeat#leaving leaving} (the first in
     * id order, should there be two) and said its address.
     */
    private Map<String, String> handovers(Map<String, String> owners, Map<String, Heartbeat> heartbeats, long now) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> o : owners.entrySet()) {
            for (Map.Entry<String, Heartbeat> e : new TreeMap<>(heartbeats).entrySet()) {
                Heartbeat hb = e.getValue();
                if (!e.getKey().equals(o.getValue()) && hb.leaving().contains(o.getKey()) && !hb.mac().isEmpty()
                        && now - hb.time() <= hb.graceMs(leaseMs, marginMs)) {
                    out.put(o.getKey(), hb.mac());
                    break;
                }
            }
        }
        return out;
    }

    /** A node other than {@code target} whose heartbeat is within lease and margin and reports holding the VIP. */
    private String stillHeldElsewhere(String address, String target, Map<String, Heartbeat> heartbeats, Ownership o,
                                      long now) {
        for (Map.Entry<String, Heartbeat> e : new TreeMap<>(heartbeats).entrySet()) {
            if (!e.getKey().equals(target) && e.getValue().answersFor(address)
                    && now - e.getValue().time() <= e.getValue().graceMs(leaseMs, marginMs)) {
                return e.getKey();
            }
        }
        return null;
    }

    private boolean alive(String node, Map<String, Heartbeat> heartbeats, Ownership o, long now) {
        Heartbeat hb = heartbeats.get(node);
        return hb != null && now - hb.time() <= leaseMs && !o.drained().contains(node);
    }

    /** Alive and caught up ({@link Heartbeat#ready}): may be given a VIP. */
    private boolean eligible(String node, Map<String, Heartbeat> heartbeats, Ownership o, long now) {
        return alive(node, heartbeats, o, now) && heartbeats.get(node).ready();
    }

    /** Heartbeat within lease + margin, drained or not: it may still hold VIPs. */
    private boolean live(String node, Map<String, Heartbeat> heartbeats, long now) {
        Heartbeat hb = heartbeats.get(node);
        return hb != null && now - hb.time() <= hb.graceMs(leaseMs, marginMs);
    }

    private boolean withinGrace(String node, Map<String, Heartbeat> heartbeats, Ownership o, long now) {
        Heartbeat hb = heartbeats.get(node);
        return hb != null && now - hb.time() <= hb.graceMs(leaseMs, marginMs) && !o.drained().contains(node);
    }

    private boolean holderGone(String node, Map<String, Heartbeat> heartbeats, Ownership o, long now) {
        return !withinGrace(node, heartbeats, o, now);
    }

    private String why(String node, Map<String, Heartbeat> heartbeats, Ownership o, long now) {
        if (o.drained().contains(node)) {
            return "handed off";
        }
        Heartbeat hb = heartbeats.get(node);
        return hb == null ? "never sent a heartbeat" : hb.ended() ? "ended (its guardian removed its VIPs)"
                : "silent for " + (now - hb.time()) + " ms";
    }

    private boolean failbackAllowed(VipSpec v, Long preferredAliveSince, long now) {
        return switch (v.failback().mode()) {
            // "Immediate" once the node has been alive for two leases: a node that just restarted is often still
            // settling (catching up, its first elections), and a VIP handed to it then had no holder for a second
            // in the lab. A failover to a live node never waits.
            case IMMEDIATE -> preferredAliveSince != null && now - preferredAliveSince >= 2 * leaseMs;
            case NEVER -> false;
            case DELAYED -> preferredAliveSince != null && now - preferredAliveSince >= v.failback().delayMs();
        };
    }

    /** The eligible node with the fewest VIPs (ties: smallest id), skipping {@code exclude} and stuck nodes. */
    private String leastLoaded(Map<String, Heartbeat> heartbeats, Ownership o, long now, Map<String, Integer> load,
                               String exclude, Map<String, Long> stuck) {
        String best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (String node : new java.util.TreeSet<>(heartbeats.keySet())) {
            if (!eligible(node, heartbeats, o, now) || node.equals(exclude) || stuck.containsKey(node)) {
                continue;
            }
            int l = load.getOrDefault(node, 0);
            if (l < bestLoad) {
                best = node;
                bestLoad = l;
            }
        }
        return best;
    }
}
