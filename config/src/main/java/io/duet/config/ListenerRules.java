package io.duet.config;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static io.duet.config.ValidationRun.isToken;

/**
 * The rules of listeners: names, binds, protocol, TLS settings (certificates, profile, engine, client
 * authentication, HSTS) and the PROXY protocol.
 * Pure; any thread (the {@link ValidationRun} it is given is the caller's alone).
 */
final class ListenerRules {
    private ListenerRules() {
    }

    static void listeners(ValidationRun run, DuetConfig d, Set<String> usedCertificates) {
        List<Listener> listeners = d.listeners();
        if (listeners.isEmpty()) {
            run.add(ConfigMessage.NO_LISTENER.at("$.listeners"));
        }
        Map<String, String> names = new HashMap<>();
        Map<String, Integer> binds = new HashMap<>();
        for (int i = 0; i < listeners.size(); i++) {
            String p = "$.listeners[" + i + "]";
            Listener l = listeners.get(i);
            if (l == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(p, "listeners[" + i + "]", "a listener"));
                continue;
            }
            run.uniqueName(p, l.name(), names, "listener names");
            boolean addressOk = run.address(p + ".address", "address", l.address());
            boolean portOk = false;
            if (l.port() == null) {
                run.add(ConfigMessage.MISSING.at(p + ".port", "port", "0-65535"));
            } else if (l.port() < 0 || l.port() > 65535) {
                run.add(ConfigMessage.OUT_OF_RANGE.at(p + ".port", "port", l.port(), "0-65535"));
            } else {
                portOk = true;
            }
            if (addressOk && portOk && l.port() != 0) {
                String key = bindKey(l.address()) + " " + l.port();
                Integer other = binds.putIfAbsent(key, i);
                if (other != null) {
                    Listener first = listeners.get(other);
                    run.add(ConfigMessage.LISTENER_CONFLICT.at(p + ".port", String.valueOf(l.name()), l.address(),
                            l.port(), String.valueOf(first.name())));
                }
            }
            if ("https".equals(l.protocol())) {
                listenerTls(run, p, l, d, usedCertificates);
            } else if (!"http".equals(l.protocol())) {
                run.add(ConfigMessage.NOT_ONE_OF.at(p + ".protocol", "protocol", l.protocol(), "http, https"));
            } else if (l.tls() != null) {
                run.add(ConfigMessage.TLS_ON_HTTP.at(p + ".tls"));
            }
            ProxyProtocol pp = l.proxyProtocol();
            run.cidrs(p + ".proxyProtocol.trustedAddresses", "trustedAddresses", pp.trustedAddresses());
            if (pp.enabled() && pp.trustedAddresses().stream().noneMatch(Objects::nonNull)) {
                run.add(ConfigMessage.PROXY_PROTOCOL_UNTRUSTED.at(p + ".proxyProtocol.trustedAddresses"));
            }
        }
    }

    private static void listenerTls(ValidationRun run, String p, Listener l, DuetConfig d,
                                    Set<String> usedCertificates) {
        ListenerTls tls = l.tls();
        if (tls == null) {
            return; // not reachable: https listeners always have tls (defaults)
        }
        String tp = p + ".tls";
        if (tls.certificates().isEmpty()) {
            run.add(ConfigMessage.TLS_NO_CERTIFICATE.at(tp + ".certificates", String.valueOf(l.name())));
        }
        List<String> known = d.certificates().stream().filter(Objects::nonNull).map(TlsCertificate::name)
                .filter(Objects::nonNull).collect(Collectors.toList());
        Map<String, String> seen = new HashMap<>();
        for (int j = 0; j < tls.certificates().size(); j++) {
            String cp = tp + ".certificates[" + j + "]";
            String n = tls.certificates().get(j);
            if (n == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(cp, "certificates[" + j + "]", "a certificate name"));
                continue;
            }
            String other = seen.putIfAbsent(n, cp);
            if (other != null) {
                run.add(ConfigMessage.DUPLICATE_NAME.at(cp, "certificates[" + j + "]", n, other,
                        "certificate names within a listener"));
            } else if (!known.contains(n)) {
                run.add(ConfigMessage.UNKNOWN_CERTIFICATE.at(cp, "certificates[" + j + "]", n,
                        known.isEmpty() ? "none" : String.join(", ", known)));
            }
            usedCertificates.add(n);
        }
        if (tls.defaultCertificate() != null && !tls.certificates().contains(tls.defaultCertificate())) {
            run.add(ConfigMessage.DEFAULT_CERTIFICATE_NOT_LISTED.at(tp + ".defaultCertificate",
                    tls.defaultCertificate(), tls.certificates().stream().filter(Objects::nonNull)
                            .collect(Collectors.joining(", "))));
        }
        if (!ListenerTls.PROFILES.contains(tls.profile())) {
            run.add(ConfigMessage.NOT_ONE_OF.at(tp + ".profile", "profile", tls.profile(),
                    String.join(", ", ListenerTls.PROFILES)));
        }
        if (!ListenerTls.ENGINES.contains(tls.engine())) {
            run.add(ConfigMessage.NOT_ONE_OF.at(tp + ".engine", "engine", tls.engine(),
                    String.join(", ", ListenerTls.ENGINES)));
        } else if (ListenerTls.OPENSSL.equals(tls.engine()) && tls.certificates().size() != 1) {
            run.add(ConfigMessage.OPENSSL_ONE_CERTIFICATE.at(tp + ".engine", tls.certificates().size()));
        }
        ClientAuth ca = tls.clientAuth();
        if (!ClientAuth.MODES.contains(ca.mode())) {
            run.add(ConfigMessage.NOT_ONE_OF.at(tp + ".clientAuth.mode", "mode", ca.mode(),
                    String.join(", ", ClientAuth.MODES)));
        } else if (ca.enabled()) {
            if (ca.caBundle() == null || ca.caBundle().isBlank()) {
                run.add(ConfigMessage.CLIENT_CA_MISSING.at(tp + ".clientAuth.caBundle", "missing"));
            } else if (!ca.caBundle().contains("-----BEGIN CERTIFICATE-----")) {
                run.add(ConfigMessage.CLIENT_CA_MISSING.at(tp + ".clientAuth.caBundle", "not PEM certificates"));
            }
        }
        if (!isToken(ca.subjectHeader())) {
            run.add(ConfigMessage.INVALID_TOKEN.at(tp + ".clientAuth.subjectHeader", "subjectHeader",
                    ca.subjectHeader(), "a header name such as X-Client-Cert-Subject"));
        }
        Hsts h = tls.hsts();
        run.range(tp + ".hsts.maxAgeSeconds", "maxAgeSeconds", h.maxAgeSeconds(), 0, Hsts.MAX_MAX_AGE_SECONDS,
                "0-63072000 (2 years)");
        if (h.preload() && (!h.includeSubDomains() || h.maxAgeSeconds() < Hsts.DEFAULT_MAX_AGE_SECONDS)) {
            run.add(ConfigMessage.HSTS_PRELOAD.at(tp + ".hsts.preload"));
        }
    }

    private static String bindKey(String address) {
        Optional<InetAddress> ip = CidrBlock.parseIpLiteral(address);
        return ip.map(InetAddress::getHostAddress).orElse(address.toLowerCase(Locale.ROOT));
    }
}
