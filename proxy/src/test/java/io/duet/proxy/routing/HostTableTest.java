package io.duet.proxy.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostTableTest {

    private static HostTable<String> table() {
        return HostTable.<String>builder()
                .add("example.com", "exact")
                .add("*.example.com", "wild")
                .add("*.b.example.com", "wild-b")
                .add("[::1]", "v6")
                .add("127.0.0.1", "v4")
                .build();
    }

    // An exact name finds its entry.
    @Test
    void exactName() {
        assertThat(table().lookup("example.com")).isEqualTo("exact");
    }

    // Host names compare case-insensitively, both in the header and in the configured name.
    @Test
    void caseInsensitive() {
        assertThat(table().lookup("EXAMPLE.Com")).isEqualTo("exact");
        HostTable<String> t = HostTable.<String>builder().add("Mixed.Example.ORG", "m").build();
        assertThat(t.lookup("mixed.example.org")).isEqualTo("m");
        assertThat(t.lookup("MIXED.EXAMPLE.ORG:443")).isEqualTo("m");
    }

    // The port of the Host header is ignored.
    @Test
    void portIsStripped() {
        assertThat(table().lookup("example.com:8080")).isEqualTo("exact");
        assertThat(table().lookup("127.0.0.1:80")).isEqualTo("v4");
        assertThat(table().lookup("x.example.com:1")).isEqualTo("wild");
    }

    // A fully qualified name with a trailing dot is the same host, with or without a port.
    @Test
    void trailingDotIgnored() {
        assertThat(table().lookup("example.com.")).isEqualTo("exact");
        assertThat(table().lookup("example.com.:8080")).isEqualTo("exact");
        assertThat(table().lookup("a.example.com.")).isEqualTo("wild");
        HostTable<String> t = HostTable.<String>builder().add("dotted.test.", "d").build();
        assertThat(t.lookup("dotted.test")).isEqualTo("d");
    }

    // An IPv6 literal keeps its brackets; only the port after the bracket is stripped.
    @Test
    void ipv6Literal() {
        assertThat(table().lookup("[::1]:8080")).isEqualTo("v6");
        assertThat(table().lookup("[::1]")).isEqualTo("v6");
        assertThat(HostTable.normalise("[2001:DB8::1]:443")).isEqualTo("[2001:db8::1]");
    }

    // *.example.com matches one or more labels before example.com, never example.com itself.
    @Test
    void wildcardMatchesSubdomainsOnly() {
        HostTable<String> t = HostTable.<String>builder().add("*.example.com", "wild").build();
        assertThat(t.lookup("a.example.com")).isEqualTo("wild");
        assertThat(t.lookup("a.b.example.com")).isEqualTo("wild");
        assertThat(t.lookup("example.com")).isNull();
        assertThat(t.lookup("badexample.com")).isNull();
        assertThat(t.lookup("example.com.evil.test")).isNull();
    }

    // The longest matching wildcard wins, whatever the order the names were added in.
    @Test
    void longestWildcardWins() {
        assertThat(table().lookup("x.b.example.com")).isEqualTo("wild-b");
        assertThat(table().lookup("y.x.b.example.com")).isEqualTo("wild-b");
        assertThat(table().lookup("b.example.com")).isEqualTo("wild");
        HostTable<String> reversed = HostTable.<String>builder()
                .add("*.b.example.com", "wild-b")
                .add("*.example.com", "wild")
                .build();
        assertThat(reversed.lookup("x.b.example.com")).isEqualTo("wild-b");
        assertThat(reversed.lookup("x.c.example.com")).isEqualTo("wild");
    }

    // An exact name beats a wildcard that also matches.
    @Test
    void exactBeatsWildcard() {
        HostTable<String> t = HostTable.<String>builder()
                .add("*.example.com", "wild")
                .add("www.example.com", "www")
                .build();
        assertThat(t.lookup("www.example.com")).isEqualTo("www");
        assertThat(t.lookup("api.example.com")).isEqualTo("wild");
    }

    // A host no name accepts gets the default; without a default it gets null.
    @Test
    void defaultFallback() {
        HostTable<String> withDefault = HostTable.<String>builder().add("example.com", "exact").fallback("dflt").build();
        assertThat(withDefault.lookup("other.test")).isEqualTo("dflt");
        assertThat(withDefault.lookup("example.com")).isEqualTo("exact");
        assertThat(table().lookup("other.test")).isNull();
    }

    // A missing or empty Host header goes to the default (or nowhere).
    @Test
    void nullOrEmptyHost() {
        HostTable<String> withDefault = HostTable.<String>builder().add("example.com", "exact").fallback("dflt").build();
        assertThat(withDefault.lookup(null)).isEqualTo("dflt");
        assertThat(withDefault.lookup("")).isEqualTo("dflt");
        assertThat(table().lookup(null)).isNull();
        assertThat(table().lookup("")).isNull();
    }

    // The first registration of a name (and of the default) wins.
    @Test
    void firstRegistrationWins() {
        HostTable<String> t = HostTable.<String>builder()
                .add("example.com", "first").add("EXAMPLE.COM", "second")
                .fallback("d1").fallback("d2")
                .build();
        assertThat(t.lookup("example.com")).isEqualTo("first");
        assertThat(t.lookup("nope.test")).isEqualTo("d1");
    }

    // Lookups are hash lookups, not a scan: 100k names build, every lookup hits its own entry, and 100k lookups
    // take well under the seconds a scan (10^10 comparisons) would need.
    @Test
    void lookupIsNotAScan() {
        HostTable.Builder<Integer> b = HostTable.builder();
        int n = 50_000;
        String[] exactHosts = new String[n];
        String[] wildHosts = new String[n];
        for (int i = 0; i < n; i++) {
            b.add("host" + i + ".example.com", i);
            b.add("*.zone" + i + ".example.net", -i - 1);
            exactHosts[i] = "host" + i + ".example.com";
            wildHosts[i] = "a.b.zone" + i + ".example.net";
        }
        HostTable<Integer> t = b.build();
        long start = System.nanoTime();
        int wrong = 0;
        for (int i = 0; i < n; i++) {
            if (t.lookup(exactHosts[i]) != i) {
                wrong++;
            }
            if (t.lookup(wildHosts[i]) != -i - 1) {
                wrong++;
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(wrong).isZero();
        assertThat(t.lookup("zone1.example.net")).isNull();
        assertThat(t.lookup("HOST42.example.com:8443")).isEqualTo(42);
        assertThat(millis).as("100k lookups in a table of 100k names took %d ms", millis).isLessThan(3_000);
    }
}
