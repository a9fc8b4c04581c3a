package io.duet.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of the document's certificate entries: PEM chain and key or PKCS#12, passphrase, and a warning for
 * an entry no listener uses. The material itself is checked by {@link CertificateCheck}.
 * Pure; any thread (the {@link ValidationRun} it is given is the caller's alone).
 */
final class CertificateRules {
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\\s\\S]+-----END (RSA |EC |ENCRYPTED )?PRIVATE KEY-----");

    private CertificateRules() {
    }

    static void certificates(ValidationRun run, List<TlsCertificate> certificates, Set<String> used) {
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < certificates.size(); i++) {
            String p = "$.certificates[" + i + "]";
            TlsCertificate c = certificates.get(i);
            if (c == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(p, "certificates[" + i + "]", "a certificate"));
                continue;
            }
            run.uniqueName(p, c.name(), names, "certificate names");
            if (c.pkcs12() != null) {
                if (c.certificateChain() != null || c.privateKey() != null) {
                    run.add(ConfigMessage.PKCS12_CONFLICT.at(p + ".pkcs12", "pkcs12: given together with "
                            + (c.certificateChain() != null ? "certificateChain" : "privateKey")));
                } else if (!base64(c.pkcs12())) {
                    run.add(ConfigMessage.PKCS12_CONFLICT.at(p + ".pkcs12", "pkcs12: not base64"));
                }
            } else {
                certificateAndKey(run, p, c);
            }
            if (c.name() != null && !c.name().isBlank() && !used.contains(c.name())) {
                run.add(ConfigMessage.UNUSED_CERTIFICATE.at(p, c.name()));
            }
        }
    }

    private static void certificateAndKey(ValidationRun run, String p, TlsCertificate c) {
        if (c.certificateChain() == null || c.certificateChain().isBlank()) {
            run.add(ConfigMessage.MISSING.at(p + ".certificateChain", "certificateChain",
                    "the PEM certificate chain, leaf first"));
        } else if (!c.certificateChain().contains("-----BEGIN CERTIFICATE-----")
                || !c.certificateChain().contains("-----END CERTIFICATE-----")) {
            run.add(ConfigMessage.NOT_PEM_CERTIFICATE.at(p + ".certificateChain"));
        }
        String key = c.privateKey();
        if (key == null || key.isBlank()) {
            run.add(ConfigMessage.MISSING.at(p + ".privateKey", "privateKey", "the PEM private key"));
        } else if (!key.startsWith("duet-sealed:v1:") && !PEM_KEY.matcher(key).find()) {
            run.add(ConfigMessage.NOT_PEM_KEY.at(p + ".privateKey"));
        } else if ((key.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || key.contains("Proc-Type: 4,ENCRYPTED"))
                && (c.passphrase() == null || c.passphrase().isEmpty())) {
            run.add(ConfigMessage.KEY_NEEDS_PASSPHRASE.at(p + ".passphrase"));
        }
    }

    private static boolean base64(String s) {
        try {
            return java.util.Base64.getMimeDecoder().decode(s).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
