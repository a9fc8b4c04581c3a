package io.duet.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.duet.config.ConfigValidatorTest.e;
import static io.duet.config.ConfigValidatorTest.errors;
import static io.duet.config.ConfigValidatorTest.warnings;
import static io.duet.config.ConfigValidatorTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

class TlsValidationTest {
    private static final String CERT = "\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n\"";
    private static final String KEY = "\"-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----\\n\"";
    private static final String REST = """
            virtualHosts:
              - name: v
                defaultHost: true
                routes: [{name: r, pool: p}]
            pools: [{name: p, servers: [{address: 10.0.0.1, port: 80}]}]
            """;

    private static String cert(String name) {
        return "  - {name: " + name + ", certificateChain: " + CERT + ", privateKey: " + KEY + "}\n";
    }

    // A full https listener (two certificates, default, modern profile, no h2, HSTS preload) is valid and clean.
    @Test
    void fullHttpsListenerIsClean() {
        DuetConfig d = yaml("""
                listeners:
                  - name: web
                    port: 8443
                    protocol: https
                    tls:
                      certificates: [www, api]
                      defaultCertificate: api
                      profile: modern
                      http2: false
                      hsts: {enabled: true, maxAgeSeconds: 63072000, includeSubDomains: true, preload: true}
                certificates:
                """ + cert("www") + cert("api") + REST);
        assertThat(ConfigValidator.validate(d)).isEmpty();
        ListenerTls tls = d.listeners().get(0).tls();
        assertThat(tls.effectiveDefault()).isEqualTo("api");
        assertThat(tls.hsts().headerValue()).isEqualTo("max-age=63072000; includeSubDomains; preload");
        assertThat(d.certificate("www").toString()).doesNotContain("PRIVATE");
    }

    // Defaults: profile intermediate, HTTP/2 on, HSTS off, the first certificate is the default.
    @Test
    void defaults() {
        DuetConfig d = yaml("listeners: [{name: web, port: 8443, protocol: https, tls: {certificates: [www]}}]\n"
                + "certificates:\n" + cert("www") + REST);
        ListenerTls tls = d.listeners().get(0).tls();
        assertThat(tls.profile()).isEqualTo("intermediate");
        assertThat(tls.http2()).isTrue();
        assertThat(tls.hsts().enabled()).isFalse();
        assertThat(tls.effectiveDefault()).isEqualTo("www");
        assertThat(ConfigValidator.validate(d)).isEmpty();
    }

    // Every TLS rule reports its path and id: missing/unknown/duplicate certificates, default, profile, HSTS, PEM.
    @Test
    void tlsRules() {
        List<Violation> v = errors("""
                listeners:
                  - {name: a, port: 1, protocol: https}
                  - {name: b, port: 2, protocol: https, tls: {certificates: []}}
                  - name: c
                    port: 3
                    protocol: https
                    tls:
                      certificates: [www, nope, www, null]
                      defaultCertificate: other
                      profile: old
                      hsts: {enabled: true, maxAgeSeconds: 99999999, preload: true}
                certificates:
                """ + cert("www") + cert("www") + """
                  - {name: bad, certificateChain: "hello", privateKey: "hello"}
                  - {name: empty}
                  - null
                """ + "  - {name: enc, certificateChain: " + CERT
                + ", privateKey: \"-----BEGIN ENCRYPTED PRIVATE KEY-----\\nx\\n-----END ENCRYPTED PRIVATE KEY-----\"}\n"
                + """
                  - {name: both, pkcs12: "MIIB", privateKey: "x"}
                  - {name: p12, pkcs12: "@@not base64@@"}
                """ + REST);
        assertThat(v).extracting(Violation::path, Violation::id).containsExactly(
                e("$.listeners[2].tls.certificates[1]", 171),
                e("$.listeners[2].tls.certificates[2]", 13),
                e("$.listeners[2].tls.certificates[3]", 10),
                e("$.listeners[2].tls.defaultCertificate", 172),
                e("$.listeners[2].tls.profile", 14),
                e("$.listeners[2].tls.hsts.maxAgeSeconds", 12),
                e("$.listeners[2].tls.hsts.preload", 176),
                e("$.certificates[1].name", 13),
                e("$.certificates[2].certificateChain", 174),
                e("$.certificates[2].privateKey", 175),
                e("$.certificates[3].certificateChain", 11),
                e("$.certificates[3].privateKey", 11),
                e("$.certificates[4]", 10),
                e("$.certificates[5].passphrase", 178),
                e("$.certificates[6].pkcs12", 179),
                e("$.certificates[7].pkcs12", 179));
        assertThat(v).extracting(Violation::message).contains(
                "certificates[1]: unknown certificate 'nope' (known: www, www, bad, empty, enc, both, p12)",
                "defaultCertificate: 'other' is not one of this listener's certificates (expected one of: www, nope, www)",
                "profile: 'old' (expected one of: intermediate, modern)");
    }

    // An https listener without certificates serves the node's self-signed one: a warning, not an error.
    @Test
    void httpsWithoutCertificateIsAWarning() {
        String doc = "listeners: [{name: a, port: 1, protocol: https}, {name: b, port: 2, protocol: https, "
                + "tls: {certificates: []}}]\n" + REST;
        assertThat(errors(doc)).isEmpty();
        assertThat(warnings(doc)).extracting(Violation::path, Violation::id).containsExactly(
                e("$.listeners[0].tls.certificates", 170), e("$.listeners[1].tls.certificates", 170));
        assertThat(warnings(doc).get(0).message()).contains("serves this node's self-signed certificate");
    }

    // Keys in every PEM form and sealed keys pass the framing check; a PKCS#12 entry alone is complete.
    @Test
    void keyFormsAccepted() {
        String doc = "listeners: [{name: web, port: 8443, protocol: https, tls: {certificates: [a, b, c, d, e]}}]\n"
                + "certificates:\n"
                + "  - {name: a, certificateChain: " + CERT + ", privateKey: \"-----BEGIN RSA PRIVATE KEY-----\\nx\\n-----END RSA PRIVATE KEY-----\"}\n"
                + "  - {name: b, certificateChain: " + CERT + ", privateKey: \"-----BEGIN EC PRIVATE KEY-----\\nx\\n-----END EC PRIVATE KEY-----\"}\n"
                + "  - {name: c, certificateChain: " + CERT + ", privateKey: \"-----BEGIN ENCRYPTED PRIVATE KEY-----\\nx\\n-----END ENCRYPTED PRIVATE KEY-----\", passphrase: pw}\n"
                + "  - {name: d, certificateChain: " + CERT + ", privateKey: \"duet-sealed:v1:0011223344556677:AAAA\"}\n"
                + "  - {name: e, pkcs12: \"MIIKAA==\", passphrase: pw}\n" + REST;
        assertThat(errors(doc)).isEmpty();
    }

    // clientAuth: a mode from the list, a PEM CA bundle unless none, a header name.
    @Test
    void clientAuthRules() {
        String base = "listeners:\n";
        List<Violation> v = errors(base
                + "  - {name: a, port: 1, protocol: https, tls: {clientAuth: {mode: sometimes}}}\n"
                + "  - {name: b, port: 2, protocol: https, tls: {clientAuth: {mode: required}}}\n"
                + "  - {name: c, port: 3, protocol: https, tls: {clientAuth: {mode: optional, caBundle: nope, "
                + "subjectHeader: \"bad header\"}}}\n"
                + "  - {name: d, port: 4, protocol: https, tls: {clientAuth: {mode: required, caBundle: " + CERT
                + "}}}\n" + REST);
        assertThat(v).extracting(Violation::path, Violation::id).containsExactly(
                e("$.listeners[0].tls.clientAuth.mode", 14),
                e("$.listeners[1].tls.clientAuth.caBundle", 180),
                e("$.listeners[2].tls.clientAuth.caBundle", 180),
                e("$.listeners[2].tls.clientAuth.subjectHeader", 18));
        DuetConfig d = yaml(base + "  - {name: d, port: 4, protocol: https}\n" + REST);
        assertThat(d.listeners().get(0).tls().clientAuth().mode()).isEqualTo("none");
        assertThat(d.listeners().get(0).tls().clientAuth().subjectHeader()).isEqualTo("X-Client-Cert-Subject");
    }

    // engine: jsse (default) or openssl; openssl serves exactly one certificate.
    @Test
    void engineRules() {
        List<Violation> v = errors("listeners:\n"
                + "  - {name: a, port: 1, protocol: https, tls: {certificates: [www], engine: boringssl}}\n"
                + "  - {name: b, port: 2, protocol: https, tls: {certificates: [www, api], engine: openssl}}\n"
                + "  - {name: c, port: 3, protocol: https, tls: {engine: openssl}}\n"
                + "certificates:\n" + cert("www") + cert("api") + REST);
        assertThat(v).extracting(Violation::path, Violation::id).containsExactly(
                e("$.listeners[0].tls.engine", 14), e("$.listeners[1].tls.engine", 182),
                e("$.listeners[2].tls.engine", 182));
        assertThat(yaml("listeners: [{name: a, port: 1, protocol: https}]\n" + REST).listeners().get(0).tls()
                .engine()).isEqualTo("jsse");
    }

    // tls on an http listener and a certificate no listener uses are warnings, not errors.
    @Test
    void warningsForUnusedTls() {
        String doc = "listeners: [{name: web, port: 8080, tls: {certificates: [www]}}]\ncertificates:\n"
                + cert("www") + REST;
        assertThat(errors(doc)).isEmpty();
        assertThat(warnings(doc)).extracting(Violation::path, Violation::id).containsExactly(
                e("$.listeners[0].tls", 173), e("$.certificates[0]", 177));
    }

    // The document round-trips through the codec with its TLS parts.
    @Test
    void roundTrips() throws Exception {
        DuetConfig d = yaml("listeners: [{name: web, port: 8443, protocol: https, tls: {certificates: [www], "
                + "hsts: {enabled: true}}}]\ncertificates:\n" + cert("www") + REST);
        for (ConfigCodec.Format f : ConfigCodec.Format.values()) {
            assertThat(ConfigCodec.decode(ConfigCodec.encode(d, f), f)).isEqualTo(d);
        }
    }
}
