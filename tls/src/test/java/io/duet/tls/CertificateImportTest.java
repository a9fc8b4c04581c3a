package io.duet.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Certificate import from the formats openssl writes, and every check with its message id. */
class CertificateImportTest {
    @TempDir
    static Path dir;
    static Openssl ssl;
    static String rsa;     // RSA 2048 leaf for www.a.test and *.a.test, signed by the intermediate
    static String ec256;   // EC P-256 leaf
    static String ec384;   // EC P-384 leaf
    static String chain;   // leaf, intermediate, root: PEM, leaf first
    static final Clock NOW = Clock.systemUTC();

    @BeforeAll
    static void pki() throws Exception {
        ssl = new Openssl(dir);
        rsa = ssl.rsaLeaf("www.a.test", "DNS:www.a.test,DNS:*.a.test,IP:192.0.2.10");
        ec256 = ssl.ecLeaf("ec.a.test", "DNS:ec.a.test", "P-256");
        ec384 = ssl.ecLeaf("ec384.a.test", "DNS:ec384.a.test", "P-384");
        chain = ssl.read(rsa + ".pem") + ssl.read("inter.pem") + ssl.read("root.pem");
    }

    private static CertifiedKey importPem(String chainPem, String keyPem, String pass) {
        return CertificateImport.fromPem(chainPem, keyPem, pass == null ? null : pass.toCharArray(), NOW,
                CertificateImport.Validity.ENFORCE);
    }

    private static void assertFails(Runnable r, TlsMessage kind, String text) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(TlsMaterialException.class, e -> {
            assertThat(e.findings()).extracting(Finding::kind).contains(kind);
            assertThat(e.getMessage()).contains(kind.id()).contains(text);
        });
    }

    // PKCS#8 RSA key with a leaf-first chain: names, key description, chain kept as given.
    @Test
    void importsPkcs8RsaWithChain() throws Exception {
        CertifiedKey c = importPem(chain, ssl.read(rsa + ".key"), null);
        assertThat(c.keyDescription()).isEqualTo("RSA 2048");
        assertThat(c.chain()).hasSize(3);
        assertThat(c.subject()).isEqualTo("CN=www.a.test");
        assertThat(c.dnsNames()).containsExactly("www.a.test", "*.a.test");
        assertThat(c.ipAddresses()).containsExactly("192.0.2.10");
        assertThat(c.findings()).isEmpty();
    }

    // PKCS#1 ("BEGIN RSA PRIVATE KEY") is read as well.
    @Test
    void importsPkcs1Rsa() throws Exception {
        ssl.run("openssl", "rsa", "-in", rsa + ".key", "-traditional", "-out", rsa + ".pkcs1");
        String pem = ssl.read(rsa + ".pkcs1");
        assertThat(pem).contains("BEGIN RSA PRIVATE KEY");
        assertThat(importPem(chain, pem, null).keyDescription()).isEqualTo("RSA 2048");
    }

    // SEC1 ("BEGIN EC PRIVATE KEY") with the EC PARAMETERS block openssl ecparam writes before it.
    @Test
    void importsSec1EcWithParameters() throws Exception {
        ssl.run("openssl", "ec", "-in", ec256 + ".key", "-out", ec256 + ".sec1");
        String params = ssl.run("openssl", "ecparam", "-name", "prime256v1");
        String pem = params + ssl.read(ec256 + ".sec1");
        assertThat(pem).contains("BEGIN EC PARAMETERS").contains("BEGIN EC PRIVATE KEY");
        CertifiedKey c = importPem(ssl.read(ec256 + ".pem") + ssl.read("inter.pem"), pem, null);
        assertThat(c.keyDescription()).isEqualTo("EC P-256");
        assertThat(c.dnsNames()).containsExactly("ec.a.test");
    }

    // P-384 keys are accepted and named.
    @Test
    void importsP384() throws Exception {
        CertifiedKey c = importPem(ssl.read(ec384 + ".pem"), ssl.read(ec384 + ".key"), null);
        assertThat(c.keyDescription()).isEqualTo("EC P-384");
    }

    // Encrypted PKCS#8: opens with the passphrase; without it 0004; with a wrong one 0005.
    @Test
    void encryptedPkcs8NeedsTheRightPassphrase() throws Exception {
        ssl.run("openssl", "pkcs8", "-topk8", "-in", rsa + ".key", "-v2", "aes-256-cbc", "-passout",
                "pass:s3cret pass", "-out", rsa + ".enc");
        String pem = ssl.read(rsa + ".enc");
        assertThat(pem).contains("BEGIN ENCRYPTED PRIVATE KEY");
        assertThat(importPem(chain, pem, "s3cret pass").keyDescription()).isEqualTo("RSA 2048");
        assertFails(() -> importPem(chain, pem, null), TlsMessage.PASSPHRASE_REQUIRED, "give its passphrase");
        assertFails(() -> importPem(chain, pem, "wrong"), TlsMessage.WRONG_PASSPHRASE, "does not decrypt");
    }

    // OpenSSL's legacy encrypted PEM (Proc-Type: 4,ENCRYPTED) of an EC key.
    @Test
    void legacyEncryptedPem() throws Exception {
        ssl.run("openssl", "ec", "-in", ec256 + ".key", "-aes256", "-passout", "pass:legacy", "-out",
                ec256 + ".legacy");
        String pem = ssl.read(ec256 + ".legacy");
        assertThat(pem).contains("Proc-Type: 4,ENCRYPTED");
        assertThat(importPem(ssl.read(ec256 + ".pem"), pem, "legacy").keyDescription()).isEqualTo("EC P-256");
        assertFails(() -> importPem(ssl.read(ec256 + ".pem"), pem, "nope"), TlsMessage.WRONG_PASSPHRASE, "");
    }

    // A chain in any order is served leaf first, with a note saying it was re-ordered.
    @Test
    void reordersTheChain() throws Exception {
        String shuffled = ssl.read("root.pem") + ssl.read(rsa + ".pem") + ssl.read("inter.pem");
        CertifiedKey c = importPem(shuffled, ssl.read(rsa + ".key"), null);
        assertThat(c.chain()).extracting(x -> x.getSubjectX500Principal().getName())
                .containsExactly("CN=www.a.test", "CN=Duet Test Intermediate", "CN=Duet Test Root");
        assertThat(c.findings()).extracting(Finding::kind).containsExactly(TlsMessage.REORDERED);
        assertThat(c.findings().get(0).message())
                .contains("www.a.test -> Duet Test Intermediate -> Duet Test Root");
    }

    // The key of another certificate: 0006 names the certificate.
    @Test
    void keyOfAnotherCertificate() throws Exception {
        assertFails(() -> importPem(ssl.read(rsa + ".pem"), readUnchecked(ec256 + ".key"), null),
                TlsMessage.KEY_MISMATCH, "leaf expected: www.a.test");
    }

    // A certificate that is not part of the leaf's chain: 0007.
    @Test
    void unrelatedCertificateInTheChain() throws Exception {
        String pem = ssl.read(rsa + ".pem") + ssl.read("inter.pem") + ssl.read(ec384 + ".pem");
        assertFails(() -> importPem(pem, readUnchecked(rsa + ".key"), null), TlsMessage.CHAIN_BROKEN,
                "ec384.a.test are not part of the chain of 'www.a.test'");
    }

    // An intermediate with the right name but another key (a re-keyed CA): 0007 says it did not sign the leaf.
    @Test
    void impostorIntermediate() throws Exception {
        Path other = dir.resolve("other");
        java.nio.file.Files.createDirectories(other);
        Openssl o = new Openssl(other); // same names, new keys
        assertFails(() -> importPem(ssl.read(rsa + ".pem") + readUnchecked(o, "inter.pem"),
                readUnchecked(rsa + ".key"), null), TlsMessage.CHAIN_BROKEN, "did not sign it");
    }

    // Expired and not yet valid, judged by the clock; as warnings when loading a committed document.
    @Test
    void validityPeriod() throws Exception {
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(60)), ZoneOffset.UTC);
        Clock earlier = Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC);
        String key = ssl.read(rsa + ".key");
        assertThatThrownBy(() -> CertificateImport.fromPem(chain, key, null, later,
                CertificateImport.Validity.ENFORCE))
                .isInstanceOfSatisfying(TlsMaterialException.class, e -> assertThat(e.findings())
                        .extracting(Finding::kind).contains(TlsMessage.EXPIRED))
                .hasMessageContaining("DUET-TLS-0008 certificate 'www.a.test' expired on");
        assertFails(() -> CertificateImport.fromPem(chain, key, null, earlier, CertificateImport.Validity.ENFORCE),
                TlsMessage.NOT_YET_VALID, "is not valid before");
        CertifiedKey loaded = CertificateImport.fromPem(chain, key, null, later, CertificateImport.Validity.WARN);
        assertThat(loaded.findings()).extracting(Finding::kind).contains(TlsMessage.EXPIRED);
        assertThat(loaded.findings()).noneMatch(Finding::isError);
    }

    // RSA 1024 is refused (0010); a leaf signed with SHA-1 is refused (0011); both reported together.
    @Test
    void weakKeyAndSignatureAreReportedTogether() throws Exception {
        String weak = ssl.leaf("weak.a.test", "inter", "subjectAltName=DNS:weak.a.test\n", "-sha1",
                "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024");
        assertThatThrownBy(() -> importPem(ssl.read(weak + ".pem"), ssl.read(weak + ".key"), null))
                .isInstanceOfSatisfying(TlsMaterialException.class, e -> assertThat(e.findings())
                        .extracting(Finding::kind).contains(TlsMessage.WEAK_KEY, TlsMessage.WEAK_SIGNATURE))
                .hasMessageContaining("the key is RSA 1024")
                .hasMessageContaining("signed with SHA1with");
    }

    // A certificate for clients only (extendedKeyUsage clientAuth): 0016.
    @Test
    void clientOnlyCertificate() throws Exception {
        String client = ssl.leaf("client.a.test", "inter",
                "subjectAltName=DNS:client.a.test\nextendedKeyUsage=clientAuth\n", "-sha256",
                "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        assertFails(() -> importPem(readUnchecked(client + ".pem"), readUnchecked(client + ".key"), null),
                TlsMessage.NOT_FOR_SERVERS, "without serverAuth");
    }

    // A leaf "signed" by another leaf (not a CA): 0017.
    @Test
    void issuerThatIsNotACa() throws Exception {
        Path d = dir.resolve("notca");
        java.nio.file.Files.createDirectories(d);
        Openssl o = new Openssl(d);
        o.run("cp", dir.resolve(ec256 + ".pem").toString(), "fake.pem");
        o.run("cp", dir.resolve(ec256 + ".key").toString(), "fake.key");
        String under = o.leaf("under.a.test", "fake", "subjectAltName=DNS:under.a.test\n", "-sha256",
                "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        assertFails(() -> importPem(o.read(under + ".pem") + o.read("fake.pem"), readUnchecked(o, under + ".key"),
                null), TlsMessage.INTERMEDIATE_NOT_CA, "is not a CA certificate");
    }

    // Ed25519 keys are not supported by Duet's listeners: 0014 names the algorithm.
    @Test
    void unsupportedAlgorithm() throws Exception {
        ssl.run("openssl", "genpkey", "-algorithm", "ed25519", "-out", "ed.key");
        assertFails(() -> importPem(chain, readUnchecked("ed.key"), null), TlsMessage.UNSUPPORTED_KEY, "Ed25519");
    }

    // No PEM at all, a damaged certificate block, no key block.
    @Test
    void malformedInput() throws Exception {
        String key = ssl.read(rsa + ".key");
        assertFails(() -> importPem("hello", key, null), TlsMessage.NO_CERTIFICATE, "BEGIN CERTIFICATE");
        String broken = "-----BEGIN CERTIFICATE-----\nMIIBdGVzdA==\n-----END CERTIFICATE-----\n";
        assertFails(() -> importPem(broken, key, null), TlsMessage.CERTIFICATE_UNREADABLE, "block 1");
        assertFails(() -> importPem(chain, ssl.read(rsa + ".pem"), null), TlsMessage.NO_PRIVATE_KEY,
                "RSA PRIVATE KEY");
    }

    // PKCS#12 with its chain; a wrong password (0012); a file with certificates only (0013).
    @Test
    void pkcs12() throws Exception {
        ssl.run("openssl", "pkcs12", "-export", "-inkey", rsa + ".key", "-in", rsa + ".pem", "-certfile",
                "inter.pem", "-passout", "pass:p12pass", "-out", rsa + ".p12");
        byte[] p12 = ssl.bytes(rsa + ".p12");
        CertifiedKey c = CertificateImport.fromPkcs12(p12, "p12pass".toCharArray(), NOW,
                CertificateImport.Validity.ENFORCE);
        assertThat(c.chain()).hasSize(2);
        assertThat(c.dnsNames()).contains("www.a.test");
        assertFails(() -> CertificateImport.fromPkcs12(p12, "bad".toCharArray(), NOW,
                CertificateImport.Validity.ENFORCE), TlsMessage.PKCS12_UNREADABLE, "check the password");
        ssl.run("openssl", "pkcs12", "-export", "-nokeys", "-in", rsa + ".pem", "-passout", "pass:x", "-out",
                "nokey.p12");
        assertFails(() -> CertificateImport.fromPkcs12(ssl.bytes("nokey.p12"), "x".toCharArray(), NOW,
                CertificateImport.Validity.ENFORCE), TlsMessage.PKCS12_NO_KEY, "no private key entry");
    }

    // Without subject alternative names: a warning, and the common name is used to select it.
    @Test
    void commonNameOnly() throws Exception {
        String cn = ssl.leaf("cn-only.a.test", "inter", "basicConstraints=CA:FALSE\n", "-sha256",
                "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        CertifiedKey c = importPem(ssl.read(cn + ".pem"), ssl.read(cn + ".key"), null);
        assertThat(c.dnsNames()).containsExactly("cn-only.a.test");
        assertThat(c.findings()).extracting(Finding::kind).containsExactly(TlsMessage.NO_SUBJECT_ALT_NAMES);
    }

    // Which host names a certificate covers: exact, one-label wildcard, IP; case and trailing dot ignored.
    @Test
    void coverage() throws Exception {
        CertifiedKey c = importPem(chain, ssl.read(rsa + ".key"), null);
        assertThat(c.covers("www.a.test")).isTrue();
        assertThat(c.covers("API.A.TEST.")).isTrue();
        assertThat(c.covers("a.test")).isFalse();
        assertThat(c.covers("x.y.a.test")).isFalse();
        assertThat(c.covers("192.0.2.10")).isTrue();
        assertThat(c.covers("192.0.2.11")).isFalse();
    }

    private static String readUnchecked(String file) {
        return readUnchecked(ssl, file);
    }

    private static String readUnchecked(Openssl o, String file) {
        return o.read(file);
    }
}
