package io.duet.cluster.membership;

import io.duet.cluster.message.ClusterMessage;
import io.duet.tls.CertificateImport;
import io.duet.tls.ClusterAuthority;
import io.duet.tls.KeyVault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.duet.cluster.message.ClusterMessage.NOT_ANOTHER_MEMBER;

/**
 * Creating a cluster identity ({@code duet cluster init}), making join tokens ({@code duet cluster token}) and
 * joining ({@code duet cluster join}). The node must not be running for init and join (they write its data
 * directory); tokens may be made while it runs. Blocking; the CLI's thread.
 */
public final class ClusterSetup {
    static final String STANDALONE = ClusterMessage.STANDALONE.id();
    static final String ALREADY_MEMBER = ClusterMessage.ALREADY_MEMBER.id();
    static final String OLD_RAFT_LOG = ClusterMessage.OLD_RAFT_LOG.id();
    static final String NO_CA_KEY = ClusterMessage.NO_CA_KEY.id();
    static final String WRITE_FAILED = ClusterMessage.IDENTITY_WRITE_FAILED.id();
    static final String BAD_ANSWER = ClusterMessage.JOIN_ANSWER_UNFIT.id();

    private ClusterSetup() {
    }

    /** What init produced: the CA pin, the node's certificate and one token per other member. */
    public record Initialised(String pin, X509Certificate certificate, Map<String, JoinToken> tokens, Duration ttl) {
    }

    /** What a join produced. */
    public record Joined(String pin, X509Certificate certificate, boolean witness, String dataKeyId) {
    }

    /**
     * Creates the cluster CA and this node's member identity, and one join token per other member.
     *
     * @throws MembershipException standalone node, already initialised or joined, an old Raft log, a write failure
     */
    public static Initialised init(MemberSite b, Duration ttl, Clock clock) throws MembershipException {
        checkFresh(b);
        KeyVault vault = ClusterIdentity.vault(b);
        String clusterId = HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(4));
        ClusterAuthority ca = ClusterAuthority.create(clusterId, clock);
        ClusterAuthority.Member m = ca.issue(b.nodeId(), List.of(b.clusterHost()), clock);
        Path dir = ClusterIdentity.dir(b);
        try {
            ClusterIdentity.write(b.files(), dir, b.nodeId(), ClusterIdentity.ROLE_PROXY, ca.certificate(),
                    vault.seal(ca.key()), m.certificate(), vault.seal(m.key()), "init", clock);
        } catch (IOException e) {
            throw new MembershipException(WRITE_FAILED, MembershipException.Kind.FAILURE, "cannot write the cluster identity to "
                    + dir + ": " + MembershipException.rootMessage(e), e);
        }
        Map<String, JoinToken> tokens = new LinkedHashMap<>();
        for (String other : new TreeMap<>(b.clusterMembers()).keySet()) {
            if (!other.equals(b.nodeId())) {
                tokens.put(other, token(b, other, ttl, clock));
            }
        }
        return new Initialised(ClusterAuthority.pin(ca.certificate()), m.certificate(), tokens, ttl);
    }

    /** A new one-time token for {@code node}, redeemable at this proxy's join endpoint. */
    public static JoinToken token(MemberSite b, String node, Duration ttl, Clock clock) throws MembershipException {
        requireClustered(b);
        if (!b.clusterMembers().containsKey(node) || node.equals(b.nodeId())) {
            throw new MembershipException(NOT_ANOTHER_MEMBER.id(), MembershipException.Kind.USAGE, "'" + node
                    + "' is not another member of "
                    + b.clusterMembers().keySet() + ": add it to cluster.members on every node first");
        }
        ClusterIdentity id = ClusterIdentity.load(b, ClusterIdentity.vault(b));
        if (id.sealedCaKey() == null) {
            throw new MembershipException(NO_CA_KEY, MembershipException.Kind.USAGE, "node " + b.nodeId() + " is a witness and "
                    + "holds no cluster CA key: make join tokens on a proxy node");
        }
        try {
            return new JoinTokens(id.dir(), clock, b.files()).issue(node, ttl, JoinToken.endpoint(b.clusterHost(),
                    b.clusterJoinPort()), id.pin());
        } catch (IOException e) {
            throw new MembershipException(WRITE_FAILED, MembershipException.Kind.FAILURE, "cannot record the join token in "
                    + id.dir() + ": " + MembershipException.rootMessage(e), e);
        }
    }

    /**
     * Joins the cluster a token names: a new member key pair (the private key stays here), the certificate from the
     * endpoint, and for a proxy the cluster's data key (installed as this node's) and the sealed CA key.
     */
    public static Joined join(MemberSite b, JoinToken token, boolean witness, Duration timeout, Clock clock)
            throws MembershipException {
        checkFresh(b);
        KeyPair pair = ClusterAuthority.newMemberKeyPair();
        JoinProtocol.Request req = new JoinProtocol.Request(token.secret(), b.nodeId(),
                Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()), witness,
                new TreeMap<>(b.clusterMembers()));
        JoinProtocol.Response r;
        try {
            r = JoinClient.join(token, req, timeout);
        } catch (JoinClient.JoinException e) {
            throw new MembershipException(e.id(), MembershipException.Kind.FAILURE, e.getMessage(), e);
        }
        X509Certificate ca;
        X509Certificate cert;
        try {
            ca = CertificateImport.readCertificates(r.ca()).get(0);
            cert = CertificateImport.readCertificates(r.certificate()).get(0);
        } catch (RuntimeException e) {
            throw new MembershipException(BAD_ANSWER, MembershipException.Kind.FAILURE, "the join endpoint answered certificates that "
                    + "do not read: " + MembershipException.rootMessage(e), e);
        }
        if (!ClusterAuthority.pin(ca).equals(token.pin()) || !ClusterAuthority.of(null, ca).issued(cert)
                || !cert.getPublicKey().equals(pair.getPublic())) {
            throw new MembershipException(BAD_ANSWER, MembershipException.Kind.FAILURE, "the join endpoint answered a certificate that "
                    + "is not for this node's key or not from the pinned CA; nothing was written");
        }
        if (!witness && (r.dataKey() == null || r.caKey() == null)) {
            throw new MembershipException(BAD_ANSWER, MembershipException.Kind.FAILURE, "the join endpoint sent no data key; nothing "
                    + "was written");
        }
        Path keys = b.dataDir().resolve("keys");
        KeyVault vault;
        String caKey = null;
        try {
            if (witness) {
                vault = KeyVault.open(keys);
            } else {
                byte[] raw = Base64.getDecoder().decode(r.dataKey());
                vault = KeyVault.install(keys, raw);
                java.util.Arrays.fill(raw, (byte) 0);
                ClusterAuthority authority = ClusterAuthority.of(vault.open(r.caKey()), ca);
                if (!authority.issued(authority.issue("probe", List.of(), clock).certificate())) {
                    throw new IllegalStateException("the CA key does not fit the CA certificate");
                }
                caKey = r.caKey();
            }
            ClusterIdentity.write(b.files(), ClusterIdentity.dir(b), b.nodeId(), witness ? ClusterIdentity.ROLE_WITNESS
                    : ClusterIdentity.ROLE_PROXY, ca, caKey, cert, vault.seal(pair.getPrivate()),
                    "join " + token.endpoint() + " token " + token.id(), clock);
        } catch (IOException | RuntimeException e) {
            throw new MembershipException(WRITE_FAILED, MembershipException.Kind.FAILURE, "joined, but the identity could not be "
                    + "stored in " + ClusterIdentity.dir(b) + ": " + MembershipException.rootMessage(e) + "; make a new token and "
                    + "join again", e);
        }
        return new Joined(token.pin(), cert, witness, vault.keyId());
    }

    private static void requireClustered(MemberSite b) throws MembershipException {
        if (!b.clustered()) {
            throw new MembershipException(STANDALONE, MembershipException.Kind.USAGE, "this node is standalone: set cluster.members "
                    + "(or DUET_CLUSTER_MEMBERS) to every voter's id=host:port, the same list on every node");
        }
    }

    /** Neither initialised nor joined, and no Raft log of some earlier group. */
    private static void checkFresh(MemberSite b) throws MembershipException {
        requireClustered(b);
        Path dir = ClusterIdentity.dir(b);
        if (ClusterIdentity.exists(b)) {
            throw new MembershipException(ALREADY_MEMBER, MembershipException.Kind.USAGE, "node " + b.nodeId() + " already has a "
                    + "cluster identity in " + dir + ": nothing done. To make it a member of another cluster, stop "
                    + "it and move " + dir.getParent() + " away first (it holds the Raft log too)");
        }
        Path raft = b.dataDir().resolve("cluster").resolve("raft");
        if (Files.isDirectory(raft) && !isEmpty(raft)) {
            throw new MembershipException(OLD_RAFT_LOG, MembershipException.Kind.USAGE, raft + " holds a Raft log from before: a "
                    + "member joins with an empty log. Stop the node and move " + raft + " away first");
        }
    }

    private static boolean isEmpty(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** The tokens' lines for the console. */
    /** One command per member, as the operator copies it; {@code witness} (or null) gets {@code --witness}. */
    public static List<String> tokenLines(Map<String, JoinToken> tokens, String witness) {
        List<String> out = new ArrayList<>();
        tokens.forEach((node, t) -> out.add("  on " + node + ":  duet cluster join " + (node.equals(witness)
                ? "--witness " : "") + "--token " + t.encode()));
        return out;
    }
}
