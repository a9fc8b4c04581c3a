package io.duet.cluster.vip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static io.duet.cluster.message.ClusterMessage.AGENT_CHECK_FAILED;
import static io.duet.cluster.message.ClusterMessage.FENCED;
import static io.duet.cluster.message.ClusterMessage.LEFTOVER_VIP_REMOVED;
import static io.duet.cluster.message.ClusterMessage.MOVE_UNDONE;
import static io.duet.cluster.message.ClusterMessage.VIP_CLAIMED;
import static io.duet.cluster.message.ClusterMessage.VIP_DRAINS;
import static io.duet.cluster.message.ClusterMessage.VIP_DRIFT_REPAIRED;
import static io.duet.cluster.message.ClusterMessage.VIP_HANDED_OVER;
import static io.duet.cluster.message.ClusterMessage.VIP_RELAYED;
import static io.duet.cluster.message.ClusterMessage.VIP_RELEASED;
import static io.duet.cluster.message.ClusterMessage.VIP_STALLED;

/**
 * One node's side of VIP ownership: makes the interface match the replicated {@link Ownership} table, and fences
 * itself. Everything runs on one thread ({@code duet-vip}), so commands never overlap:
 * <ul>
 *   <li>At start it removes every configured VIP left on the interface (a node that crashed while holding one must
 *       not take traffic back before the cluster says so).</li>
 *   <li>It holds a VIP only while the table names this node <em>and</em> its own heartbeat was committed within the
 *       lease (measured on this node's monotonic clock from the moment it saw the commit). Past the lease it drops
 *       every VIP at once (self-fencing): a partitioned or paused node stops answering before the others, who wait
 *       lease + margin, claim.</li>
 *   <li>On a claim it announces (gratuitous ARP / unsolicited NA) and announces again 5 s later, as keepalived does
 *       for switches that miss the first burst.</li>
 *   <li>Every second it compares the interface with what it should hold and repairs drift: an address removed by
 *       hand is added back, one that should not be there is removed.</li>
 *   <li>A planned move away (handoff, failback, undo) while the lease runs <em>hands the VIP over</em> where this
 *       node can (IPv4, nftables, its hardware address known): the VIP goes <em>quiet</em> here (still on the
 *       interface, answering no ARP, serving the connections that reach it) and the heartbeat reports it leaving,
 *       which counts as let go. The next holder claims it and announces it at once, and relays to this node's
 *       hardware address the packets of every TCP connection it did not see begin ({@link Ownership#handovers}):
 *       connections that began here end here, new ones begin there, and no SYN is dropped on the way. This node
 *       releases the VIP {@link #LEAVE_SETTLE_MS} ms after the table names another owner (the data plane meanwhile
 *       ends its connections after their current response), or after {@link #LEAVE_MAX_MS} ms when nobody takes it.
 *       Never two nodes answering ARP for the VIP; for those few hundred milliseconds both have it configured.</li>
 *   <li>Otherwise (IPv6, no nftables, a VIP removed from the document) a planned move first
 *       <em>drains</em> the VIP: new connections to it are held back (their SYNs dropped: clients retransmit them a
 *       second later, when the peer holds the VIP), the data plane ends the connections on it after their current
 *       response, and the VIP is released when none is left or after {@link #DRAIN_MAX_MS}. The VIP stays held
 *       (and reported) meanwhile, so the peer cannot claim it early. Fencing never waits.</li>
 * </ul>
 * The Raft term is logged with every claim and release. Thread-safety: the public methods may be called from any
 * thread (the state machine's apply thread); they hand work to the agent's thread and never block on commands.
 */
public final class VipAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VipAgent.class);
    static final long TICK_MS = 50;
    static final long DRIFT_CHECK_MS = 1_000;
    static final long REANNOUNCE_MS = 5_000;
    /** Gratuitous ARP / unsolicited NA after a claim: a burst of three a second apart, and again 5 s later. */
    static final long[] ANNOUNCE_AT_MS = {0, 1_000, 2_000, REANNOUNCE_MS};
    /**
     * The longest drain before a planned move. Short, because new connections wait meanwhile: with 0.5 s of drain
     * plus the peer's claim, a client's first SYN retransmission (after 1 s) finds the VIP on the peer. Requests
     * still running after it are cut, as any move without a drain would.
     */
    public static final long DRAIN_MAX_MS = 500;
    /** A VIP handed over is released this long after the table names another owner (see the class comment). */
    static final long LEAVE_SETTLE_MS = 500;
    /** The longest a VIP handed over stays quiet here when nobody takes it. */
    static final long LEAVE_MAX_MS = 3_000;

    /** The data plane's side of a drain (see the class comment). */
    public interface Drainer {
        /**
         * Ends the connections to {@code address} after their current response; completes, with a description
         * for the log, when none is left or after {@code maxMs}. Must not block.
         */
        java.util.concurrent.CompletionStage<String> drain(String address, long maxMs);

        /** The address stays (or left): its connections keep alive again. */
        void undrain(String address);
    }

    private final String node;
    private final VipActuator actuator;
    /** The lease and margin of heartbeats that do not say theirs ({@link #ownHeartbeatCommitted(long)}). */
    private final long defaultLeaseMs;
    private final long defaultMarginMs;
    /** Null, or why this node cannot hold VIPs (logged once at start; it then never claims). */
    private final String cannotHold;
    private final LongSupplier nanoTime;
    private final ScheduledExecutorService thread;
    /** Announcements take seconds (arping sends 3 requests 1 s apart): never on the agent's thread, which fences. */
    private final java.util.concurrent.ExecutorService announcer;

    // Agent thread only.
    private Set<String> configured = Set.of();
    private Ownership table = Ownership.EMPTY;
    private long term;
    private final Set<String> held = new TreeSet<>();
    private final Map<String, Long> claimedAt = new HashMap<>();
    /** VIPs draining before their planned release, and when each drain began. */
    private final Map<String, Long> draining = new HashMap<>();
    /** VIPs handed over (quiet here), and when each went quiet. */
    private final Map<String, Long> leaving = new HashMap<>();
    /** VIPs handed over, and when the table first named another owner. */
    private final Map<String, Long> ownerSeen = new HashMap<>();
    /** VIPs held here whose earlier connections are relayed to the node that handed them over. */
    private final Set<String> relayed = new TreeSet<>();
    private long lastDriftCheck;
    private boolean fenced = true;
    /** The heartbeat (send time) after which a waiting claim last asked for a new one. */
    private long waitingSince;
    // Any thread.
    private volatile long ownHeartbeatNanos; // 0: never seen
    /**
     * The lease of the last committed own heartbeat, and how long after its send time a hold lets the VIPs answer:
     * lease + margin, when the peers may claim them. The kernel closes their gates then, even if every process of this
     * node froze right after the hold ({@link VipActuator#hold}). Both as that heartbeat was sent.
     */
    private volatile long ownLeaseNanos;
    private volatile long ownAnswerNanos;
    private volatile Set<String> heldView = Set.of();
    private volatile Set<String> leavingView = Set.of();
    /** This node's hardware address on the VIP interface, or null: it cannot hand VIPs over. */
    private volatile String hardwareAddress;
    private volatile Runnable heldChanged = () -> { };
    private volatile Drainer drainer;

    /**
     * @param leaseMs  the lease of the {@link VipScheduler}: past it without a committed heartbeat of its own, this
     *                 node drops its VIPs
     * @param marginMs the scheduler's margin: the peers claim this node's VIPs lease + margin after its last
     *                 committed heartbeat
     * @throws IllegalArgumentException the margin leaves no room for a hold's own run before the peers claim
     */
    public VipAgent(String node, VipActuator actuator, long leaseMs, long marginMs, LongSupplier nanoTime) {
        this.node = node;
        this.actuator = actuator;
        long minMargin = IpCommandActuator.HOLD_SLACK_MS + IpCommandActuator.GATE_GUARD_MS
                + IpCommandActuator.GATE_MIN_MS;
        if (marginMs <= minMargin) {
            throw new IllegalArgumentException("margin " + marginMs + " ms must exceed " + minMargin + " ms: a hold "
                    + "made at the end of the lease opens its gate until lease + margin less the room its own run needs");
        }
        this.defaultLeaseMs = leaseMs;
        this.defaultMarginMs = marginMs;
        this.ownLeaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs);
        this.ownAnswerNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs + marginMs);
        this.cannotHold = actuator.cannotHold();
        this.nanoTime = nanoTime;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "duet-vip");
            t.setDaemon(true);
            return t;
        });
        // One thread per announcement (as many as VIPs at most): a claim's first gratuitous ARP must never wait
        // behind another VIP's announcement, which takes seconds.
        this.announcer = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "duet-vip-announce");
            t.setDaemon(true);
            return t;
        });
    }

    /** Removes leftovers of the configured VIPs, then starts the fencing and drift checks. */
    public void start(Set<String> vips) {
        thread.execute(() -> {
            if (cannotHold != null) {
                LOG.error("{}", cannotHold);
            }
            configured = Set.copyOf(vips);
            actuator.guard(configured);
            actuator.admitAll(); // hold-backs left by a previous process
            try {
                Set<String> stale = actuator.present(configured);
                for (String a : new TreeSet<>(stale)) {
                    actuator.release(a);
                    LOG.info("{} removed VIP {} left on {} from before this start (the cluster "
                            + "decides who holds it now)", LEFTOVER_VIP_REMOVED, a, actuator);
                }
                actuator.removeGates(); // nothing is held yet
                actuator.unrelayAll();
            } catch (VipActuator.VipException e) {
                LOG.error("{}", e.getMessage());
            }
            hardwareAddress = actuator.handoverAddress();
        });
        thread.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** The configured VIPs changed (a new revision). */
    public void vips(Set<String> vips) {
        thread.execute(() -> {
            configured = Set.copyOf(vips);
            actuator.guard(configured);
            reconcile("configuration changed");
        });
    }

    /** A new table was applied (state machine thread). */
    public void ownership(Ownership next, long raftTerm) {
        thread.execute(() -> {
            table = next;
            term = raftTerm;
            reconcile("ownership changed");
        });
    }

    /** This node's own heartbeat was committed and applied: its lease is renewed from now. */
    public void ownHeartbeatCommitted() {
        ownHeartbeatCommitted(nanoTime.getAsLong());
    }

    /**
     * A heartbeat this node sent at {@code sentNanos} (its {@link System#nanoTime}) was committed and applied: the
     * lease runs from the send time, which is before the leader accepted it, so this node always fences before the
     * others' lease + margin runs out. Queued behind the ownership tables handed over before it.
     */
    public void ownHeartbeatCommitted(long sentNanos) {
        ownHeartbeatCommitted(sentNanos, defaultLeaseMs, defaultMarginMs);
    }

    /**
     * As {@link #ownHeartbeatCommitted(long)}, for a heartbeat sent under this lease and margin (the document's
     * failover timers when it was sent): this node obeys that lease from it, and its holds let the VIPs answer until
     * lease + margin after it.
     */
    public void ownHeartbeatCommitted(long sentNanos, long leaseMs, long marginMs) {
        thread.execute(() -> {
            if (sentNanos - ownHeartbeatNanos > 0 || ownHeartbeatNanos == 0) {
                ownLeaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs);
                ownAnswerNanos = TimeUnit.MILLISECONDS.toNanos(leaseMs + marginMs);
                ownHeartbeatNanos = sentNanos;
                checkLease();
                reconcile("heartbeat committed"); // claims that waited for a fresh heartbeat
                renew(); // the gates answer until lease + margin after this heartbeat
            }
        });
    }

    /** Renews the gates (and address lifetimes) of every VIP held, draining ones included, until lease + margin. */
    private void renew() {
        if (fenced || held.isEmpty()) {
            return;
        }
        Set<String> all = new TreeSet<>(held);
        try {
            VipActuator.Hold h = hold(all);
            if (h == VipActuator.Hold.UNDONE) {
                undone(all);
            } else if (h == VipActuator.Hold.TOO_LATE) {
                LOG.debug("VIP gates not renewed: the heartbeat was committed too late");
            }
        } catch (VipActuator.VipException e) {
            LOG.error("{} (renewing the gates of VIPs {})", e.getMessage(), all);
        }
    }

    /**
     * Adds or renews {@code vips} (every VIP held from now on) while the lease of the last committed heartbeat runs,
     * answering until the peers may claim them (claims and renewals).
     */
    private VipActuator.Hold hold(Set<String> vips) throws VipActuator.VipException {
        long hb = ownHeartbeatNanos;
        Set<String> quiet = new TreeSet<>(leaving.keySet());
        quiet.retainAll(vips);
        return actuator.hold(vips, quiet, hb + ownLeaseNanos, hb + ownAnswerNanos);
    }

    /** A hold was applied too late (this node stalled or froze in between) and undone: the VIPs are gone. */
    private void undone(Set<String> vips) {
        LOG.warn("{} node {} stalled while renewing VIPs {}: the change was applied too late to be "
                + "safe and was undone; they are claimed again with the next timely heartbeat (term {})",
                VIP_STALLED, node, vips, term);
        held.removeAll(vips);
        vips.forEach(claimedAt::remove);
        heldView = Set.copyOf(held);
        heldChanged.run();
    }

    /** The last committed heartbeat is recent enough to hold a VIP from now (its lease runs). */
    private boolean fresh() {
        long hb = ownHeartbeatNanos;
        return hb != 0 && nanoTime.getAsLong() - hb <= ownLeaseNanos;
    }

    /**
     * Called on the agent's thread after each claim or release, so the node can report what it holds at once (the
     * next holder of a released VIP waits for that report), and when a claim waits for a fresh heartbeat: in short,
     * "send a heartbeat now". Must not block.
     */
    public void onHeldChanged(Runnable listener) {
        this.heldChanged = listener;
    }

    /** Drains VIPs before planned moves (none: planned moves release at once). Set before {@link #start}. */
    public void drainer(Drainer d) {
        this.drainer = d;
    }

    /** The VIPs this node holds now (a snapshot), the quiet ones it hands over included. */
    public Set<String> held() {
        return heldView;
    }

    /** The VIPs among {@link #held} this node hands over: quiet, serving only what still reaches it. */
    public Set<String> leaving() {
        return leavingView;
    }

    /** This node's hardware address on the VIP interface, for its heartbeats ("" when it cannot hand VIPs over). */
    public String hardwareAddress() {
        String m = hardwareAddress;
        return m == null ? "" : m;
    }

    /** True while this node's lease has run out (it holds nothing). */
    public boolean fenced() {
        long hb = ownHeartbeatNanos;
        return hb == 0 || nanoTime.getAsLong() - hb > ownLeaseNanos;
    }

    /** Releases every VIP it holds now and stops (a planned stop after a handoff, or shutdown). Blocks briefly. */
    @Override
    public void close() {
        thread.execute(() -> {
            for (String a : new TreeSet<>(held)) {
                release(a, "node stopping");
            }
        });
        thread.shutdown();
        announcer.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkLease() {
        boolean nowFenced = fenced();
        if (nowFenced != fenced) {
            fenced = nowFenced;
            if (nowFenced && !held.isEmpty()) {
                LOG.warn("{} node {} fenced itself: its last heartbeat was committed more than "
                        + "{} ms ago (no quorum, partitioned or paused); dropping VIPs {} (term {})", FENCED, node,
                        TimeUnit.NANOSECONDS.toMillis(ownLeaseNanos), held, term);
            }
            reconcile(nowFenced ? "lease expired" : "lease renewed");
        }
    }

    private void tick() {
        try {
            checkLease();
            boolean nowFenced = fenced;
            if (!nowFenced) {
                actuator.alive();
            }
            leaveProgress();
            long now = nanoTime.getAsLong();
            if (now - lastDriftCheck >= TimeUnit.MILLISECONDS.toNanos(DRIFT_CHECK_MS)) {
                lastDriftCheck = now;
                repairDrift();
            }
        } catch (RuntimeException e) {
            LOG.error("{} VIP agent check failed: {}", AGENT_CHECK_FAILED, e.toString(), e);
        }
    }

    private Set<String> desired() {
        Set<String> want = new TreeSet<>();
        if (!fenced && cannotHold == null) {
            for (String a : table.heldBy(node)) {
                if (configured.contains(a)) {
                    want.add(a);
                }
            }
        }
        return want;
    }

    private void reconcile(String why) {
        Set<String> want = desired();
        for (String a : new TreeSet<>(held)) {
            if (!want.contains(a)) {
                if (fenced) {
                    release(a, why); // never wait: the peer claims after lease + margin
                } else if (!draining.containsKey(a) && !leaving.containsKey(a)) {
                    startMove(a, why);
                }
            }
        }
        for (String a : want) {
            if (draining.remove(a) != null) {
                stopHoldingBack(a);
                LOG.info("{} node {} keeps VIP {}: the move was undone while it drained (term {})", MOVE_UNDONE,
                        node, a, term);
            }
            if (leaving.containsKey(a)) {
                answerAgain(a);
            } else if (!held.contains(a)) {
                claim(a, why);
            }
        }
        syncRelays();
        leaveProgress();
    }

    /** A planned move away: hand the VIP over where this node can, else drain it. */
    private void startMove(String a, String why) {
        if (hardwareAddress == null || a.indexOf(':') >= 0 || !configured.contains(a)) {
            startDrain(a, why);
            return;
        }
        Set<String> all = new TreeSet<>(held);
        leaving.put(a, nanoTime.getAsLong()); // quiet from this hold on
        try {
            VipActuator.Hold h = hold(all);
            if (h == VipActuator.Hold.HELD) {
                leavingView = Set.copyOf(leaving.keySet());
                LOG.info("{} node {} hands VIP {} over (term {}; {}): it answers no ARP for it from now, "
                        + "serves the connections that reach it (the next holder relays those that began here) and "
                        + "releases it {} ms after the next holder has it, at most {} ms from now",
                        VIP_HANDED_OVER, node, a, term, why, LEAVE_SETTLE_MS, LEAVE_MAX_MS);
                Drainer d = drainer;
                if (d != null) {
                    try {
                        d.drain(a, LEAVE_MAX_MS);
                    } catch (RuntimeException e) {
                        LOG.warn("{} ending the connections to VIP {} failed: {}", AGENT_CHECK_FAILED, a, e.toString());
                    }
                }
                heldChanged.run(); // the heartbeat that lets the next holder claim
                return;
            }
            leaving.remove(a);
            if (h == VipActuator.Hold.UNDONE) {
                undone(all);
                return;
            }
        } catch (VipActuator.VipException e) {
            leaving.remove(a);
            LOG.error("{} (handing VIP {} over; drained instead)", e.getMessage(), a);
        }
        startDrain(a, why); // too late to hand over (the lease is nearly out): as before
    }

    /** The move of a VIP handed over was undone: it answers ARP here again, and says so at once. */
    private void answerAgain(String a) {
        leaving.remove(a);
        ownerSeen.remove(a);
        leavingView = Set.copyOf(leaving.keySet());
        Drainer d = drainer;
        if (d != null) {
            d.undrain(a);
        }
        relayFor(a); // the node it went to may have claimed it meanwhile, and now hands it back
        Set<String> all = new TreeSet<>(held);
        try {
            VipActuator.Hold h = hold(all);
            if (h == VipActuator.Hold.UNDONE) {
                undone(all);
                return;
            }
        } catch (VipActuator.VipException e) {
            LOG.error("{} (answering for VIP {} again; retried at the next heartbeat)", e.getMessage(), a);
        }
        LOG.info("{} node {} keeps VIP {}: the move was undone while it handed the VIP over (term {})", MOVE_UNDONE,
                node, a, term);
        announce(a);
        heldChanged.run();
    }

    /**
     * VIPs handed over are released {@link #LEAVE_SETTLE_MS} after the table first named another owner (it has claimed
     * and announced them; what began here has had time to end), or {@link #LEAVE_MAX_MS} after they went quiet.
     */
    private void leaveProgress() {
        if (leaving.isEmpty()) {
            return;
        }
        long now = nanoTime.getAsLong();
        for (String a : new TreeSet<>(leaving.keySet())) {
            String owner = table.owner(a);
            if (owner != null && !owner.equals(node)) {
                ownerSeen.putIfAbsent(a, now);
            }
            Long seen = ownerSeen.get(a);
            if (seen != null && now - seen >= TimeUnit.MILLISECONDS.toNanos(LEAVE_SETTLE_MS)) {
                release(a, "handed over to " + owner);
            } else if (now - leaving.get(a) >= TimeUnit.MILLISECONDS.toNanos(LEAVE_MAX_MS)) {
                release(a, "handed over, but no other node took it within " + LEAVE_MAX_MS + " ms");
            }
        }
    }

    /**
     * Relays the earlier connections of each VIP held here that another node handed over, to that node, until it has
     * released the VIP (the table stops naming it). Set up before the claim's announcement (see {@link #claim}).
     */
    private void syncRelays() {
        for (String a : held) {
            relayFor(a);
        }
        for (String a : new TreeSet<>(relayed)) {
            if (!held.contains(a) || leaving.containsKey(a) || !table.handovers().containsKey(a)) {
                actuator.unrelay(a);
                relayed.remove(a);
            }
        }
    }

    private void relayFor(String a) {
        String mac = table.handovers().get(a);
        if (mac != null && !relayed.contains(a) && !leaving.containsKey(a) && actuator.relay(a, mac)) {
            relayed.add(a);
            LOG.info("{} node {} relays the connections to VIP {} that began before it held it to {} "
                    + "(term {})", VIP_RELAYED, node, a, mac, term);
        }
    }

    /** A planned move away: hold back new connections, drain, then release (or release now when it cannot). */
    private void startDrain(String a, String why) {
        Drainer d = drainer;
        if (d == null || !actuator.holdBackNew(a)) {
            release(a, why);
            return;
        }
        long started = nanoTime.getAsLong();
        draining.put(a, started);
        LOG.info("{} node {} drains VIP {} before releasing it (term {}; {}): new connections held "
                + "back, open ones end after their response, at most {} ms", VIP_DRAINS, node, a, term, why,
                DRAIN_MAX_MS);
        java.util.concurrent.CompletionStage<String> done;
        try {
            done = d.drain(a, DRAIN_MAX_MS);
        } catch (RuntimeException e) {
            done = java.util.concurrent.CompletableFuture.completedFuture("drain failed: " + e);
        }
        done.whenComplete((desc, err) -> thread.execute(() -> {
            Long s = draining.get(a);
            if (s == null || s != started) {
                return; // undone, fenced or stopped meanwhile
            }
            draining.remove(a);
            if (held.contains(a) && !desired().contains(a)) {
                release(a, why + "; drained: " + (err != null ? "failed: " + err : desc));
            }
            stopHoldingBack(a);
        }));
    }

    private void stopHoldingBack(String a) {
        actuator.admitNew(a);
        Drainer d = drainer;
        if (d != null) {
            d.undrain(a);
        }
    }

    private void claim(String a, String why) {
        if (!fresh()) {
            // Its lease has run out: claimed with the next heartbeat,
            // asked for at once.
            if (waitingSince != ownHeartbeatNanos) { // once per heartbeat seen
                waitingSince = ownHeartbeatNanos;
                heldChanged.run();
            }
            return;
        }
        relayFor(a); // before the VIP answers ARP here: the neighbours' earlier connections must not meet a reset
        try {
            Set<String> all = new TreeSet<>(held);
            all.add(a);
            VipActuator.Hold h = hold(all); // the gate is rebuilt for every VIP held
            if (h == VipActuator.Hold.TOO_LATE) {
                return; // the next heartbeat
            }
            if (h == VipActuator.Hold.UNDONE) {
                undone(all);
                return;
            }
            held.add(a);
            heldView = Set.copyOf(held);
            claimedAt.put(a, nanoTime.getAsLong());
            LOG.info("{} node {} claimed VIP {} (term {}; {})", VIP_CLAIMED, node, a, term, why);
            long claim = claimedAt.get(a);
            for (long delay : ANNOUNCE_AT_MS) {
                // Each announcement only while this claim still stands (not after a release, nor a later claim's).
                thread.schedule(() -> {
                    Long c = claimedAt.get(a);
                    if (c != null && c == claim && held.contains(a)) {
                        announce(a);
                    }
                }, delay, TimeUnit.MILLISECONDS);
            }
            heldChanged.run();
        } catch (VipActuator.VipException e) {
            LOG.error("{} (claiming VIP {}; retried at the next drift check)", e.getMessage(), a);
        }
    }

    private void release(String a, String why) {
        // Fenced or stopping during a drain: release now; new connections are let in again once the VIP is gone.
        boolean wasDraining = draining.remove(a) != null;
        boolean wasLeaving = leaving.remove(a) != null;
        ownerSeen.remove(a);
        if (wasLeaving) {
            leavingView = Set.copyOf(leaving.keySet());
        }
        if (relayed.remove(a)) {
            actuator.unrelay(a);
        }
        try {
            actuator.release(a);
            LOG.info("{} node {} released VIP {} (term {}; {})", VIP_RELEASED, node, a, term, why);
        } catch (VipActuator.VipException e) {
            LOG.error("{} (releasing VIP {}; retried at the next drift check)", e.getMessage(), a);
        }
        held.remove(a);
        claimedAt.remove(a);
        heldView = Set.copyOf(held);
        heldChanged.run();
        if (wasDraining) {
            stopHoldingBack(a);
        } else if (wasLeaving && drainer != null) {
            drainer.undrain(a);
        }
    }

    private void announce(String a) {
        try {
            announcer.execute(() -> {
                if (!heldView.contains(a)) {
                    return; // released meanwhile: announcing would fail and mislead
                }
                try {
                    actuator.announce(a);
                } catch (VipActuator.VipException e) {
                    LOG.warn("{} (announcing VIP {})", e.getMessage(), a);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    private void repairDrift() {
        Set<String> want = desired();
        Set<String> actual;
        try {
            Set<String> candidates = new HashSet<>(configured);
            candidates.addAll(held);
            actual = actuator.present(candidates);
        } catch (VipActuator.VipException e) {
            LOG.error("{} (drift check)", e.getMessage());
            return;
        }
        for (String a : want) {
            if (!actual.contains(a)) {
                LOG.warn("{} VIP {} should be on node {} but is not (removed by hand, or its "
                        + "lifetime ran out without a timely heartbeat): adding it back", VIP_DRIFT_REPAIRED, a, node);
                held.remove(a);
                claim(a, "drift repaired");
            }
        }
        for (String a : actual) {
            if (!want.contains(a) && !draining.containsKey(a) && !leaving.containsKey(a)) {
                LOG.warn("{} VIP {} is on node {} but should not be: removing it", VIP_DRIFT_REPAIRED, a, node);
                held.add(a);
                release(a, "drift repaired");
            }
        }
    }

    /** For tests and status: the table the agent works from. */
    Ownership table() {
        return table;
    }

    static List<String> sorted(Set<String> s) {
        return List.copyOf(new TreeSet<>(s));
    }
}
