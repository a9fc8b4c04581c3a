package io.duet.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.duet.config.ConfigValidatorTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The validation of a proposal: the document's rules, then the certificate check on new and changed entries, its
 * findings placed under the entry's path. The check here stands for the tls module's (which config cannot see):
 * it reports what it is given, so the test sees what the validator passes and where it puts the answers.
 */
class ProposalValidatorTest {
    private static final String CERT = "\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n\"";
    private static final String KEY = "\"-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----\\n\"";
    private static final String OTHER_KEY = "\"-----BEGIN PRIVATE KEY-----\\nMIIC\\n-----END PRIVATE KEY-----\\n\"";

    private static DuetConfig doc(String certificates) {
        return yaml("listeners: [{name: web, port: 8443, protocol: https, tls: {certificates: [www, api]}}]\n"
                + "certificates:\n" + certificates + """
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes: [{name: r, pool: p}]
                pools: [{name: p, servers: [{address: 10.0.0.1, port: 80}]}]
                """);
    }

    private static String cert(String name, String key) {
        return "  - {name: " + name + ", certificateChain: " + CERT + ", privateKey: " + key + "}\n";
    }

    /** A check that refuses the key of every entry it is given and records what it was given. */
    private static final class Recording implements CertificateCheck {
        final List<String> calls = new ArrayList<>();

        @Override
        public List<Violation> check(TlsCertificate proposed, TlsCertificate committed) {
            calls.add(proposed.name() + (committed == null ? " new" : " was " + committed.name()));
            return List.of(Violation.error("privateKey", "DUET-TLS-0006", "privateKey: the private key belongs to "
                    + "none of the certificates"), Violation.warning("certificateChain", "DUET-TLS-0018",
                    "certificateChain: the chain was given in another order"));
        }
    }

    // A finding of the check lands under its entry's path with its own id; errors first; the document is refused.
    @Test
    void findingsCarryTheEntryPathAndId() {
        Recording check = new Recording();
        DuetConfig proposed = doc(cert("www", KEY) + cert("api", KEY));
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> new ProposalValidator(check).requireValid(proposed, null));
        assertThat(e).isNotNull();
        assertThat(e.violations()).extracting(Violation::toString).containsExactly(
                "DUET-TLS-0006 $.certificates[0].privateKey: privateKey: the private key belongs to none of the "
                        + "certificates",
                "DUET-TLS-0006 $.certificates[1].privateKey: privateKey: the private key belongs to none of the "
                        + "certificates",
                "DUET-TLS-0018 $.certificates[0].certificateChain: certificateChain: the chain was given in another "
                        + "order (warning)",
                "DUET-TLS-0018 $.certificates[1].certificateChain: certificateChain: the chain was given in another "
                        + "order (warning)");
        assertThat(check.calls).containsExactly("www new", "api new");
    }

    // An entry equal to the committed one is not checked again; a changed one is checked with the committed one.
    @Test
    void onlyNewAndChangedEntriesAreChecked() {
        Recording check = new Recording();
        DuetConfig inForce = doc(cert("www", KEY) + cert("api", KEY));
        DuetConfig proposed = doc(cert("www", KEY) + cert("api", OTHER_KEY));
        List<Violation> v = new ProposalValidator(check).validate(proposed, inForce);
        assertThat(check.calls).containsExactly("api was api");
        assertThat(v).extracting(Violation::path).containsExactly("$.certificates[1].privateKey",
                "$.certificates[1].certificateChain");
    }

    // An entry that already breaks the document's rules (no PEM key) gets that violation only: the check never sees
    // it.
    @Test
    void framingErrorsComeFirstAndAlone() {
        Recording check = new Recording();
        DuetConfig proposed = doc(cert("www", "\"not a key\"") + cert("api", KEY));
        List<Violation> v = new ProposalValidator(check).validate(proposed, null);
        assertThat(check.calls).containsExactly("api new");
        assertThat(v.get(0).toString()).startsWith("DUET-CONFIG-0175 $.certificates[0].privateKey:");
        assertThat(v).extracting(Violation::path).doesNotContain("$.certificates[0].certificateChain");
    }

    // A check that throws refuses the document with DUET-CONFIG-0300 on the entry, not with an exception.
    @Test
    void aFailingCheckRefusesTheDocument() {
        CertificateCheck broken = (proposed, committed) -> {
            throw new IllegalStateException("boom");
        };
        List<Violation> v = new ProposalValidator(broken).validate(doc(cert("www", KEY) + cert("api", KEY)), null);
        assertThat(v).extracting(Violation::toString).contains(
                "DUET-CONFIG-0300 $.certificates[0]: certificate 'www': its material could not be checked "
                        + "(java.lang.IllegalStateException: boom), so nothing was committed (a bug: report it with "
                        + "this message)");
    }

    // Without a material check, a proposal is judged by the document's rules alone.
    @Test
    void documentOnlyIsTheValidatorAlone() {
        DuetConfig proposed = doc(cert("www", KEY) + cert("api", KEY));
        assertThat(ProposalValidator.DOCUMENT_ONLY.validate(proposed, null))
                .isEqualTo(ConfigValidator.validate(proposed)).isEmpty();
    }
}
