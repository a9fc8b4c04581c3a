package io.duet.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * The node's own self-signed certificate, kept in its data directory: {@code self-signed.pem} (the certificate) and
 * {@code self-signed.key} (the private key, sealed by the node's {@link KeyVault}). Issued at first boot; issued
 * again when the node's names change or fewer than {@link #RENEW_BEFORE} days remain. HTTPS listeners without a
 * configured certificate and the admin listener serve it until a real certificate is configured.
 *
 * <p>Not replicated: each node has its own (its names differ). Call off I/O threads (file I/O, key generation).
 */
public final class NodeCertificate {
    /** Validity of an issued certificate: the CA/Browser Forum's maximum, so clients that check it do not object. */
    public static final Duration VALIDITY = Duration.ofDays(397);
    /** Re-issued at start when it expires within this. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private static final Logger LOG = LoggerFactory.getLogger(NodeCertificate.class);

    private NodeCertificate() {
    }

    /**
     * The node's certificate for {@code names} (DNS names and IP literals; the first is the common name), loaded
     * from {@code dir} or issued and written there.
     */
    public static CertifiedKey loadOrIssue(Path dir, KeyVault vault, List<String> names, Clock clock) {
        Path certFile = dir.resolve("self-signed.pem");
        Path keyFile = dir.resolve("self-signed.key");
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            try {
                PrivateKey key = vault.open(Files.readString(keyFile, StandardCharsets.US_ASCII).trim());
                CertifiedKey c = CertificateImport.check(
                        CertificateImport.readCertificates(Files.readString(certFile, StandardCharsets.US_ASCII)),
                        key, clock, CertificateImport.Validity.WARN);
                boolean fresh = c.notAfter().isAfter(clock.instant().plus(RENEW_BEFORE));
                if (fresh && sameNames(c, names)) {
                    return c;
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn(TlsMessage.SELF_SIGNED_UNREADABLE.format(dir, e.getMessage()));
            }
        }
        CertifiedKey issued = SelfSigned.issue(names, VALIDITY, clock);
        try {
            Files.createDirectories(dir);
            write(keyFile, vault.seal(issued.key()) + "\n");
            write(certFile, Pem.certificates(issued.chain()));
        } catch (IOException e) {
            throw new IllegalStateException(TlsMessage.SELF_SIGNED_UNWRITABLE.format(dir, e.getMessage()), e);
        }
        LOG.info(TlsMessage.SELF_SIGNED_ISSUED.format(String.join(", ", names), issued.notAfter(), certFile));
        return issued;
    }

    private static boolean sameNames(CertifiedKey c, List<String> names) {
        HashSet<String> have = new HashSet<>(c.dnsNames());
        have.addAll(c.ipAddresses());
        HashSet<String> want = new HashSet<>();
        for (String n : names) {
            want.add(n.toLowerCase(Locale.ROOT));
        }
        // IPv6 names come back from the certificate in the JDK's long form; compare by coverage instead.
        if (have.equals(want)) {
            return true;
        }
        for (String n : names) {
            if (!c.covers(n) && !coversIp(c, n)) {
                return false;
            }
        }
        return have.size() == want.size();
    }

    private static boolean coversIp(CertifiedKey c, String ip) {
        if (!SelfSigned.isIpLiteral(ip)) {
            return false;
        }
        try {
            java.net.InetAddress want = java.net.InetAddress.getByName(ip); // a literal: no lookup
            for (String have : c.ipAddresses()) {
                if (java.net.InetAddress.getByName(have).equals(want)) {
                    return true;
                }
            }
        } catch (java.net.UnknownHostException e) {
            return false;
        }
        return false;
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
