package io.duet.appliance.pair;

import io.duet.cluster.raft.ClusterNode;
import io.duet.cluster.raft.PeerChannel;
import io.duet.cluster.vip.Heartbeat;
import io.duet.cluster.vip.Ownership;
import io.duet.config.DuetConfig;
import io.duet.config.RateLimit;
import io.duet.proxy.ratelimit.RateLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static io.duet.appliance.bootstrap.ApplianceMessage.RATE_SHARE_FALLBACK;
import static io.duet.appliance.bootstrap.ApplianceMessage.RATE_SHARE_RESTORED;

/**
 * The pair's shared rate limits: every {@value #PERIOD_MS} ms each proxy sends the other proxies, over the members'
 * peer channel ({@link PeerChannel}: the Raft port's mutual TLS, outside the log), the admissions it made per limit
 * and key since its last report, and charges theirs to its own tables as if they had come here. Both enforce one
 * limit per key: a client alternating between the two VIPs gets at most the limit, plus what the other node admitted
 * in the last period and had not reported yet (about {@value #PERIOD_MS} ms of the limit).
 *
 * <p>A proxy that has not heard from another for {@value #SILENT_MS} ms while that one serves (it holds a VIP, or
 * none is configured and it has not ended) falls back to its share: each limit's rate and burst divided by the number
 * of proxies serving, so that the pair together never admits more than the limit, and never unlimited. A peer that
 * serves nothing (its VIPs moved here, its process ended) takes no share: the survivor enforces the whole limit.
 * Each change of the share is logged ({@code DUET-NODE-0041}, {@code 0042}).
 *
 * <p>Wire format of a report (version 1): per limit its name (modified UTF-8), the number of keys, then each key's
 * 64-bit hash and its admissions. Key hashes are deterministic, so both nodes name a key alike. A report larger than
 * {@link #MAX_REPORT_BYTES} is sent in several messages.
 *
 * <p>Own thread; {@link #close} stops it. Received reports are charged on the channel's threads (quick, lock-free).
 */
public final class RateShare implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RateShare.class);
    static final String TOPIC = "rate-limits/v1";
    static final long PERIOD_MS = 100;
    static final long SILENT_MS = 1_000;
    static final long SEND_TIMEOUT_MS = 500;
    static final int MAX_REPORT_BYTES = PeerChannel.MAX_BYTES / 2;
    private static final byte VERSION = 1;

    private final String self;
    private final PeerChannel channel;
    private final RateLimits limits;
    private final Supplier<DuetConfig> config;
    private final Supplier<Map<String, Heartbeat>> heartbeats;
    private final Supplier<Ownership> ownership;
    private final LongSupplier nanoTime;
    /** When each peer's last report arrived (nanoTime). */
    private final Map<String, Long> heard = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "duet-rate-share");
        t.setDaemon(true);
        return t;
    });
    /** The share set last (thread only). */
    private double share = 1;
    /** When this exchange started (nanoTime): a peer not heard yet counts as heard then (no fallback at start). */
    private final long started;

    RateShare(String self, PeerChannel channel, RateLimits limits, Supplier<DuetConfig> config,
              Supplier<Map<String, Heartbeat>> heartbeats, Supplier<Ownership> ownership, LongSupplier nanoTime) {
        this.self = self;
        this.channel = channel;
        this.limits = limits;
        this.config = config;
        this.heartbeats = heartbeats;
        this.ownership = ownership;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
    }

    /** Starts sharing {@code limits} with the other proxies of {@code node}'s cluster. */
    public static RateShare start(ClusterNode node, String self, RateLimits limits, Supplier<DuetConfig> config) {
        RateShare s = new RateShare(self, node.peers(), limits, config, node::heartbeats, node::ownership,
                System::nanoTime);
        node.peers().subscribe(TOPIC, m -> s.received(m.from(), m.body()));
        s.thread.scheduleWithFixedDelay(s::tick, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
        return s;
    }

    /** One period: report this node's admissions to every other proxy, then set the share. */
    void tick() {
        try {
            List<String> names = config.get().rateLimits().stream().map(RateLimit::name).toList();
            List<byte[]> reports = reports(names);
            for (String peer : proxies()) {
                for (byte[] r : reports) {
                    channel.tell(peer, TOPIC, r, SEND_TIMEOUT_MS).whenComplete((ok, e) -> {
                        if (e != null) {
                            LOG.debug("rate report to {} not delivered: {}", peer, e.toString());
                        }
                    });
                }
            }
            setShare(names, shareNow());
        } catch (RuntimeException e) {
            LOG.warn("{} the rate limits' exchange with the other proxies failed this period ({}); it runs again in "
                    + "{} ms", RATE_SHARE_FALLBACK, e.toString(), PERIOD_MS);
        }
    }

    /** The other proxies: every other node that has sent a heartbeat (the witness sends none). */
    List<String> proxies() {
        return heartbeats.get().keySet().stream().filter(n -> !n.equals(self)).sorted().toList();
    }

    /** 1, or 1 / the number of proxies serving while some of the others that serve are silent. */
    double shareNow() {
        long now = nanoTime.getAsLong();
        Ownership o = ownership.get();
        Map<String, Heartbeat> beats = heartbeats.get();
        int silentServing = 0;
        int serving = 1;
        for (String peer : proxies()) {
            Heartbeat hb = beats.get(peer);
            boolean serves = !o.heldBy(peer).isEmpty() || (o.owners().isEmpty() && hb != null && !hb.ended());
            if (!serves) {
                continue;
            }
            serving++;
            long at = heard.getOrDefault(peer, started);
            if (now - at > TimeUnit.MILLISECONDS.toNanos(SILENT_MS)) {
                silentServing++;
            }
        }
        return silentServing == 0 ? 1 : 1.0 / serving;
    }

    private void setShare(List<String> names, double next) {
        for (String n : names) {
            limits.share(n, next);
        }
        if (next != share) {
            if (next < 1) {
                LOG.warn("{} rate limits: another proxy serves but has not reported for {} ms; this node enforces "
                        + "its share ({}) of every limit until it does", RATE_SHARE_FALLBACK, SILENT_MS, next);
            } else {
                LOG.info("{} rate limits: every proxy that serves reports again; the limits are enforced together",
                        RATE_SHARE_RESTORED);
            }
            share = next;
        }
    }

    /** This node's unreported admissions of each limit, in reports of at most {@link #MAX_REPORT_BYTES}. */
    List<byte[]> reports(List<String> names) {
        List<byte[]> out = new ArrayList<>();
        Report r = new Report();
        for (String name : names) {
            List<long[]> keys = new ArrayList<>();
            limits.drainUnreported(name, (hash, admitted) -> keys.add(new long[]{hash, admitted}));
            int from = 0;
            do {
                if (r.size() > MAX_REPORT_BYTES) {
                    out.add(r.bytes());
                    r = new Report();
                }
                int room = Math.max(1, (MAX_REPORT_BYTES - r.size()) / 12);
                int to = Math.min(keys.size(), from + room);
                r.limit(name, keys.subList(from, to));
                from = to;
            } while (from < keys.size());
        }
        out.add(r.bytes()); // every period, even empty: the peers know this node reports
        return out;
    }

    /** A peer's report: its admissions charged here. Malformed: thrown (the channel logs it). */
    void received(String from, byte[] body) {
        heard.put(from, nanoTime.getAsLong());
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            if (in.readByte() != VERSION) {
                throw new IllegalArgumentException("rate report of an unknown version from " + from);
            }
            while (in.available() > 0) {
                String name = in.readUTF();
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    long hash = in.readLong();
                    int admitted = in.readInt();
                    limits.charge(name, hash, admitted);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed rate report from " + from + ": " + e, e);
        }
    }

    /** One report being written. */
    private static final class Report {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Report() {
            write(() -> out.writeByte(VERSION));
        }

        void limit(String name, List<long[]> keys) {
            if (keys.isEmpty()) {
                return;
            }
            write(() -> {
                out.writeUTF(name);
                out.writeInt(keys.size());
                for (long[] k : keys) {
                    out.writeLong(k[0]);
                    out.writeInt((int) k[1]);
                }
            });
        }

        int size() {
            return bytes.size();
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }

        private interface Io {
            void run() throws IOException;
        }

        private void write(Io io) {
            try {
                io.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a byte array does not fail
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
