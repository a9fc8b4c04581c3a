package io.duet.admin.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.admin.api.ApiError;
import io.duet.admin.api.Http;
import io.duet.admin.api.Request;
import io.duet.admin.change.Change;
import io.duet.admin.message.AdminMessage;
import io.duet.config.TlsCertificate;
import io.duet.config.Violation;
import io.duet.config.store.ConfigStore;
import io.duet.tls.CertificateImport;
import io.duet.tls.CertifiedKey;
import io.duet.tls.Finding;
import io.duet.tls.Pem;
import io.duet.tls.TlsMaterialException;
import io.undertow.server.HttpServerExchange;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The certificates of the document: list them with what an operator needs (names, validity, days left; never a
 * key), add, replace and remove them. Material is checked before it is committed. Thread-safe.
 */
final class CertificateService {
    private final ConfigStore store;
    private final Committer committer;
    private final Clock clock;

    CertificateService(ConfigStore store, Committer committer, Clock clock) {
        this.store = store;
        this.committer = committer;
        this.clock = clock;
    }

    void list(Request r) throws Exception {
        ArrayNode out = Http.JSON.createArrayNode();
        long now = clock.millis();
        for (TlsCertificate t : store.current().certificates()) {
            if (t == null) {
                continue;
            }
            ObjectNode o = out.addObject().put("name", t.name()).put("sealed",
                    t.privateKey() != null && t.privateKey().startsWith("duet-sealed:"));
            try {
                X509Certificate leaf = CertificateImport.readCertificates(t.certificateChain()).get(0);
                o.put("subject", leaf.getSubjectX500Principal().getName());
                o.put("issuer", leaf.getIssuerX500Principal().getName());
                o.put("notAfter", leaf.getNotAfter().toInstant().toString());
                long days = CertificateValidity.daysLeft(leaf, now);
                o.put("daysLeft", days);
                o.put("status", CertificateValidity.status(days));
                ArrayNode names = o.putArray("names");
                if (leaf.getSubjectAlternativeNames() != null) {
                    for (List<?> san : leaf.getSubjectAlternativeNames()) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            } catch (RuntimeException | CertificateParsingException e) {
                o.put("status", "unreadable");
            }
        }
        Http.send(r.exchange(), 200, out);
    }

    void add(Request r) throws Exception {
        put(r, null);
    }

    void replace(Request r) throws Exception {
        put(r, r.param("name"));
    }

    void delete(Request r) throws Exception {
        committer.targeted(r, new Change.DeleteCertificate(r.param("name")));
        Http.noContent(r.exchange());
    }

    /**
     * Adds ({@code replace} null) or replaces a certificate from PEM (chain and key, with the passphrase of an
     * encrypted key) or PKCS#12 (base64, with its passphrase). The material is checked first (key match, chain,
     * validity, strength); every finding comes back with its field. The node seals the key when the revision is
     * committed; no answer ever contains it.
     */
    private void put(Request r, String replace) throws Exception {
        HttpServerExchange ex = r.exchange();
        JsonNode body = Http.body(ex);
        String name = replace != null ? replace : Http.text(body, "name");
        String chain = Http.optionalText(body, "certificateChain");
        String key = Http.optionalText(body, "privateKey");
        String pkcs12 = Http.optionalText(body, "pkcs12");
        String pass = Http.optionalText(body, "passphrase");
        CertifiedKey checked = check(chain, key, pkcs12, pass);
        // PKCS#12 is unpacked here (chain leaf first, key as PKCS#8), so the document holds one form only.
        TlsCertificate cert = pkcs12 != null
                ? new TlsCertificate(name, Pem.certificates(checked.chain()), "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(checked.key().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n")
                : new TlsCertificate(name, chain, key, pass, null);
        Committer.Committed c = committer.targeted(r, new Change.PutCertificate(cert, replace != null,
                checked.subject(), checked.notAfter()));
        Http.send(ex, replace != null ? 200 : 201, Http.JSON.createObjectNode().put("name", name)
                .put("subject", checked.subject()).put("notAfter", checked.notAfter().toString())
                .put("revision", c.revision()));
    }

    private CertifiedKey check(String chain, String key, String pkcs12, String pass) throws ApiError {
        try {
            if (pkcs12 != null) {
                return CertificateImport.fromPkcs12(Base64.getMimeDecoder().decode(pkcs12),
                        pass == null ? null : pass.toCharArray(), clock, CertificateImport.Validity.ENFORCE);
            } else if (chain != null && key != null) {
                return CertificateImport.check(CertificateImport.readCertificates(chain),
                        CertificateImport.readPrivateKey(key, pass == null ? null : pass.toCharArray()),
                        clock, CertificateImport.Validity.ENFORCE);
            }
            throw new ApiError(422, AdminMessage.CERTIFICATE_MATERIAL, "expected certificateChain and privateKey "
                    + "(PEM), or pkcs12 (base64), each with passphrase when encrypted", List.of(Violation.error(
                    "$.certificateChain", AdminMessage.CERTIFICATE_MATERIAL.id(), "certificateChain: missing (or give "
                            + "pkcs12)")));
        } catch (TlsMaterialException e) {
            List<Violation> v = new ArrayList<>();
            for (Finding f : e.findings()) {
                if (f.isError()) {
                    v.add(Violation.error(pkcs12 != null ? "$.pkcs12" : f.message().toLowerCase(Locale.ROOT)
                            .contains("key") ? "$.privateKey" : "$.certificateChain", f.kind().id(), f.message()));
                }
            }
            throw new ApiError(422, AdminMessage.CERTIFICATE_MATERIAL, "the certificate material is not usable: "
                    + e.getMessage(), v);
        } catch (IllegalArgumentException e) {
            throw new ApiError(422, AdminMessage.CERTIFICATE_MATERIAL, "pkcs12: not base64", List.of(
                    Violation.error("$.pkcs12", AdminMessage.CERTIFICATE_MATERIAL.id(), "pkcs12: not base64")));
        }
    }
}
