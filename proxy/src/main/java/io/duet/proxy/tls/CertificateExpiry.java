package io.duet.proxy.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.duet.proxy.message.ProxyMessage.CERTIFICATE_EXPIRED;
import static io.duet.proxy.message.ProxyMessage.CERTIFICATE_EXPIRING;

/**
 * Warns before served certificates expire: {@code DUET-PROXY-0131} once when fewer than 30, 14 and 7 days remain
 * (each threshold once per certificate; a renewed certificate starts over), and {@code DUET-PROXY-0151} once it
 * has expired. Checked when a revision is applied and every hour by one daemon
 * thread ({@code duet-cert-expiry}), so a node that runs for weeks without a change still warns on time.
 *
 * <p>Thread-safe: {@link #watch} from the configuration thread, {@link #check} from either.
 */
public final class CertificateExpiry implements AutoCloseable {
    /** Warning thresholds, days before expiry, largest first. */
    static final int[] THRESHOLD_DAYS = {30, 14, 7};

    private static final Logger LOG = LoggerFactory.getLogger(CertificateExpiry.class);

    private final Clock clock;
    private final Map<String, Integer> warned = new HashMap<>(); // name + notAfter -> smallest threshold warned, 0: expired
    private List<LoadedCertificate> watched = List.of();
    private ScheduledExecutorService timer;

    public CertificateExpiry(Clock clock) {
        this.clock = clock;
    }

    /** Watches these certificates from now on (the previous set is forgotten) and checks them at once. */
    public synchronized void watch(Collection<LoadedCertificate> certificates) {
        watched = new ArrayList<>(certificates);
        if (timer == null && !watched.isEmpty()) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "duet-cert-expiry");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.HOURS);
        }
        check();
    }

    /**
     * Logs what is due now; returns the messages logged (for tests).
     */
    public synchronized List<String> check() {
        List<String> logged = new ArrayList<>();
        Instant now = clock.instant();
        Map<String, Integer> keep = new HashMap<>();
        for (LoadedCertificate c : watched) {
            String key = c.name() + "@" + c.notAfter();
            Integer before = warned.get(key);
            Duration left = Duration.between(now, c.notAfter());
            int level = level(left);
            if (level >= 0 && (before == null || level < before)) {
                String m;
                if (level == 0) {
                    m = CERTIFICATE_EXPIRED + " certificate '" + c.name() + "' (" + String.join(", ", c.dnsNames())
                            + ") expired " + c.notAfter() + ": clients refuse it; upload a renewed certificate";
                    LOG.error(m);
                } else {
                    m = CERTIFICATE_EXPIRING + " certificate '" + c.name() + "' (" + String.join(", ", c.dnsNames())
                            + ") expires " + c.notAfter() + " (" + left.toDays() + " days, under " + level
                            + "); upload a renewed certificate";
                    LOG.warn(m);
                }
                logged.add(m);
                before = level;
            }
            if (before != null) {
                keep.put(key, before);
            }
        }
        warned.clear();
        warned.putAll(keep);
        return logged;
    }

    /** -1 (nothing due), the smallest threshold crossed, or 0 when expired. */
    private static int level(Duration left) {
        if (left.isNegative() || left.isZero()) {
            return 0;
        }
        int level = -1;
        for (int days : THRESHOLD_DAYS) {
            if (left.compareTo(Duration.ofDays(days)) < 0) {
                level = days;
            }
        }
        return level;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
