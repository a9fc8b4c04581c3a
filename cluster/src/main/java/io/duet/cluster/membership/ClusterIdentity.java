package io.duet.cluster.membership;

import io.duet.cluster.message.ClusterMessage;
import io.duet.cluster.raft.ClusterSettings;
import io.duet.tls.CertificateImport;
import io.duet.tls.ClusterAuthority;
import io.duet.tls.KeyVault;
import io.duet.tls.Pem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static io.duet.cluster.message.ClusterMessage.NO_CA_KEY;

/**
 * A member's cluster identity on disk, in {@code <data.dir>/cluster/tls} (directory 0700):
 * <ul>
 *   <li>{@code ca.pem}: the cluster CA certificate, the only one members trust;</li>
 *   <li>{@code ca.key}: the CA key sealed under the data key; proxies only (they issue join tokens and
 *       certificates), never the witness;</li>
 *   <li>{@code member.pem} and {@code member.key} (sealed): this node's certificate and key for mutual TLS;</li>
 *   <li>{@code member.properties}: node id, role ({@code proxy} or {@code witness}), CA pin, when and how it
 *       joined.</li>
 * </ul>
 * Written by {@code duet cluster init} and {@code duet cluster join}; read at every start of a member and by the
 * CLI tools that talk to the group. Blocking file I/O: not for I/O threads.
 */
public final class ClusterIdentity {
    static final String MISSING = ClusterMessage.IDENTITY_MISSING.id();
    public static final String UNUSABLE = ClusterMessage.IDENTITY_UNUSABLE.id();

    static final String ROLE_PROXY = "proxy";
    static final String ROLE_WITNESS = "witness";

    private final Path dir;
    private final String role;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final X509Certificate ca;
    private final String sealedCaKey;

    private ClusterIdentity(Path dir, String role, PrivateKey key, X509Certificate certificate, X509Certificate ca,
                            String sealedCaKey) {
        this.dir = dir;
        this.role = role;
        this.key = key;
        this.certificate = certificate;
        this.ca = ca;
        this.sealedCaKey = sealedCaKey;
    }

    /** The identity directory of a node. */
    public static Path dir(MemberSite b) {
        return b.dataDir().resolve("cluster").resolve("tls");
    }

    /** True when this node has been initialised or has joined (its member certificate exists). */
    static boolean exists(MemberSite b) {
        return Files.exists(dir(b).resolve("member.pem"));
    }

    /** The node's vault: {@code <data.dir>/keys} (created with a new data key the first time). */
    public static KeyVault vault(MemberSite b) {
        return KeyVault.open(b.dataDir().resolve("keys"));
    }

    /**
     * Loads the identity and checks it: the certificate names this node id, was issued by the CA, is in its
     * validity period, and the key matches it.
     *
     * @throws MembershipException {@link ClusterMessage#IDENTITY_MISSING} when the node has neither initialised nor joined a
     *                          cluster,
     *                          {@link ClusterMessage#IDENTITY_UNUSABLE} when the files do not fit together (exit 3)
     */
    public static ClusterIdentity load(MemberSite b, KeyVault vault) throws MembershipException {
        Path d = dir(b);
        if (!exists(b)) {
            throw new MembershipException(MISSING, MembershipException.Kind.USAGE, "node " + b.nodeId() + " has no cluster identity in "
                    + d + ": members talk over mutual TLS with certificates of the cluster's own CA. On the first "
                    + "node run `duet cluster init`; on the others run the `duet cluster join --token ...` command it "
                    + "printed (`duet cluster token --node ID` on an initialised node makes a new token)");
        }
        try {
            Properties info = new Properties();
            try (var in = Files.newBufferedReader(d.resolve("member.properties"), StandardCharsets.UTF_8)) {
                info.load(in);
            }
            X509Certificate ca = CertificateImport.readCertificates(read(d.resolve("ca.pem"))).get(0);
            X509Certificate cert = CertificateImport.readCertificates(read(d.resolve("member.pem"))).get(0);
            PrivateKey key = vault.open(read(d.resolve("member.key")).trim());
            String sealedCa = Files.exists(d.resolve("ca.key")) ? read(d.resolve("ca.key")).trim() : null;
            String id = info.getProperty("node.id");
            if (!b.nodeId().equals(id)) {
                throw new IllegalStateException("it was issued for node '" + id + "', but node.id is '" + b.nodeId()
                        + "' (a node keeps its id; to rename it, join again with a new token)");
            }
            if (!ClusterAuthority.of(null, ca).issued(cert)) {
                throw new IllegalStateException("member.pem was not issued by ca.pem");
            }
            CertificateImport.check(List.of(cert), key, Clock.systemUTC(), CertificateImport.Validity.ENFORCE);
            return new ClusterIdentity(d, info.getProperty("role", ROLE_PROXY), key, cert, ca, sealedCa);
        } catch (IOException | RuntimeException e) {
            throw new MembershipException(UNUSABLE, MembershipException.Kind.FAILURE, "the cluster identity in " + d + " is not "
                    + "usable: " + MembershipException.rootMessage(e) + "; restore it from a backup, or move " + d.getParent()
                    + " away and join the cluster again with a new token", e);
        }
    }

    /**
     * Writes an identity (atomically per file; the directory made 0700 first). {@code sealedCaKey} is null on a
     * witness.
     */
    static void write(MemberSite.SecretFiles files, Path d, String nodeId, String role, X509Certificate ca, String sealedCaKey,
                      X509Certificate certificate, String sealedKey, String joinedVia, Clock clock)
            throws IOException {
        Files.createDirectories(d);
        setMode(d, "rwx------");
        writeFile(files, d.resolve("ca.pem"), Pem.certificates(List.of(ca)));
        if (sealedCaKey != null) {
            writeFile(files, d.resolve("ca.key"), sealedCaKey + "\n");
        }
        writeFile(files, d.resolve("member.key"), sealedKey + "\n");
        writeFile(files, d.resolve("member.pem"), Pem.certificates(List.of(certificate)));
        String info = "# The cluster identity of this node: written by duet cluster init/join; do not edit.\n"
                + "node.id=" + nodeId + "\n"
                + "role=" + role + "\n"
                + "ca.pin=" + ClusterAuthority.pin(ca) + "\n"
                + "created=" + Instant.now(clock) + "\n"
                + "via=" + joinedVia + "\n";
        writeFile(files, d.resolve("member.properties"), info);
    }

    /** The node's identity for a CLI tool talking to the group (it uses the member's own certificate). */
    public static ClusterSettings.Tls forTools(MemberSite b) throws MembershipException {
        try {
            return load(b, vault(b)).tls();
        } catch (RuntimeException e) {
            throw new MembershipException(UNUSABLE, MembershipException.Kind.FAILURE, "cannot read this node's cluster identity: "
                    + MembershipException.rootMessage(e) + " (run the command as the user that runs Duet, or as root)", e);
        }
    }

    /** The material for the Raft transport: mutual TLS trusting only the cluster CA. */
    public ClusterSettings.Tls tls() {
        return new ClusterSettings.Tls(key, certificate, ca);
    }

    String role() {
        return role;
    }

    public boolean witness() {
        return ROLE_WITNESS.equals(role);
    }

    public X509Certificate ca() {
        return ca;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    PrivateKey key() {
        return key;
    }

    Path dir() {
        return dir;
    }

    /** The CA key sealed under the data key, or null (a witness: it cannot issue certificates). */
    public String sealedCaKey() {
        return sealedCaKey;
    }

    /** The CA that can issue member certificates: proxies only. */
    ClusterAuthority authority(KeyVault vault) {
        if (sealedCaKey == null) {
            throw new IllegalStateException(NO_CA_KEY + " this node holds no cluster CA key (a witness): make join "
                    + "tokens on a proxy node");
        }
        return ClusterAuthority.of(vault.open(sealedCaKey), ca);
    }

    String pin() {
        return ClusterAuthority.pin(ca);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.US_ASCII);
    }

    private static void writeFile(MemberSite.SecretFiles files, Path p, String text) throws IOException {
        files.write(p, text.getBytes(StandardCharsets.US_ASCII));
    }

    static void setMode(Path p, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
