package io.duet.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The validation a proposed document goes through before it is committed, on every path (admin API and UI, file
 * edits, {@code duet config import}, the cluster store): the document's own rules ({@link ConfigValidator}) and,
 * for every certificate entry that is new or changed, the material checks the data plane would make
 * ({@link CertificateCheck}). Entries equal to those of the document in force are not checked again: they were
 * checked when they came in, and a certificate committed then expired must not make every later edit fail.
 *
 * <p>Immutable and thread-safe; one instance per node, built by whoever holds the data key and shared by every
 * store and proposer so that no path can skip it. May block briefly (see {@link CertificateCheck}).
 */
public final class ProposalValidator {
    /** The document's own rules only: for tests and tools that hold no data key. */
    public static final ProposalValidator DOCUMENT_ONLY = new ProposalValidator(CertificateCheck.NONE);

    private final CertificateCheck certificates;

    public ProposalValidator(CertificateCheck certificates) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
    }

    /**
     * Every error and warning of {@code proposed} as the successor of {@code inForce}, errors first, each with its
     * JSON path ({@code $.certificates[2].privateKey}) and id. Never throws on a document the records can hold.
     *
     * @param inForce the committed document it replaces; null when there is none (every entry is new)
     */
    public List<Violation> validate(DuetConfig proposed, DuetConfig inForce) {
        List<Violation> document = ConfigValidator.validate(proposed);
        if (proposed == null) {
            return document;
        }
        List<Violation> all = new ArrayList<>(document);
        List<TlsCertificate> entries = proposed.certificates();
        for (int i = 0; i < entries.size(); i++) {
            TlsCertificate entry = entries.get(i);
            String path = "$.certificates[" + i + "]";
            if (entry == null || hasError(document, path)) {
                continue; // its framing is reported already; the material is read once that is right
            }
            TlsCertificate committed = inForce == null || entry.name() == null ? null
                    : inForce.certificate(entry.name());
            if (entry.equals(committed)) {
                continue;
            }
            List<Violation> found;
            try {
                found = certificates.check(entry, committed);
            } catch (RuntimeException e) {
                found = List.of(ConfigMessage.CERTIFICATE_CHECK_FAILED.at("", entry.name(), e.toString()));
            }
            for (Violation v : found) {
                all.add(new Violation(v.path().isEmpty() ? path : path + "." + v.path(), v.id(), v.message(),
                        v.severity()));
            }
        }
        List<Violation> sorted = new ArrayList<>(all.size());
        all.stream().filter(Violation::isError).forEach(sorted::add);
        all.stream().filter(v -> !v.isError()).forEach(sorted::add);
        return List.copyOf(sorted);
    }

    /**
     * {@code proposed} itself when it has no errors (warnings allowed).
     *
     * @throws InvalidConfigException with every violation, errors first; nothing may be committed
     */
    public DuetConfig requireValid(DuetConfig proposed, DuetConfig inForce) throws InvalidConfigException {
        List<Violation> all = validate(proposed, inForce);
        if (all.stream().anyMatch(Violation::isError)) {
            throw new InvalidConfigException(all);
        }
        return proposed;
    }

    private static boolean hasError(List<Violation> violations, String path) {
        for (Violation v : violations) {
            if (v.isError() && (v.path().equals(path) || v.path().startsWith(path + "."))) {
                return true;
            }
        }
        return false;
    }
}
