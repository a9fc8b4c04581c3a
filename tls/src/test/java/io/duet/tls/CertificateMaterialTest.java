package io.duet.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificate entries checked field by field, as a proposal is checked before a commit and as the data plane loads
 * it: material made by the openssl binary, sealed keys by real vaults.
 */
class CertificateMaterialTest {
    @TempDir
    static Path dir;
    static Openssl ssl;
    static String leaf;   // RSA 2048 leaf www.a.test signed by the intermediate
    static String other;  // EC leaf ec.a.test
    static String chain;  // leaf, intermediate: PEM, leaf first
    static final Clock NOW = Clock.systemUTC();
    static final Clock LATER = Clock.fixed(Instant.now().plus(Duration.ofDays(60)), ZoneOffset.UTC);

    @BeforeAll
    static void pki() throws Exception {
        ssl = new Openssl(dir);
        leaf = ssl.rsaLeaf("www.a.test", "DNS:www.a.test");
        other = ssl.ecLeaf("ec.a.test", "DNS:ec.a.test", "P-256");
        chain = ssl.read(leaf + ".pem") + ssl.read("inter.pem");
    }

    private static CertificateMaterial.Entry pem(String chainPem, String key, String passphrase) {
        return new CertificateMaterial.Entry(chainPem, key, passphrase, null);
    }

    private static List<String> errors(List<CertificateMaterial.FieldFinding> findings) {
        return findings.stream().filter(f -> f.finding().isError())
                .map(f -> f.field() + " " + f.finding().kind().id()).toList();
    }

    private static List<String> all(List<CertificateMaterial.FieldFinding> findings) {
        return findings.stream().map(f -> f.field() + " " + f.finding().kind().id() + " "
                + f.finding().severity()).toList();
    }

    // The key of another certificate: an error on privateKey naming the leaf it should belong to.
    @Test
    void mismatchedKeyIsAFindingOnTheKey() {
        List<CertificateMaterial.FieldFinding> f = CertificateMaterial.check(pem(chain, ssl.read(other + ".key"),
                null), null, null, NOW);
        assertThat(errors(f)).containsExactly("privateKey DUET-TLS-0006");
        assertThat(f.get(0).finding().message()).contains("leaf expected: www.a.test");
    }

    // New material that has expired is an error on the chain (one for the leaf, one for the intermediate).
    @Test
    void expiredNewCertificateIsAnError() {
        assertThat(errors(CertificateMaterial.check(pem(chain, ssl.read(leaf + ".key"), null), null, null, LATER)))
                .containsExactly("certificateChain DUET-TLS-0008", "certificateChain DUET-TLS-0008");
    }

    // Material already committed under the same name (here: its key since sealed, its chain reordered) that expired
    // since is only a warning, as when the data plane loads it; a renewed leaf is new material again.
    @Test
    void expiredCommittedCertificateIsAWarning() {
        KeyVault vault = KeyVault.open(dir.resolve("vault-committed"));
        String key = ssl.read(leaf + ".key");
        CertificateMaterial.Entry committed = pem(ssl.read("inter.pem") + ssl.read(leaf + ".pem"), key, null);
        CertificateMaterial.Entry sealed = pem(chain, vault.seal(CertificateImport.readPrivateKey(key, null)), null);
        List<CertificateMaterial.FieldFinding> f = CertificateMaterial.check(sealed, committed, vault, LATER);
        assertThat(errors(f)).isEmpty();
        assertThat(all(f)).contains("certificateChain DUET-TLS-0008 WARNING");

        CertificateMaterial.Entry renewed = pem(ssl.read(other + ".pem") + ssl.read("inter.pem"),
                ssl.read(other + ".key"), null);
        assertThat(errors(CertificateMaterial.check(renewed, committed, vault, LATER)))
                .contains("certificateChain DUET-TLS-0008");
    }

    // A chain given intermediate first is accepted: a note on the chain says it is served leaf first.
    @Test
    void chainOutOfOrderIsAcceptedAndReordered() {
        CertificateMaterial.Loaded loaded = CertificateMaterial.load(pem(ssl.read("inter.pem")
                + ssl.read(leaf + ".pem"), ssl.read(leaf + ".key"), null), null, NOW,
                CertificateImport.Validity.ENFORCE);
        assertThat(errors(loaded.findings())).isEmpty();
        assertThat(all(loaded.findings())).containsExactly("certificateChain DUET-TLS-0018 INFO");
        assertThat(loaded.key().chain()).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=www.a.test", "CN=Duet Test Intermediate");
    }

    // An intermediate of the right name but another CA's key did not sign the leaf: an error on the chain.
    @Test
    void foreignIntermediateIsAnErrorOnTheChain() throws Exception {
        Path elsewhere = dir.resolve("foreign");
        Files.createDirectories(elsewhere);
        Openssl foreign = new Openssl(elsewhere); // the same names, other keys
        List<CertificateMaterial.FieldFinding> f = CertificateMaterial.check(pem(ssl.read(leaf + ".pem")
                + foreign.read("inter.pem"), ssl.read(leaf + ".key"), null), null, null, NOW);
        assertThat(errors(f)).containsExactly("certificateChain DUET-TLS-0007");
        assertThat(f.get(0).finding().message()).contains("did not sign it");
    }

    // An encrypted key: a wrong or missing passphrase is a finding on the passphrase.
    @Test
    void passphraseFindingsNameThePassphrase() throws Exception {
        ssl.run("openssl", "pkcs8", "-topk8", "-in", leaf + ".key", "-v2", "aes-256-cbc", "-passout",
                "pass:right one", "-out", leaf + ".enc");
        String encrypted = ssl.read(leaf + ".enc");
        assertThat(errors(CertificateMaterial.check(pem(chain, encrypted, "wrong"), null, null, NOW)))
                .containsExactly("passphrase DUET-TLS-0005");
        assertThat(errors(CertificateMaterial.check(pem(chain, encrypted, null), null, null, NOW)))
                .containsExactly("passphrase DUET-TLS-0004");
        assertThat(errors(CertificateMaterial.check(pem(chain, encrypted, "right one"), null, null, NOW))).isEmpty();
    }

    // A broken chain and a wrong passphrase are reported together, each on its field.
    @Test
    void everyFieldIsReadEvenWhenAnotherFails() throws Exception {
        ssl.run("openssl", "pkcs8", "-topk8", "-in", leaf + ".key", "-v2", "aes-256-cbc", "-passout",
                "pass:pw", "-out", leaf + ".enc2");
        String garbage = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assertThat(errors(CertificateMaterial.check(pem(garbage, ssl.read(leaf + ".enc2"), "nope"), null, null,
                NOW))).containsExactlyInAnyOrder("certificateChain DUET-TLS-0002", "passphrase DUET-TLS-0005");
    }

    // A key sealed under another data key cannot be opened here: an error on the key naming both key ids.
    @Test
    void keySealedUnderAnotherDataKey() {
        KeyVault ours = KeyVault.open(dir.resolve("vault-ours"));
        KeyVault theirs = KeyVault.open(dir.resolve("vault-theirs"));
        java.security.PrivateKey key = CertificateImport.readPrivateKey(ssl.read(leaf + ".key"), null);
        List<CertificateMaterial.FieldFinding> f = CertificateMaterial.check(pem(chain, theirs.seal(key), null),
                null, ours, NOW);
        assertThat(errors(f)).containsExactly("privateKey DUET-TLS-0020");
        assertThat(f.get(0).finding().message()).contains(theirs.keyId(), ours.keyId());
        assertThat(errors(CertificateMaterial.check(pem(chain, ours.seal(key), null), null, ours, NOW))).isEmpty();
    }

    // Without a vault a sealed key is not opened: the chain is read, nothing is said about the key.
    @Test
    void sealedKeyWithoutVaultIsNotOpened() {
        KeyVault vault = KeyVault.open(dir.resolve("vault-none"));
        String sealed = vault.seal(CertificateImport.readPrivateKey(ssl.read(leaf + ".key"), null));
        CertificateMaterial.Loaded loaded = CertificateMaterial.load(pem(chain, sealed, null), null, NOW,
                CertificateImport.Validity.ENFORCE);
        assertThat(loaded.key()).isNull();
        assertThat(loaded.findings()).isEmpty();
        assertThat(errors(CertificateMaterial.load(pem("nope", sealed, null), null, NOW,
                CertificateImport.Validity.ENFORCE).findings())).containsExactly("certificateChain DUET-TLS-0001");
    }

    // A PKCS#12 file: every finding is on the file; the wrong password does not open it.
    @Test
    void pkcs12FindingsNameTheFile() throws Exception {
        ssl.run("openssl", "pkcs12", "-export", "-inkey", leaf + ".key", "-in", leaf + ".pem", "-certfile",
                "inter.pem", "-passout", "pass:p12 pass", "-out", leaf + ".p12");
        String p12 = Base64.getEncoder().encodeToString(ssl.bytes(leaf + ".p12"));
        assertThat(errors(CertificateMaterial.check(new CertificateMaterial.Entry(null, null, "p12 pass", p12), null,
                null, NOW))).isEmpty();
        assertThat(errors(CertificateMaterial.check(new CertificateMaterial.Entry(null, null, "wrong", p12), null,
                null, NOW))).containsExactly("pkcs12 DUET-TLS-0012");
        assertThat(errors(CertificateMaterial.check(new CertificateMaterial.Entry(null, null, "p12 pass", p12), null,
                null, LATER))).containsOnly("pkcs12 DUET-TLS-0008");
    }
}
