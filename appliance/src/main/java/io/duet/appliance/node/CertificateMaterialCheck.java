package io.duet.appliance.node;

import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.config.CertificateCheck;
import io.duet.config.ConfigMessage;
import io.duet.config.ProposalValidator;
import io.duet.config.TlsCertificate;
import io.duet.config.Violation;
import io.duet.tls.CertificateMaterial;
import io.duet.tls.Finding;
import io.duet.tls.KeyVault;
import io.duet.tls.TlsMaterialException;
import io.duet.tls.TlsMessage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificate check of this node's proposals: config's {@link CertificateCheck} over the tls module's
 * {@link CertificateMaterial#check}, with the node's data key, so a document is refused before it is committed for
 * what the data plane would refuse when it loads it. Each finding keeps its {@code DUET-TLS} id and names the
 * entry's field ({@code privateKey}, {@code certificateChain}, {@code passphrase}, {@code pkcs12}).
 *
 * <p>Immutable; any non-I/O thread (an RSA key check costs about a millisecond).
 */
public final class CertificateMaterialCheck implements CertificateCheck {
    private final KeyVault vault;
    /** Why the data key could not be opened (a tool run without access to it); null when there is a vault. */
    private final TlsMaterialException vaultProblem;
    private final Clock clock;

    private CertificateMaterialCheck(KeyVault vault, TlsMaterialException vaultProblem, Clock clock) {
        this.vault = vault;
        this.vaultProblem = vaultProblem;
        this.clock = clock;
    }

    /** The validator of a running node: sealed keys are opened with its vault. */
    static ProposalValidator validator(KeyVault vault, Clock clock) {
        return new ProposalValidator(new CertificateMaterialCheck(vault, null, clock));
    }

    /**
     * The validator of a command run on a node ({@code duet config import}, {@code admin reset-password}): the
     * node's data key {@code <data.dir>/keys/data.key} when it exists (never created here). When it is missing or
     * cannot be read, a new or changed sealed key is an error saying so ({@code DUET-TLS-0022}).
     */
    public static ProposalValidator forTools(NodeBootstrap b, Clock clock) {
        Path dir = b.dataDir().resolve("keys");
        Path file = dir.resolve(KeyVault.FILE_NAME);
        if (!Files.exists(file)) {
            return new ProposalValidator(new CertificateMaterialCheck(null, TlsMessage.DATA_KEY_UNUSABLE.exception(
                    file, "it does not exist (run the command on a node of the cluster, as the user of the service)"),
                    clock));
        }
        try {
            return validator(KeyVault.open(dir), clock);
        } catch (TlsMaterialException e) {
            return new ProposalValidator(new CertificateMaterialCheck(null, e, clock));
        }
    }

    /**
     * The validator of {@code duet check}, which reads no bootstrap and holds no data key: every entry is new, and a
     * sealed key is not opened ({@code DUET-CONFIG-0301}, a warning).
     */
    public static ProposalValidator withoutDataKey(Clock clock) {
        return new ProposalValidator(new CertificateMaterialCheck(null, null, clock));
    }

    @Override
    public List<Violation> check(TlsCertificate proposed, TlsCertificate committed) {
        List<Violation> out = new ArrayList<>();
        if (proposed.pkcs12() == null && KeyVault.isSealed(proposed.privateKey()) && vault == null) {
            if (vaultProblem == null) {
                out.add(ConfigMessage.SEALED_KEY_NOT_OPENED.at(CertificateMaterial.KEY));
            } else {
                vaultProblem.findings().forEach(f -> out.add(violation(CertificateMaterial.KEY, f)));
            }
        }
        for (CertificateMaterial.FieldFinding f : CertificateMaterial.check(entry(proposed),
                committed == null ? null : entry(committed), vault, clock)) {
            out.add(violation(f.field(), f.finding()));
        }
        return out;
    }

    private static CertificateMaterial.Entry entry(TlsCertificate c) {
        return new CertificateMaterial.Entry(c.certificateChain(), c.privateKey(), c.passphrase(), c.pkcs12());
    }

    /** {@code privateKey: the private key belongs to none ...} with the finding's id; notes count as warnings. */
    private static Violation violation(String field, Finding f) {
        String text = f.message().startsWith(f.kind().id() + " ")
                ? f.message().substring(f.kind().id().length() + 1) : f.message();
        String message = field + ": " + text;
        return f.isError() ? Violation.error(field, f.kind().id(), message)
                : Violation.warning(field, f.kind().id(), message);
    }
}
