package io.duet.proxy.affinity;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StickyTableTest {

    // A full table stays bounded: inserts drop expired entries first, else the least recently used of a sample.
    @Test
    void staysBoundedAndDropsExpiredFirst() {
        StickyTable t = new StickyTable(1_000, 100);
        for (int i = 0; i < 10_000; i++) {
            t.bind("k" + i, "s" + (i % 3), 0);
        }
        assertThat(t.size()).isLessThanOrEqualTo(100);
        assertThat(t.lookup("k9999", 10)).isEqualTo("s0"); // the newest binding survived
        // Everything is expired at 5000; new inserts find expired entries in their sample and never grow the table.
        for (int i = 0; i < 100; i++) {
            t.bind("n" + i, "s1", 5_000);
        }
        assertThat(t.size()).isLessThanOrEqualTo(100);
        assertThat(t.countByServer(5_000)).isEqualTo(Map.of("s1", 100));
    }

    // Lookups refresh the idle clock; a binding unused for longer than the timeout is gone.
    @Test
    void idleTimeout() {
        StickyTable t = new StickyTable(1_000, 10);
        t.bind("a", "s1", 0);
        assertThat(t.lookup("a", 900)).isEqualTo("s1");
        assertThat(t.lookup("a", 1_800)).isEqualTo("s1");
        assertThat(t.lookup("a", 2_801)).isNull();
        assertThat(t.size()).isZero();
    }

    // The cookie helpers find a cookie among others, unquote it, and tell a deleting Set-Cookie apart.
    @Test
    void cookieParsing() {
        HeaderMap h = new HeaderMap();
        h.add(Headers.COOKIE, "a=1; XJSESSIONID=no");
        h.add(Headers.COOKIE, "b=2;JSESSIONID=\"abc.n1\"; c=3");
        assertThat(Cookies.requestValue(h, "JSESSIONID")).isEqualTo("abc.n1");
        assertThat(Cookies.requestValue(h, "c")).isEqualTo("3");
        assertThat(Cookies.requestValue(h, "zz")).isNull();
        assertThat(Cookies.setValue("JSESSIONID=xyz; Path=/; HttpOnly", "JSESSIONID")).isEqualTo("xyz");
        assertThat(Cookies.setValue("JSESSIONID=xyz; Max-Age=0", "JSESSIONID")).isEmpty();
        assertThat(Cookies.setValue("JSESSIONID=; Path=/", "JSESSIONID")).isEmpty();
        assertThat(Cookies.setValue("OTHER=xyz", "JSESSIONID")).isNull();
    }

    // The seal rejects every single-character change of a value (tag compared in full, in constant time).
    @Test
    void sealRejectsAnyChange() {
        CookieSeal seal = AffinityFixture.seal("p");
        String v = seal.seal(new CookieStamp("10.0.0.1:8080", 1_700_000_000L, 1_700_000_100L, -5));
        assertThat(seal.open(v)).isEqualTo(new CookieStamp("10.0.0.1:8080", 1_700_000_000L, 1_700_000_100L, -5));
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i) == 'x' ? 'y' : 'x';
            assertThat(seal.open(v.substring(0, i) + c + v.substring(i + 1))).as("position " + i).isNull();
        }
        assertThat(seal.open(v.substring(0, v.length() - 1))).isNull();
    }
}
