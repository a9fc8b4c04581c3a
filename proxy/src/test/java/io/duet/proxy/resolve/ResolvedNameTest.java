package io.duet.proxy.resolve;

import io.duet.config.Resolve;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** How one name's answers become server addresses: stability, expansion, preference and the hold on failure. */
class ResolvedNameTest {
    /** An answer the test sets; null: the lookup fails. */
    private volatile List<InetAddress> answer;
    private final MutableClock clock = new MutableClock();
    private final AtomicInteger lookups = new AtomicInteger();

    private final HostResolver resolver = host -> {
        lookups.incrementAndGet();
        List<InetAddress> a = answer;
        if (a == null) {
            throw new UnknownHostException(host + ": Name or service not known");
        }
        return a;
    };

    private ResolvedName name(Long holdMs, Integer max, String prefer) {
        return new ResolvedName("web", "api", "api.test", 8080, new Resolve(1000L, holdMs, max, prefer), resolver,
                clock);
    }

    private static InetAddress ip(String literal) {
        return NameResolution.literal(literal).orElseThrow();
    }

    private void answer(String... literals) {
        List<InetAddress> out = new ArrayList<>();
        for (String l : literals) {
            out.add(ip(l));
        }
        answer = out;
    }

    private static List<String> addresses(ResolvedName n) {
        List<String> out = new ArrayList<>();
        for (ServerAddress a : n.slots()) {
            InetSocketAddress c = a.current();
            out.add(c == null ? "-" : c.getAddress().getHostAddress() + ":" + c.getPort());
        }
        return out;
    }

    // One server keeps its address while the answer holds it, in any order (round-robin DNS moves nothing), and
    // takes the answer's first address when its own left; listeners hear of changes only, with the same object
    // between them.
    @Test
    void oneServerIsStableAndFollowsChanges() {
        ResolvedName n = name(null, null, null);
        ServerAddress a = n.slots().get(0);
        List<InetSocketAddress> heard = new ArrayList<>();
        a.subscribe(x -> heard.add(x.current()));
        assertThat(a.current()).isNull();
        answer("10.0.0.5", "10.0.0.6");
        n.refresh();
        InetSocketAddress first = a.current();
        assertThat(addresses(n)).containsExactly("10.0.0.5:8080");
        answer("10.0.0.6", "10.0.0.5");
        n.refresh();
        assertThat(a.current()).isSameAs(first);
        answer("10.0.0.7", "10.0.0.6");
        n.refresh();
        assertThat(addresses(n)).containsExactly("10.0.0.7:8080");
        assertThat(heard).extracting(x -> x.getAddress().getHostAddress()).containsExactly("10.0.0.5", "10.0.0.7");
        assertThat(a.status().resolvedAt()).isEqualTo(clock.instant());
        assertThat(a.followsDns()).isTrue();
    }

    // Expansion: new addresses take free servers in numeric order; an address keeps its server; one that leaves
    // frees its server (no address); more addresses than servers leave the rest unused.
    @Test
    void severalAddressesExpandToStableServers() {
        ResolvedName n = name(null, 3, null);
        assertThat(n.id(0)).isEqualTo("api#1");
        answer("10.0.0.9", "10.0.0.2");
        n.refresh();
        assertThat(addresses(n)).containsExactly("10.0.0.2:8080", "10.0.0.9:8080", "-");
        answer("10.0.0.10", "10.0.0.9", "10.0.0.1");
        n.refresh();
        assertThat(addresses(n)).containsExactly("10.0.0.1:8080", "10.0.0.9:8080", "10.0.0.10:8080");
        answer("10.0.0.10", "10.0.0.1");
        n.refresh();
        assertThat(addresses(n)).containsExactly("10.0.0.1:8080", "-", "10.0.0.10:8080");
        answer("10.0.0.4", "10.0.0.3", "10.0.0.1", "10.0.0.10");
        n.refresh();
        assertThat(addresses(n)).containsExactly("10.0.0.1:8080", "10.0.0.3:8080", "10.0.0.10:8080");
    }

    // prefer: only the preferred family when the answer has it, else the other one.
    @Test
    void preferredFamily() {
        ResolvedName v6 = name(null, 2, "ipv6");
        answer("10.0.0.1", "fd00::2", "fd00::1");
        v6.refresh();
        assertThat(addresses(v6)).containsExactly("fd00:0:0:0:0:0:0:1:8080", "fd00:0:0:0:0:0:0:2:8080");
        ResolvedName v4 = name(null, 2, null);
        v4.refresh();
        assertThat(addresses(v4)).containsExactly("10.0.0.1:8080", "-");
        answer("fd00::2");
        v4.refresh();
        assertThat(addresses(v4)).containsExactly("fd00:0:0:0:0:0:0:2:8080", "-");
    }

    // A failed lookup keeps the last good address and says so in the status; once failures have lasted the hold
    // time (checked at a lookup) the address is dropped; the next good answer brings it back.
    @Test
    void failureHoldsTheLastGoodAddressThenDropsIt() {
        ResolvedName n = name(10_000L, null, null);
        ServerAddress a = n.slots().get(0);
        answer("10.0.0.5");
        n.refresh();
        Instant good = clock.instant();
        answer = null;
        clock.advance(Duration.ofSeconds(1));
        Instant firstFailure = clock.instant();
        n.refresh();
        assertThat(addresses(n)).containsExactly("10.0.0.5:8080");
        assertThat(a.status().error()).isEqualTo("api.test: Name or service not known");
        assertThat(a.status().errorSince()).isEqualTo(firstFailure);
        assertThat(a.status().resolvedAt()).isEqualTo(good);
        clock.advance(Duration.ofMillis(9_999));
        n.refresh();
        assertThat(addresses(n)).containsExactly("10.0.0.5:8080");
        clock.advance(Duration.ofMillis(1));
        n.refresh();
        assertThat(addresses(n)).containsExactly("-");
        assertThat(a.status().error()).isNotNull();
        assertThat(a.status().errorSince()).isEqualTo(firstFailure);
        answer("10.0.0.6");
        n.refresh();
        assertThat(addresses(n)).containsExactly("10.0.0.6:8080");
        assertThat(a.status().error()).isNull();
        assertThat(a.status().errorSince()).isNull();
    }

    // holdOnFailureMs 0 drops the address at the first failed lookup; a name that never resolved has none.
    @Test
    void zeroHoldDropsAtOnce() {
        ResolvedName n = name(0L, null, null);
        answer = null;
        n.refresh();
        assertThat(addresses(n)).containsExactly("-");
        answer("10.0.0.5");
        n.refresh();
        answer = null;
        n.refresh();
        assertThat(addresses(n)).containsExactly("-");
    }

    // A closed name looks nothing up any more.
    @Test
    void closedNameStops() {
        ResolvedName n = name(null, null, null);
        n.close();
        n.refresh();
        assertThat(lookups).hasValue(0);
    }

    // The schedule: a new name is looked up at once, then every interval; retain stops names no server uses.
    @Test
    void resolutionSchedulesAndRetains() throws Exception {
        answer("10.0.0.5");
        try (NameResolution r = new NameResolution(resolver)) {
            List<ServerAddress> slots = r.addresses("web", "api", "api.test", 80,
                    new Resolve(1000L, null, null, null));
            r.awaitFirstLookups();
            assertThat(slots.get(0).current()).isEqualTo(new InetSocketAddress(ip("10.0.0.5"), 80));
            assertThat(r.addresses("web", "api", "api.test", 80, new Resolve(1000L, null, null, null)))
                    .isSameAs(slots);
            answer("10.0.0.6");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> slots.get(0).current().getAddress().equals(ip("10.0.0.6")));
            r.retain(java.util.Set.of());
            assertThat(r.size()).isZero();
            int after = lookups.get();
            answer("10.0.0.7");
            // No lookup within two more intervals once retained away.
            org.awaitility.Awaitility.await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4))
                    .until(() -> lookups.get() <= after + 1);
            assertThat(slots.get(0).current().getAddress()).isEqualTo(ip("10.0.0.6"));
        }
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.parse("2030-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
