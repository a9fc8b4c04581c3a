package io.duet.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One certificate entry as a node loads it, in the tls module's own terms (it knows nothing of the configuration
 * document): a PEM chain in any order with its private key (sealed under the node's data key, or PEM in any form
 * with its passphrase), or a PKCS#12 file with its passphrase. The data plane loads committed entries with
 * {@link #load}; every path that proposes a document checks new and changed entries with {@link #check} first, so
 * both judge the same material the same way. Every finding names the field it concerns.
 *
 * <p>Pure apart from opening sealed keys with the vault; any non-I/O thread (an RSA key check costs about a
 * millisecond).
 */
public final class CertificateMaterial {
    /** The field of the chain: PEM certificates. */
    public static final String CHAIN = "certificateChain";
    /** The field of the private key: PEM, or sealed ({@link KeyVault#PREFIX}). */
    public static final String KEY = "privateKey";
    /** The field of the passphrase of an encrypted PEM key or of a PKCS#12 file. */
    public static final String PASSPHRASE = "passphrase";
    /** The field of a PKCS#12 file (base64). */
    public static final String PKCS12 = "pkcs12";

    private CertificateMaterial() {
    }

    /**
     * The material of one entry, as the document holds it; any value may be null.
     *
     * @param pkcs12 base64 of a PKCS#12 file; when given, the chain and key fields are not read
     */
    public record Entry(String certificateChain, String privateKey, String passphrase, String pkcs12) {
        @Override
        public String toString() {
            return "Entry[(material hidden)]"; // never print key material or passphrases
        }
    }

    /**
     * One finding and the field of the entry it concerns.
     *
     * @param field {@link #CHAIN}, {@link #KEY}, {@link #PASSPHRASE} or {@link #PKCS12}
     */
    public record FieldFinding(String field, Finding finding) {
    }

    /**
     * What loading an entry gave.
     *
     * @param key      the checked chain and key; null when an error was found, or when a sealed key was not opened
     *                 (no vault)
     * @param findings every finding, errors first
     */
    public record Loaded(CertifiedKey key, List<FieldFinding> findings) {
        public Loaded {
            findings = List.copyOf(findings);
        }

        /** The errors' messages joined with {@code "; "} (empty when there is none). */
        public String errors() {
            StringBuilder b = new StringBuilder();
            for (FieldFinding f : findings) {
                if (f.finding().isError()) {
                    b.append(b.length() == 0 ? "" : "; ").append(f.finding().message());
                }
            }
            return b.toString();
        }
    }

    /**
     * Loads an entry: reads the chain and the key independently (so a broken chain and a wrong passphrase are both
     * reported), then checks them together ({@link CertificateImport#check}: key match, chain order and links,
     * validity, strength, names).
     *
     * @param vault    opens a sealed key; null: a sealed key is not opened, only the chain is read
     * @param validity {@link CertificateImport.Validity#WARN} for a committed document (the data plane),
     *                 {@code ENFORCE} for new material
     */
    public static Loaded load(Entry entry, KeyVault vault, Clock clock, CertificateImport.Validity validity) {
        List<FieldFinding> findings = new ArrayList<>();
        if (entry.pkcs12() != null) {
            return pkcs12(entry, clock, validity, findings);
        }
        List<X509Certificate> certificates = null;
        try {
            certificates = CertificateImport.readCertificates(entry.certificateChain());
        } catch (TlsMaterialException e) {
            add(findings, CHAIN, e.findings());
        }
        PrivateKey key = null;
        try {
            if (KeyVault.isSealed(entry.privateKey())) {
                key = vault == null ? null : vault.open(entry.privateKey());
            } else {
                key = CertificateImport.readPrivateKey(entry.privateKey(), chars(entry.passphrase()));
            }
        } catch (TlsMaterialException e) {
            for (Finding f : e.findings()) {
                boolean passphrase = f.kind() == TlsMessage.PASSPHRASE_REQUIRED
                        || f.kind() == TlsMessage.WRONG_PASSPHRASE;
                findings.add(new FieldFinding(passphrase ? PASSPHRASE : KEY, f));
            }
        }
        if (certificates == null || key == null) {
            return new Loaded(null, errorsFirst(findings));
        }
        try {
            CertifiedKey checked = CertificateImport.check(certificates, key, clock, validity);
            findings.addAll(pemFields(checked.findings()));
            return new Loaded(checked, errorsFirst(findings));
        } catch (TlsMaterialException e) {
            findings.addAll(pemFields(e.findings()));
            return new Loaded(null, errorsFirst(findings));
        }
    }

    /**
     * Checks an entry proposed for a commit. Its validity period is enforced (expired or not yet valid is an error)
     * unless every certificate of it was already in the committed entry of the same name: a committed certificate
     * that expired since keeps loading with warnings, as on the data plane (its key being sealed, its chain
     * reordered or its passphrase dropped does not make it new).
     *
     * @param committed the entry of the same name in the document in force; null when there is none
     * @param vault     opens sealed keys; null: sealed keys are not opened
     * @return every finding, errors first; no error means the data plane will load it
     */
    public static List<FieldFinding> check(Entry proposed, Entry committed, KeyVault vault, Clock clock) {
        boolean known = committed != null && sameCertificates(proposed, committed, clock);
        return load(proposed, vault, clock, known ? CertificateImport.Validity.WARN
                : CertificateImport.Validity.ENFORCE).findings();
    }

    private static Loaded pkcs12(Entry entry, Clock clock, CertificateImport.Validity validity,
                                 List<FieldFinding> findings) {
        byte[] file;
        try {
            file = Base64.getMimeDecoder().decode(entry.pkcs12());
        } catch (IllegalArgumentException e) {
            findings.add(new FieldFinding(PKCS12, TlsMessage.PKCS12_UNREADABLE.finding("not base64: "
                    + e.getMessage())));
            return new Loaded(null, findings);
        }
        try {
            CertifiedKey checked = CertificateImport.fromPkcs12(file, chars(entry.passphrase()), clock, validity);
            add(findings, PKCS12, checked.findings());
            return new Loaded(checked, errorsFirst(findings));
        } catch (TlsMaterialException e) {
            add(findings, PKCS12, e.findings());
            return new Loaded(null, errorsFirst(findings));
        }
    }

    /** True when the proposed entry's certificates are all in the committed entry. */
    private static boolean sameCertificates(Entry proposed, Entry committed, Clock clock) {
        List<X509Certificate> now = certificates(proposed, clock);
        return !now.isEmpty() && certificates(committed, clock).containsAll(now);
    }

    /** The certificates of an entry (of its PKCS#12 file too); empty when they do not read. */
    private static List<X509Certificate> certificates(Entry e, Clock clock) {
        try {
            if (e.pkcs12() != null) {
                return CertificateImport.fromPkcs12(Base64.getMimeDecoder().decode(e.pkcs12()),
                        chars(e.passphrase()), clock, CertificateImport.Validity.WARN).chain();
            }
            return CertificateImport.readCertificates(e.certificateChain());
        } catch (TlsMaterialException | IllegalArgumentException ex) {
            return List.of();
        }
    }

    /** The key's own findings (match, strength) concern the key; everything else the chain. */
    private static List<FieldFinding> pemFields(List<Finding> findings) {
        List<FieldFinding> out = new ArrayList<>();
        for (Finding f : findings) {
            boolean key = f.kind() == TlsMessage.KEY_MISMATCH || f.kind() == TlsMessage.WEAK_KEY;
            out.add(new FieldFinding(key ? KEY : CHAIN, f));
        }
        return out;
    }

    private static void add(List<FieldFinding> out, String field, List<Finding> findings) {
        for (Finding f : findings) {
            out.add(new FieldFinding(field, f));
        }
    }

    private static List<FieldFinding> errorsFirst(List<FieldFinding> findings) {
        List<FieldFinding> out = new ArrayList<>();
        findings.stream().filter(f -> f.finding().isError()).forEach(out::add);
        findings.stream().filter(f -> !f.finding().isError()).forEach(out::add);
        return out;
    }

    private static char[] chars(String s) {
        return s == null || s.isEmpty() ? null : s.toCharArray();
    }
}
