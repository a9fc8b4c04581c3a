package io.duet.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Private keys sealed with AES-256-GCM under a node-local data key. */
class KeyVaultTest {
    @TempDir
    Path dir;

    // First use creates the data key: directory 0700, file 0600, 32 random bytes; a second open reads the same key.
    @Test
    void createsTheDataKeyPrivately() throws Exception {
        Path keys = dir.resolve("keys");
        KeyVault v = KeyVault.open(keys);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(v.file()))).isEqualTo("rw-------");
        assertThat(Files.readString(v.file())).startsWith("duet-data-key-v1 ");
        assertThat(KeyVault.open(keys).keyId()).isEqualTo(v.keyId()).hasSize(16);
    }

    // RSA and EC keys round-trip; the sealed text holds no key material in clear and differs every time.
    @Test
    void sealsAndOpens() throws Exception {
        KeyVault v = KeyVault.open(dir);
        for (String alg : List.of("RSA", "EC")) {
            PrivateKey key = KeyPairGenerator.getInstance(alg).generateKeyPair().getPrivate();
            String sealed = v.seal(key);
            assertThat(KeyVault.isSealed(sealed)).isTrue();
            assertThat(sealed).startsWith("duet-sealed:v1:" + v.keyId() + ":").doesNotContain("PRIVATE KEY");
            assertThat(v.seal(key)).isNotEqualTo(sealed);
            assertThat(v.open(sealed).getEncoded()).isEqualTo(key.getEncoded());
            assertThat(v.open(sealed).getAlgorithm()).isEqualTo(alg);
        }
    }

    // Other secrets (an affinity signing key) seal in the same form and open on a node with the same data key only
    // (both proxies of a pair hold it): the bytes come back as they were.
    @Test
    void sealsSecretsThatAreNotPrivateKeys() throws Exception {
        KeyVault v = KeyVault.open(dir.resolve("a"));
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String sealed = v.sealSecret(secret);
        assertThat(sealed).startsWith("duet-sealed:v1:" + v.keyId() + ":").doesNotContain("0123456789");
        assertThat(v.sealSecret(secret)).isNotEqualTo(sealed);
        assertThat(v.openSecret(sealed)).isEqualTo(secret);
        KeyVault peer = KeyVault.install(dir.resolve("b"), v.exportKey());
        assertThat(peer.openSecret(sealed)).isEqualTo(secret);
        assertThatThrownBy(() -> KeyVault.open(dir.resolve("c")).openSecret(sealed))
                .hasMessageContaining("DUET-TLS-0020");
    }

    // A key sealed by another node's data key: 0020 says which file to copy; an altered one: 0021.
    @Test
    void otherDataKeyAndTampering() throws Exception {
        KeyVault mine = KeyVault.open(dir.resolve("a"));
        KeyVault theirs = KeyVault.open(dir.resolve("b"));
        String sealed = theirs.seal(KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate());
        assertThatThrownBy(() -> mine.open(sealed)).isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("DUET-TLS-0020").hasMessageContaining(theirs.keyId())
                .hasMessageContaining(mine.file().toString());
        String own = mine.seal(KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate());
        char[] chars = own.toCharArray();
        int i = chars.length - 5;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> mine.open(new String(chars))).isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("DUET-TLS-0021").hasMessageContaining("authentication tag");
        assertThatThrownBy(() -> mine.open("duet-sealed:v1:" + mine.keyId() + ":@@@"))
                .hasMessageContaining("DUET-TLS-0021");
    }

    // A data key readable by others is narrowed to 0600; a file that is not a data key is refused with 0022.
    @Test
    void modeAndFormatOfTheKeyFile() throws Exception {
        KeyVault v = KeyVault.open(dir);
        Files.setPosixFilePermissions(v.file(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(KeyVault.open(dir).keyId()).isEqualTo(v.keyId());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(v.file()))).isEqualTo("rw-------");
        Files.writeString(v.file(), "not a key\n");
        assertThatThrownBy(() -> KeyVault.open(dir)).isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("DUET-TLS-0022");
    }

    // The node certificate: issued once (ECDSA P-256, serverAuth, the names as SANs), then loaded; re-issued when
    // the names change or it is about to expire; its key is stored sealed.
    @Test
    void nodeCertificateLifecycle() throws Exception {
        KeyVault v = KeyVault.open(dir.resolve("keys"));
        Path tls = dir.resolve("tls");
        Clock now = Clock.systemUTC();
        CertifiedKey first = NodeCertificate.loadOrIssue(tls, v, List.of("node-a", "localhost", "127.0.0.1", "::1"),
                now);
        assertThat(first.keyDescription()).isEqualTo("EC P-256");
        assertThat(first.dnsNames()).containsExactly("node-a", "localhost");
        assertThat(first.covers("127.0.0.1")).isTrue();
        assertThat(first.leaf().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(first.leaf().getBasicConstraints()).isEqualTo(-1);
        assertThat(first.leaf().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(Duration.between(first.notBefore(), first.notAfter())).isGreaterThan(Duration.ofDays(390));
        assertThat(Files.readString(tls.resolve("self-signed.key"))).startsWith(KeyVault.PREFIX);

        CertifiedKey again = NodeCertificate.loadOrIssue(tls, v, List.of("node-a", "localhost", "127.0.0.1", "::1"),
                now);
        assertThat(again.leaf()).isEqualTo(first.leaf());

        CertifiedKey renamed = NodeCertificate.loadOrIssue(tls, v, List.of("node-b", "localhost"), now);
        assertThat(renamed.leaf()).isNotEqualTo(first.leaf());
        assertThat(renamed.dnsNames()).containsExactly("node-b", "localhost");

        Clock nearExpiry = Clock.offset(now, Duration.ofDays(380));
        CertifiedKey renewed = NodeCertificate.loadOrIssue(tls, v, List.of("node-b", "localhost"), nearExpiry);
        assertThat(renewed.notAfter()).isAfter(renamed.notAfter());
    }

    // A joining node installs the cluster's data key: what the cluster sealed opens here; the node's own earlier key
    // is kept aside (not deleted), so what it sealed stays recoverable; installing the same key again changes nothing.
    @Test
    void installsTheClusterDataKeyAndKeepsTheOldOneAside() throws Exception {
        KeyVault cluster = KeyVault.open(dir.resolve("cluster-node"));
        PrivateKey k = SelfSigned.issue(List.of("x.test"), Duration.ofDays(1), Clock.systemUTC()).key();
        String sealed = cluster.seal(k);
        Path keys = dir.resolve("joining");
        KeyVault own = KeyVault.open(keys);
        byte[] raw = cluster.exportKey();
        KeyVault installed = KeyVault.install(keys, raw);
        assertThat(installed.keyId()).isEqualTo(cluster.keyId());
        assertThat(installed.open(sealed).getEncoded()).isEqualTo(k.getEncoded());
        assertThat(KeyVault.open(keys).keyId()).isEqualTo(cluster.keyId());
        Path aside = keys.resolve("data.key." + own.keyId() + ".replaced");
        assertThat(aside).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(installed.file())))
                .isEqualTo("rw-------");
        assertThat(KeyVault.install(keys, raw).keyId()).isEqualTo(cluster.keyId());
        assertThatThrownBy(() -> KeyVault.install(keys, new byte[16])).isInstanceOf(TlsMaterialException.class)
                .hasMessageContaining("DUET-TLS-0022");
    }
}
