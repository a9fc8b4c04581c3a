package io.duet.proxy.tls;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The certificates of one listener, indexed for SNI: exact names first, then a wildcard covering exactly one
 * label ({@code *.example.com} covers {@code a.example.com}, not {@code example.com} nor {@code a.b.example.com}),
 * else the default. When two certificates claim a name, the one listed first wins. Immutable; any thread.
 */
final class CertificateSet {
    private final Map<String, LoadedCertificate> exact = new HashMap<>();
    private final Map<String, LoadedCertificate> wildcard = new HashMap<>(); // key: the suffix after "*."
    private final Map<String, LoadedCertificate> byAlias = new HashMap<>();
    private final Map<LoadedCertificate, String> aliases = new HashMap<>();
    private final LoadedCertificate defaultCertificate;
    private final List<LoadedCertificate> all;

    /**
     * @param certificates in the listener's order
     * @param defaultCertificate one of them
     * @param generation distinguishes the aliases of successive sets, so a handshake that chose an alias just
     *                   before a rotation still finds its key
     */
    CertificateSet(List<LoadedCertificate> certificates, LoadedCertificate defaultCertificate, long generation) {
        this.all = List.copyOf(certificates);
        this.defaultCertificate = defaultCertificate;
        for (LoadedCertificate c : certificates) {
            String alias = c.name() + "#" + generation;
            byAlias.put(alias, c);
            aliases.put(c, alias);
            for (String n : c.dnsNames()) {
                if (n.startsWith("*.")) {
                    wildcard.putIfAbsent(n.substring(2), c);
                } else {
                    exact.putIfAbsent(n, c);
                }
            }
        }
    }

    /** The certificate for a server name (SNI or Host without port); null or unknown names get the default. */
    LoadedCertificate select(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return defaultCertificate;
        }
        String n = serverName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        LoadedCertificate c = exact.get(n);
        if (c != null) {
            return c;
        }
        int dot = n.indexOf('.');
        if (dot > 0) {
            c = wildcard.get(n.substring(dot + 1));
            if (c != null) {
                return c;
            }
        }
        return defaultCertificate;
    }

    String alias(LoadedCertificate c) {
        return aliases.get(c);
    }

    LoadedCertificate byAlias(String alias) {
        return byAlias.get(alias);
    }

    List<LoadedCertificate> all() {
        return all;
    }
}
