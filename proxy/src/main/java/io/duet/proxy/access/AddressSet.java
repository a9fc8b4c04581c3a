package io.duet.proxy.access;

import io.duet.config.CidrBlock;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A set of client addresses compiled from CIDR blocks: for IPv4 and for IPv6 apart, the blocks as sorted, disjoint,
 * merged ranges of addresses, searched by binary search ({@code O(log n)} for n ranges, so a list of thousands of
 * entries costs a dozen comparisons). Host bits of a block are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}).
 * An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is looked up as the IPv4 address it carries.
 *
 * <p>Built once per configuration snapshot (reload thread); immutable; {@link #contains} runs on I/O threads, never
 * blocks and allocates only the address's bytes.
 */
public final class AddressSet {
    /** The set with no address. */
    public static final AddressSet EMPTY = new AddressSet(new long[0], new long[0], new long[0], new long[0],
            new long[0], new long[0]);

    // IPv4: [v4Start[i], v4End[i]] as unsigned 32-bit values in longs, sorted and disjoint.
    private final long[] v4Start;
    private final long[] v4End;
    // IPv6: start and end as (high, low) 64-bit halves compared unsigned, sorted and disjoint.
    private final long[] v6StartHi;
    private final long[] v6StartLo;
    private final long[] v6EndHi;
    private final long[] v6EndLo;

    private AddressSet(long[] v4Start, long[] v4End, long[] v6StartHi, long[] v6StartLo, long[] v6EndHi,
                       long[] v6EndLo) {
        this.v4Start = v4Start;
        this.v4End = v4End;
        this.v6StartHi = v6StartHi;
        this.v6StartLo = v6StartLo;
        this.v6EndHi = v6EndHi;
        this.v6EndLo = v6EndLo;
    }

    /** The set of every address of these blocks. Reload thread. */
    public static AddressSet of(Collection<CidrBlock> blocks) {
        List<long[]> v4 = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        for (CidrBlock b : blocks) {
            byte[] a = b.network().getAddress();
            if (a.length == 4) {
                long start = toLong(a, 0, 4) & mask32(b.prefixLength());
                long end = start | (~mask32(b.prefixLength()) & 0xffffffffL);
                v4.add(new long[] {start, end});
            } else if (isV4Mapped(a) && b.prefixLength() >= 96) {
                int len = b.prefixLength() - 96;
                long start = toLong(a, 12, 4) & mask32(len);
                v4.add(new long[] {start, start | (~mask32(len) & 0xffffffffL)});
            } else {
                int len = b.prefixLength();
                long hi = toLong(a, 0, 8);
                long lo = toLong(a, 8, 8);
                long maskHi = len >= 64 ? -1L : (len == 0 ? 0L : -1L << (64 - len));
                long maskLo = len <= 64 ? 0L : (len == 128 ? -1L : -1L << (128 - len));
                v6.add(new long[] {hi & maskHi, lo & maskLo, (hi & maskHi) | ~maskHi, (lo & maskLo) | ~maskLo});
            }
        }
        long[][] m4 = merge4(v4);
        long[][] m6 = merge6(v6);
        return new AddressSet(m4[0], m4[1], m6[0], m6[1], m6[2], m6[3]);
    }

    /** The union of two sets. Reload thread. */
    public static AddressSet union(AddressSet a, AddressSet b) {
        List<long[]> v4 = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        for (AddressSet s : new AddressSet[] {a, b}) {
            for (int i = 0; i < s.v4Start.length; i++) {
                v4.add(new long[] {s.v4Start[i], s.v4End[i]});
            }
            for (int i = 0; i < s.v6StartHi.length; i++) {
                v6.add(new long[] {s.v6StartHi[i], s.v6StartLo[i], s.v6EndHi[i], s.v6EndLo[i]});
            }
        }
        long[][] m4 = merge4(v4);
        long[][] m6 = merge6(v6);
        return new AddressSet(m4[0], m4[1], m6[0], m6[1], m6[2], m6[3]);
    }

    /** True when there is no address in the set. */
    public boolean isEmpty() {
        return v4Start.length == 0 && v6StartHi.length == 0;
    }

    /** The number of disjoint ranges the set holds (IPv4 and IPv6). */
    public int ranges() {
        return v4Start.length + v6StartHi.length;
    }

    /** True when {@code address} is in the set; false for {@code null}. I/O thread; never blocks. */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] a = address.getAddress();
        if (a.length == 4) {
            return contains4(toLong(a, 0, 4));
        }
        if (isV4Mapped(a)) {
            return contains4(toLong(a, 12, 4));
        }
        return contains6(toLong(a, 0, 8), toLong(a, 8, 8));
    }

    private boolean contains4(long v) {
        // The last range starting at or before v.
        int lo = 0;
        int hi = v4Start.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (v4Start[mid] <= v) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && v <= v4End[found];
    }

    private boolean contains6(long vHi, long vLo) {
        int lo = 0;
        int hi = v6StartHi.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(v6StartHi[mid], v6StartLo[mid], vHi, vLo) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && compare(vHi, vLo, v6EndHi[found], v6EndLo[found]) <= 0;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    private static long[][] merge4(List<long[]> ranges) {
        ranges.sort((x, y) -> Long.compare(x[0], y[0]));
        long[] s = new long[ranges.size()];
        long[] e = new long[ranges.size()];
        int n = 0;
        for (long[] r : ranges) {
            if (n > 0 && r[0] <= e[n - 1] + 1) {
                e[n - 1] = Math.max(e[n - 1], r[1]);
            } else {
                s[n] = r[0];
                e[n] = r[1];
                n++;
            }
        }
        return new long[][] {Arrays.copyOf(s, n), Arrays.copyOf(e, n)};
    }

    private static long[][] merge6(List<long[]> ranges) {
        ranges.sort((x, y) -> compare(x[0], x[1], y[0], y[1]));
        long[] sh = new long[ranges.size()];
        long[] sl = new long[ranges.size()];
        long[] eh = new long[ranges.size()];
        long[] el = new long[ranges.size()];
        int n = 0;
        for (long[] r : ranges) {
            // Adjacent or overlapping: the start is at most the previous end + 1 (no overflow past the top).
            boolean joins = false;
            if (n > 0) {
                long nextLo = el[n - 1] + 1;
                long nextHi = nextLo == 0 ? eh[n - 1] + 1 : eh[n - 1];
                boolean endIsTop = eh[n - 1] == -1L && el[n - 1] == -1L;
                joins = endIsTop || compare(r[0], r[1], nextHi, nextLo) <= 0;
            }
            if (joins) {
                if (compare(r[2], r[3], eh[n - 1], el[n - 1]) > 0) {
                    eh[n - 1] = r[2];
                    el[n - 1] = r[3];
                }
            } else {
                sh[n] = r[0];
                sl[n] = r[1];
                eh[n] = r[2];
                el[n] = r[3];
                n++;
            }
        }
        return new long[][] {Arrays.copyOf(sh, n), Arrays.copyOf(sl, n), Arrays.copyOf(eh, n), Arrays.copyOf(el, n)};
    }

    private static long mask32(int len) {
        return len == 0 ? 0L : (0xffffffffL << (32 - len)) & 0xffffffffL;
    }

    private static long toLong(byte[] a, int from, int n) {
        long v = 0;
        for (int i = from; i < from + n; i++) {
            v = (v << 8) | (a[i] & 0xff);
        }
        return v;
    }

    private static boolean isV4Mapped(byte[] a) {
        if (a.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }
}
