package io.duet.proxy.resolve;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.util.List;

/**
 * The system's resolver (nsswitch: {@code /etc/hosts}, then DNS) through {@link InetAddress#getAllByName}, as
 * HAProxy's {@code init-addr libc}. Java 17 exposes no TTLs and keeps answers in its own cache for
 * {@code networkaddress.cache.ttl} (30 s when unset); {@link #disableJdkCache()} turns that cache off so the pools'
 * {@code resolve.intervalMs} alone decides when a name is looked up again.
 */
public final class SystemHostResolver implements HostResolver {
    public static final SystemHostResolver INSTANCE = new SystemHostResolver();

    static final String TTL = "networkaddress.cache.ttl";
    static final String NEGATIVE_TTL = "networkaddress.cache.negative.ttl";
    static final String TTL_FALLBACK = "sun.net.inetaddr.ttl";
    static final String NEGATIVE_TTL_FALLBACK = "sun.net.inetaddr.negative.ttl";
    /** The negative TTL the JDK's own java.security file sets (not an operator's choice). */
    private static final String JDK_NEGATIVE_TTL = "10";

    private SystemHostResolver() {
    }

    /**
     * Turns the JDK's address cache off (positive and negative TTL 0) unless the operator set it (a security
     * property, or {@code -Dsun.net.inetaddr.ttl}). The JDK reads these once, at its first lookup: call this first
     * thing in {@code main}. Idempotent; returns true when it set the positive TTL.
     */
    public static boolean disableJdkCache() {
        boolean set = false;
        if (Security.getProperty(TTL) == null && System.getProperty(TTL_FALLBACK) == null) {
            Security.setProperty(TTL, "0");
            set = true;
        }
        String negative = Security.getProperty(NEGATIVE_TTL);
        if ((negative == null || JDK_NEGATIVE_TTL.equals(negative.trim()))
                && System.getProperty(NEGATIVE_TTL_FALLBACK) == null) {
            Security.setProperty(NEGATIVE_TTL, "0");
        }
        return set;
    }

    @Override
    public List<InetAddress> lookup(String host) throws UnknownHostException {
        return List.of(InetAddress.getAllByName(host));
    }

    /** Warns when the JDK's positive cache outlives a second: changes are then seen up to that long late. */
    @Override
    public String cachingWarning() {
        String ttl = Security.getProperty(TTL);
        String source = TTL;
        if (ttl == null) {
            ttl = System.getProperty(TTL_FALLBACK);
            source = "-D" + TTL_FALLBACK;
        }
        if (ttl == null) {
            return "the JDK keeps answers for 30 s (" + TTL + " is not set and SystemHostResolver.disableJdkCache() "
                    + "was not called): a new address is seen up to 30 s after the pool's resolve.intervalMs";
        }
        int seconds;
        try {
            seconds = Integer.parseInt(ttl.trim());
        } catch (NumberFormatException e) {
            return null; // the JDK ignores it too
        }
        if (seconds < 0) {
            return "the JDK keeps answers forever (" + source + "=" + ttl + "): a server given by name never "
                    + "follows a DNS change; set it to 0";
        }
        return seconds > 1 ? "the JDK keeps answers for " + seconds + " s (" + source + "=" + ttl + "): a new "
                + "address is seen up to " + seconds + " s after the pool's resolve.intervalMs; set it to 0" : null;
    }
}
