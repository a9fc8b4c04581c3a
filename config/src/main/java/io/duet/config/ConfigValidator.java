package io.duet.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The one validator of configuration documents, used at every boundary (file import, REST edit, Raft apply).
 * Returns every violation with its JSON path and a stable message id; never stops at the first.
 *
 * <p>Never throws on a document the records can hold: nulls anywhere (null list elements included) are reported
 * as violations. The rules and their ids are listed in config/README.md; the ids live in {@link ConfigMessage}.
 */
public final class ConfigValidator {
    private static final java.util.regex.Pattern PEM_KEY = java.util.regex.Pattern.compile(
            "-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\\s\\S]+-----END (RSA |EC |ENCRYPTED )?PRIVATE KEY-----");
    static final long ONE_DAY_MS = 24L * 60 * 60 * 1000;
    static final long ONE_TIB = 1L << 40;
    static final int ONE_MIB = 1 << 20;

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization");
    private static final Set<String> MANAGED = Set.of("content-length", "host");
    private static final List<Integer> REDIRECT_STATUSES = List.of(301, 302, 303, 307, 308);
    private static final List<String> HEADER_OPS = List.of("set", "add", "remove");
    private static final List<String> ACCESS_LOG_FORMATS = List.of("combined", "json");

    private ConfigValidator() {
    }

    /** Every error and warning in the document, errors first. Pure; any thread. */
    public static List<Violation> validate(DuetConfig config) {
        Checker c = new Checker();
        if (config == null) {
            c.add(ConfigMessage.MISSING.at("$", "document", "a configuration object"));
        } else {
            c.document(config);
        }
        List<Violation> sorted = new ArrayList<>(c.violations.size());
        c.violations.stream().filter(Violation::isError).forEach(sorted::add);
        c.violations.stream().filter(v -> !v.isError()).forEach(sorted::add);
        return List.copyOf(sorted);
    }

    /** The document itself when it has no errors (warnings allowed); otherwise the exception lists them all. */
    public static DuetConfig requireValid(DuetConfig config) throws InvalidConfigException {
        List<Violation> all = validate(config);
        if (all.stream().anyMatch(Violation::isError)) {
            throw new InvalidConfigException(all);
        }
        return config;
    }

    /** One validation run: collects violations in document order. Not thread-safe; one per call. */
    private static final class Checker {
        final List<Violation> violations = new ArrayList<>();

        void add(Violation v) {
            violations.add(v);
        }

        void document(DuetConfig d) {
            if (d.revision() < 0) {
                add(ConfigMessage.OUT_OF_RANGE.at("$.revision", "revision", d.revision(), ">= 0"));
            }
            Set<String> usedCertificates = new HashSet<>();
            listeners(d, usedCertificates);
            vips(d.vips());
            certificates(d.certificates(), usedCertificates);
            limits("$.limits", d.limits());
            forwarding("$.forwarding", d.forwarding());
            accessLog("$.accessLog", d.accessLog());
            Set<String> usedPools = new HashSet<>();
            virtualHosts(d, usedPools);
            pools(d.pools(), usedPools);
            admin(d.admin());
            failover(d.failover());
        }

        // ---- the pair's failover timers (docs/pair-safety.md)

        void failover(Failover f) {
            if (f == null) {
                return; // the defaults
            }
            String p = "$.failover";
            range(p + ".heartbeatMs", "heartbeatMs", f.heartbeatMs(), 50, 1_000, "50-1000 ms");
            range(p + ".leaseMs", "leaseMs", f.leaseMs(), 300, 30_000, "300-30000 ms");
            // The margin holds a hold's own run (100 ms slack, 20 ms guard) and at least 50 ms of gate.
            range(p + ".marginMs", "marginMs", f.marginMs(), 200, 10_000, "200-10000 ms");
            if (f.leaseMs() < 3 * f.heartbeatMs()) {
                add(ConfigMessage.FAILOVER_FEW_HEARTBEATS.at(p + ".leaseMs", f.leaseMs(), f.heartbeatMs()));
            } else if (f.leaseMs() >= 300 && f.leaseMs() < 700) {
                add(ConfigMessage.FAILOVER_SHORT_LEASE.at(p + ".leaseMs", f.leaseMs()));
            }
        }

        // ---- admin users and API tokens

        private static final java.util.regex.Pattern USER_NAME =
                java.util.regex.Pattern.compile("[A-Za-z0-9._@-]{1,64}");
        private static final java.util.regex.Pattern ARGON2ID = java.util.regex.Pattern.compile(
                "\\$argon2id\\$v=19\\$m=\\d+,t=\\d+,p=\\d+\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+");
        private static final java.util.regex.Pattern HEX16 = java.util.regex.Pattern.compile("[0-9a-f]{16}");
        private static final java.util.regex.Pattern HEX64 = java.util.regex.Pattern.compile("[0-9a-f]{64}");

        void admin(Admin a) {
            Map<String, String> names = new HashMap<>();
            boolean anAdmin = false;
            for (int i = 0; i < a.users().size(); i++) {
                String p = "$.admin.users[" + i + "]";
                AdminUser u = a.users().get(i);
                if (u == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(p, "users[" + i + "]", "a user"));
                    continue;
                }
                if (u.name() == null || !USER_NAME.matcher(u.name()).matches()) {
                    add(ConfigMessage.INVALID_TOKEN.at(p + ".name", "name", String.valueOf(u.name()),
                            "1-64 of A-Z a-z 0-9 . _ @ -"));
                } else {
                    String other = names.putIfAbsent(u.name().toLowerCase(java.util.Locale.ROOT), p);
                    if (other != null) {
                        add(ConfigMessage.DUPLICATE_NAME.at(p + ".name", "name", u.name(), other,
                                "user names (case-insensitive)"));
                    }
                }
                if (!AdminUser.ROLES.contains(u.role())) {
                    add(ConfigMessage.NOT_ONE_OF.at(p + ".role", "role", u.role(), String.join(", ", AdminUser.ROLES)));
                } else if (u.role().equals("admin")) {
                    anAdmin = true;
                }
                if (u.passwordHash() == null || !ARGON2ID.matcher(u.passwordHash()).matches()) {
                    add(ConfigMessage.NOT_ARGON2ID.at(p + ".passwordHash"));
                }
            }
            if (!a.users().isEmpty() && !anAdmin) {
                add(ConfigMessage.NO_ADMIN_USER.at("$.admin.users"));
            }
            Map<String, String> ids = new HashMap<>();
            for (int i = 0; i < a.apiTokens().size(); i++) {
                String p = "$.admin.apiTokens[" + i + "]";
                ApiToken t = a.apiTokens().get(i);
                if (t == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(p, "apiTokens[" + i + "]", "an API token"));
                    continue;
                }
                if (t.id() == null || !HEX16.matcher(t.id()).matches()) {
                    add(ConfigMessage.INVALID_TOKEN.at(p + ".id", "id", String.valueOf(t.id()), "16 hex digits"));
                } else {
                    String other = ids.putIfAbsent(t.id(), p);
                    if (other != null) {
                        add(ConfigMessage.DUPLICATE_NAME.at(p + ".id", "id", t.id(), other, "token ids"));
                    }
                }
                if (!AdminUser.ROLES.contains(t.role())) {
                    add(ConfigMessage.NOT_ONE_OF.at(p + ".role", "role", t.role(), String.join(", ", AdminUser.ROLES)));
                }
                if (t.sha256() == null || !HEX64.matcher(t.sha256()).matches()) {
                    add(ConfigMessage.INVALID_TOKEN.at(p + ".sha256", "sha256", "(hidden)",
                            "the hex SHA-256 of the token"));
                }
                if (t.expires() != null && t.created() != null && (t.expires() <= t.created()
                        || t.expires() - t.created() > ApiToken.MAX_DAYS * ApiToken.DAY_MS)) {
                    add(ConfigMessage.TOKEN_EXPIRY.at(p + ".expires", ApiToken.MAX_DAYS));
                }
            }
        }

        // ---- listeners

        void listeners(DuetConfig d, Set<String> usedCertificates) {
            List<Listener> listeners = d.listeners();
            if (listeners.isEmpty()) {
                add(ConfigMessage.NO_LISTENER.at("$.listeners"));
            }
            Map<String, String> names = new HashMap<>();
            Map<String, Integer> binds = new HashMap<>();
            for (int i = 0; i < listeners.size(); i++) {
                String p = "$.listeners[" + i + "]";
                Listener l = listeners.get(i);
                if (l == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(p, "listeners[" + i + "]", "a listener"));
                    continue;
                }
                uniqueName(p, l.name(), names, "listener names");
                boolean addressOk = address(p + ".address", "address", l.address());
                boolean portOk = false;
                if (l.port() == null) {
                    add(ConfigMessage.MISSING.at(p + ".port", "port", "0-65535"));
                } else if (l.port() < 0 || l.port() > 65535) {
                    add(ConfigMessage.OUT_OF_RANGE.at(p + ".port", "port", l.port(), "0-65535"));
                } else {
                    portOk = true;
                }
                if (addressOk && portOk && l.port() != 0) {
                    String key = bindKey(l.address()) + " " + l.port();
                    Integer other = binds.putIfAbsent(key, i);
                    if (other != null) {
                        Listener first = listeners.get(other);
                        add(ConfigMessage.LISTENER_CONFLICT.at(p + ".port", String.valueOf(l.name()), l.address(),
                                l.port(), String.valueOf(first.name())));
                    }
                }
                if ("https".equals(l.protocol())) {
                    listenerTls(p, l, d, usedCertificates);
                } else if (!"http".equals(l.protocol())) {
                    add(ConfigMessage.NOT_ONE_OF.at(p + ".protocol", "protocol", l.protocol(), "http, https"));
                } else if (l.tls() != null) {
                    add(ConfigMessage.TLS_ON_HTTP.at(p + ".tls"));
                }
                ProxyProtocol pp = l.proxyProtocol();
                cidrs(p + ".proxyProtocol.trustedAddresses", "trustedAddresses", pp.trustedAddresses());
                if (pp.enabled() && pp.trustedAddresses().stream().noneMatch(Objects::nonNull)) {
                    add(ConfigMessage.PROXY_PROTOCOL_UNTRUSTED.at(p + ".proxyProtocol.trustedAddresses"));
                }
            }
        }

        void listenerTls(String p, Listener l, DuetConfig d, Set<String> usedCertificates) {
            ListenerTls tls = l.tls();
            if (tls == null) {
                return; // not reachable: https listeners always have tls (defaults)
            }
            String tp = p + ".tls";
            if (tls.certificates().isEmpty()) {
                add(ConfigMessage.TLS_NO_CERTIFICATE.at(tp + ".certificates", String.valueOf(l.name())));
            }
            List<String> known = d.certificates().stream().filter(Objects::nonNull).map(TlsCertificate::name)
                    .filter(Objects::nonNull).collect(Collectors.toList());
            Map<String, String> seen = new HashMap<>();
            for (int j = 0; j < tls.certificates().size(); j++) {
                String cp = tp + ".certificates[" + j + "]";
                String n = tls.certificates().get(j);
                if (n == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(cp, "certificates[" + j + "]", "a certificate name"));
                    continue;
                }
                String other = seen.putIfAbsent(n, cp);
                if (other != null) {
                    add(ConfigMessage.DUPLICATE_NAME.at(cp, "certificates[" + j + "]", n, other,
                            "certificate names within a listener"));
                } else if (!known.contains(n)) {
                    add(ConfigMessage.UNKNOWN_CERTIFICATE.at(cp, "certificates[" + j + "]", n,
                            known.isEmpty() ? "none" : String.join(", ", known)));
                }
                usedCertificates.add(n);
            }
            if (tls.defaultCertificate() != null && !tls.certificates().contains(tls.defaultCertificate())) {
                add(ConfigMessage.DEFAULT_CERTIFICATE_NOT_LISTED.at(tp + ".defaultCertificate",
                        tls.defaultCertificate(), tls.certificates().stream().filter(Objects::nonNull)
                                .collect(Collectors.joining(", "))));
            }
            if (!ListenerTls.PROFILES.contains(tls.profile())) {
                add(ConfigMessage.NOT_ONE_OF.at(tp + ".profile", "profile", tls.profile(),
                        String.join(", ", ListenerTls.PROFILES)));
            }
            if (!ListenerTls.ENGINES.contains(tls.engine())) {
                add(ConfigMessage.NOT_ONE_OF.at(tp + ".engine", "engine", tls.engine(),
                        String.join(", ", ListenerTls.ENGINES)));
            } else if (ListenerTls.OPENSSL.equals(tls.engine()) && tls.certificates().size() != 1) {
                add(ConfigMessage.OPENSSL_ONE_CERTIFICATE.at(tp + ".engine", tls.certificates().size()));
            }
            ClientAuth ca = tls.clientAuth();
            if (!ClientAuth.MODES.contains(ca.mode())) {
                add(ConfigMessage.NOT_ONE_OF.at(tp + ".clientAuth.mode", "mode", ca.mode(),
                        String.join(", ", ClientAuth.MODES)));
            } else if (ca.enabled()) {
                if (ca.caBundle() == null || ca.caBundle().isBlank()) {
                    add(ConfigMessage.CLIENT_CA_MISSING.at(tp + ".clientAuth.caBundle", "missing"));
                } else if (!ca.caBundle().contains("-----BEGIN CERTIFICATE-----")) {
                    add(ConfigMessage.CLIENT_CA_MISSING.at(tp + ".clientAuth.caBundle", "not PEM certificates"));
                }
            }
            if (!isToken(ca.subjectHeader())) {
                add(ConfigMessage.INVALID_TOKEN.at(tp + ".clientAuth.subjectHeader", "subjectHeader",
                        ca.subjectHeader(), "a header name such as X-Client-Cert-Subject"));
            }
            Hsts h = tls.hsts();
            range(tp + ".hsts.maxAgeSeconds", "maxAgeSeconds", h.maxAgeSeconds(), 0, Hsts.MAX_MAX_AGE_SECONDS,
                    "0-63072000 (2 years)");
            if (h.preload() && (!h.includeSubDomains() || h.maxAgeSeconds() < Hsts.DEFAULT_MAX_AGE_SECONDS)) {
                add(ConfigMessage.HSTS_PRELOAD.at(tp + ".hsts.preload"));
            }
        }

        void certificates(List<TlsCertificate> certificates, Set<String> used) {
            Map<String, String> names = new HashMap<>();
            for (int i = 0; i < certificates.size(); i++) {
                String p = "$.certificates[" + i + "]";
                TlsCertificate c = certificates.get(i);
                if (c == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(p, "certificates[" + i + "]", "a certificate"));
                    continue;
                }
                uniqueName(p, c.name(), names, "certificate names");
                if (c.pkcs12() != null) {
                    if (c.certificateChain() != null || c.privateKey() != null) {
                        add(ConfigMessage.PKCS12_CONFLICT.at(p + ".pkcs12", "pkcs12: given together with "
                                + (c.certificateChain() != null ? "certificateChain" : "privateKey")));
                    } else if (!base64(c.pkcs12())) {
                        add(ConfigMessage.PKCS12_CONFLICT.at(p + ".pkcs12", "pkcs12: not base64"));
                    }
                } else {
                    certificateAndKey(p, c);
                }
                if (c.name() != null && !c.name().isBlank() && !used.contains(c.name())) {
                    add(ConfigMessage.UNUSED_CERTIFICATE.at(p, c.name()));
                }
            }
        }

        void vips(List<Vip> vips) {
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; i < vips.size(); i++) {
                String p = "$.vips[" + i + "]";
                Vip v = vips.get(i);
                if (v == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(p, "vips[" + i + "]", "a VIP"));
                    continue;
                }
                Optional<InetAddress> ip = v.address() == null ? Optional.empty()
                        : CidrBlock.parseIpLiteral(v.address());
                if (ip.isEmpty()) {
                    add(ConfigMessage.INVALID_TOKEN.at(p + ".address", "address", String.valueOf(v.address()),
                            "an IPv4 or IPv6 address such as 192.0.2.50"));
                } else {
                    String other = seen.putIfAbsent(ip.get().getHostAddress(), p);
                    if (other != null) {
                        add(ConfigMessage.DUPLICATE_NAME.at(p + ".address", "address", v.address(), other, "VIPs"));
                    }
                }
                if (!Vip.FAILBACKS.contains(v.failback())) {
                    add(ConfigMessage.NOT_ONE_OF.at(p + ".failback", "failback", v.failback(),
                            String.join(", ", Vip.FAILBACKS)));
                }
                range(p + ".failbackDelayMs", "failbackDelayMs", v.failbackDelayMs(), 0, ONE_DAY_MS,
                        "0-86400000 ms (1 day)");
            }
        }

        private void certificateAndKey(String p, TlsCertificate c) {
            if (c.certificateChain() == null || c.certificateChain().isBlank()) {
                add(ConfigMessage.MISSING.at(p + ".certificateChain", "certificateChain",
                        "the PEM certificate chain, leaf first"));
            } else if (!c.certificateChain().contains("-----BEGIN CERTIFICATE-----")
                    || !c.certificateChain().contains("-----END CERTIFICATE-----")) {
                add(ConfigMessage.NOT_PEM_CERTIFICATE.at(p + ".certificateChain"));
            }
            String key = c.privateKey();
            if (key == null || key.isBlank()) {
                add(ConfigMessage.MISSING.at(p + ".privateKey", "privateKey", "the PEM private key"));
            } else if (!key.startsWith("duet-sealed:v1:") && !PEM_KEY.matcher(key).find()) {
                add(ConfigMessage.NOT_PEM_KEY.at(p + ".privateKey"));
            } else if ((key.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || key.contains("Proc-Type: 4,ENCRYPTED"))
                    && (c.passphrase() == null || c.passphrase().isEmpty())) {
                add(ConfigMessage.KEY_NEEDS_PASSPHRASE.at(p + ".passphrase"));
            }
        }

        private static boolean base64(String s) {
            try {
                return java.util.Base64.getMimeDecoder().decode(s).length > 0;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private static String bindKey(String address) {
            Optional<InetAddress> ip = CidrBlock.parseIpLiteral(address);
            return ip.map(InetAddress::getHostAddress).orElse(address.toLowerCase(Locale.ROOT));
        }

        // ---- limits, forwarding, access log

        void limits(String p, Limits l) {
            range(p + ".maxRequestLineBytes", "maxRequestLineBytes", l.maxRequestLineBytes(), 256, ONE_MIB,
                    "256-1048576 (1 MiB)");
            range(p + ".maxHeaderBytes", "maxHeaderBytes", l.maxHeaderBytes(), 1024, ONE_MIB,
                    "1024-1048576 (1 KiB-1 MiB)");
            if (l.maxHeaderBytes() < l.maxRequestLineBytes() && l.maxHeaderBytes() >= 1024
                    && l.maxRequestLineBytes() >= 256 && l.maxRequestLineBytes() <= ONE_MIB) {
                add(ConfigMessage.LIMIT_ORDER.at(p + ".maxHeaderBytes", l.maxHeaderBytes(), l.maxRequestLineBytes()));
            }
            range(p + ".maxHeaderCount", "maxHeaderCount", l.maxHeaderCount(), 1, 10_000, "1-10000");
            range(p + ".maxBodyBytes", "maxBodyBytes", l.maxBodyBytes(), 0, ONE_TIB, "0-1099511627776 (1 TiB)");
            timeout(p + ".headerTimeoutMs", "headerTimeoutMs", l.headerTimeoutMs());
            timeout(p + ".idleTimeoutMs", "idleTimeoutMs", l.idleTimeoutMs());
            timeout(p + ".bodyTimeoutMs", "bodyTimeoutMs", l.bodyTimeoutMs());
            range(p + ".minBodyBytesPerSecond", "minBodyBytesPerSecond", l.minBodyBytesPerSecond(), 0, ONE_MIB * 1024L,
                    "0-1073741824 (0 disables the check)");
            range(p + ".maxConnectionsPerListener", "maxConnectionsPerListener", l.maxConnectionsPerListener(),
                    1, 1_000_000, "1-1000000");
            timeout(p + ".backendConnectTimeoutMs", "backendConnectTimeoutMs", l.backendConnectTimeoutMs());
            timeout(p + ".backendResponseTimeoutMs", "backendResponseTimeoutMs", l.backendResponseTimeoutMs());
        }

        void forwarding(String p, Forwarding f) {
            cidrs(p + ".trustedProxies", "trustedProxies", f.trustedProxies());
            if (!f.requestIdHeader().isEmpty() && !isToken(f.requestIdHeader())) {
                add(ConfigMessage.INVALID_TOKEN.at(p + ".requestIdHeader", "requestIdHeader", f.requestIdHeader(),
                        "a header name such as X-Request-Id, or empty to disable request ids"));
            }
        }

        void accessLog(String p, AccessLog a) {
            if (!ACCESS_LOG_FORMATS.contains(a.format())) {
                add(ConfigMessage.NOT_ONE_OF.at(p + ".format", "format", a.format(), String.join(", ", ACCESS_LOG_FORMATS)));
            }
            if (a.path().isBlank()) {
                add(ConfigMessage.MISSING.at(p + ".path", "path", "a file path, or - for standard output"));
            } else if (hasControl(a.path())) {
                add(ConfigMessage.CONTROL_CHARACTER.at(p + ".path", "path"));
            }
        }

        // ---- virtual hosts and routes

        void virtualHosts(DuetConfig d, Set<String> usedPools) {
            List<VirtualHost> hosts = d.virtualHosts();
            if (hosts.isEmpty()) {
                add(ConfigMessage.NO_VIRTUAL_HOST.at("$.virtualHosts"));
            }
            Map<String, String> names = new HashMap<>();
            Map<String, String> claimedBy = new HashMap<>();
            String defaultHost = null;
            for (int i = 0; i < hosts.size(); i++) {
                String p = "$.virtualHosts[" + i + "]";
                VirtualHost h = hosts.get(i);
                if (h == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(p, "virtualHosts[" + i + "]", "a virtual host"));
                    continue;
                }
                uniqueName(p, h.name(), names, "virtual host names");
                String hostName = String.valueOf(h.name());
                Map<String, String> local = new HashMap<>();
                for (int j = 0; j < h.hostnames().size(); j++) {
                    String hp = p + ".hostnames[" + j + "]";
                    String n = h.hostnames().get(j);
                    if (n == null) {
                        add(ConfigMessage.NULL_ELEMENT.at(hp, "hostnames[" + j + "]", "a host name"));
                        continue;
                    }
                    String problem = HostName.virtualHostProblem(n);
                    if (problem != null) {
                        add(ConfigMessage.INVALID_HOSTNAME.at(hp, "hostnames[" + j + "]", n, problem));
                        continue;
                    }
                    String key = HostName.canonical(n);
                    String sameHost = local.putIfAbsent(key, hp);
                    if (sameHost != null) {
                        add(ConfigMessage.DUPLICATE_NAME.at(hp, "hostnames[" + j + "]", n, sameHost, "host names"));
                        continue;
                    }
                    String other = claimedBy.putIfAbsent(key, hostName);
                    if (other != null) {
                        add(ConfigMessage.HOSTNAME_CLAIMED_TWICE.at(hp, n, other, hostName));
                    }
                }
                if (h.defaultHost()) {
                    if (defaultHost != null) {
                        add(ConfigMessage.TWO_DEFAULT_HOSTS.at(p + ".defaultHost", defaultHost));
                    } else {
                        defaultHost = hostName;
                    }
                }
                if (h.hostnames().isEmpty() && !h.defaultHost()) {
                    add(ConfigMessage.HOST_UNREACHABLE.at(p + ".hostnames", hostName));
                }
                if (h.routes().isEmpty()) {
                    add(ConfigMessage.NO_ROUTE.at(p + ".routes", hostName));
                }
                HttpsRedirect hr = h.httpsRedirect();
                range(p + ".httpsRedirect.port", "port", hr.port(), 1, 65535, "1-65535");
                if (!HttpsRedirect.STATUSES.contains(hr.status())) {
                    add(ConfigMessage.NOT_ONE_OF.at(p + ".httpsRedirect.status", "status", hr.status(),
                            "301, 302, 303, 307, 308"));
                }
                if (hr.enabled() && d.listeners().stream().noneMatch(l -> l != null && l.https())) {
                    add(ConfigMessage.REDIRECT_WITHOUT_HTTPS.at(p + ".httpsRedirect"));
                }
                routes(d, p, h.routes(), usedPools);
            }
        }

        void routes(DuetConfig d, String hp, List<Route> routes, Set<String> usedPools) {
            Map<String, String> names = new HashMap<>();
            for (int i = 0; i < routes.size(); i++) {
                String p = hp + ".routes[" + i + "]";
                Route r = routes.get(i);
                if (r == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(p, "routes[" + i + "]", "a route"));
                    continue;
                }
                uniqueName(p, r.name(), names, "route names within a virtual host");
                match(p + ".match", r.match());
                action(d, p, r, usedPools);
                headerRules(p + ".requestHeaders", "requestHeaders", r.requestHeaders());
                headerRules(p + ".responseHeaders", "responseHeaders", r.responseHeaders());
                if (r.rewrite() != null) {
                    String prefix = r.rewrite().prefix();
                    if (prefix == null || prefix.isEmpty()) {
                        add(ConfigMessage.MISSING.at(p + ".rewrite.prefix", "prefix", "a path starting with /"));
                    } else if (!prefix.startsWith("/")) {
                        add(ConfigMessage.PATH_NOT_ABSOLUTE.at(p + ".rewrite.prefix", "prefix", prefix));
                    }
                    if (hasControl(r.rewrite().replacement())) {
                        add(ConfigMessage.CONTROL_CHARACTER.at(p + ".rewrite.replacement", "replacement"));
                    }
                }
                if (r.compression() != null) {
                    compression(p + ".compression", r.compression());
                }
                if (r.maxBodyBytes() != null) {
                    range(p + ".maxBodyBytes", "maxBodyBytes", r.maxBodyBytes(), 0, ONE_TIB, "0-1099511627776 (1 TiB)");
                }
                if (r.responseTimeoutMs() != null) {
                    timeout(p + ".responseTimeoutMs", "responseTimeoutMs", r.responseTimeoutMs());
                }
                range(p + ".retries", "retries", r.retries(), 0, 5, "0-5");
                stickyServerDown(d, p, r);
            }
            unreachable(hp, routes);
        }

        void action(DuetConfig d, String p, Route r, Set<String> usedPools) {
            List<String> set = new ArrayList<>(3);
            if (r.pool() != null) {
                set.add("pool");
            }
            if (r.redirect() != null) {
                set.add("redirect");
            }
            if (r.respond() != null) {
                set.add("respond");
            }
            if (set.size() != 1) {
                add(ConfigMessage.NOT_EXACTLY_ONE.at(p, "action", set.isEmpty() ? "none set" : String.join(", ", set)
                        + " set", "pool, redirect, respond"));
            }
            if (r.pool() != null) {
                usedPools.add(r.pool());
                if (d.pool(r.pool()) == null) {
                    String known = d.pools().stream().filter(Objects::nonNull).map(Pool::name).filter(Objects::nonNull)
                            .sorted().collect(Collectors.joining(", "));
                    add(ConfigMessage.UNKNOWN_POOL.at(p + ".pool", r.pool(), known.isEmpty() ? "none" : known));
                }
            }
            if (r.redirect() != null) {
                Redirect red = r.redirect();
                if (!REDIRECT_STATUSES.contains(red.status())) {
                    add(ConfigMessage.NOT_ONE_OF.at(p + ".redirect.status", "status", red.status(),
                            REDIRECT_STATUSES.stream().map(String::valueOf).collect(Collectors.joining(", "))));
                }
                if (red.location() == null || red.location().isBlank()) {
                    add(ConfigMessage.MISSING.at(p + ".redirect.location", "location",
                            "a URL such as https://{host}{request_uri}"));
                } else if (hasControl(red.location())) {
                    add(ConfigMessage.CONTROL_CHARACTER.at(p + ".redirect.location", "location"));
                }
            }
            if (r.respond() != null) {
                FixedResponse f = r.respond();
                range(p + ".respond.status", "status", f.status(), 200, 599, "200-599");
                if (hasControl(f.contentType())) {
                    add(ConfigMessage.CONTROL_CHARACTER.at(p + ".respond.contentType", "contentType"));
                }
            }
            if (r.pool() == null && set.size() == 1) {
                String kind = set.get(0);
                if (r.rewrite() != null) {
                    add(ConfigMessage.NO_EFFECT.at(p + ".rewrite", "rewrite", kind));
                }
                if (r.compression() != null && r.compression().enabled()) {
                    add(ConfigMessage.NO_EFFECT.at(p + ".compression", "compression", kind));
                }
                if (!r.requestHeaders().isEmpty()) {
                    add(ConfigMessage.NO_EFFECT.at(p + ".requestHeaders", "requestHeaders", kind));
                }
            }
        }

        void match(String p, RouteMatch m) {
            if (m.path() != null) {
                PathMatch pm = m.path();
                List<String> set = new ArrayList<>(3);
                if (pm.exact() != null) {
                    set.add("exact");
                    absolutePath(p + ".path.exact", "exact", pm.exact());
                }
                if (pm.prefix() != null) {
                    set.add("prefix");
                    absolutePath(p + ".path.prefix", "prefix", pm.prefix());
                }
                if (pm.regex() != null) {
                    set.add("regex");
                    regex(p + ".path.regex", "regex", pm.regex());
                }
                if (set.size() != 1) {
                    add(ConfigMessage.NOT_EXACTLY_ONE.at(p + ".path", "path", set.isEmpty() ? "none set"
                            : String.join(", ", set) + " set", "exact, prefix, regex"));
                }
            }
            for (int i = 0; i < m.methods().size(); i++) {
                String method = m.methods().get(i);
                String mp = p + ".methods[" + i + "]";
                if (method == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(mp, "methods[" + i + "]", "a method such as GET"));
                } else if (!isToken(method) || !method.equals(method.toUpperCase(Locale.ROOT))) {
                    add(ConfigMessage.INVALID_METHOD.at(mp, "methods[" + i + "]", method));
                }
            }
            valueMatches(p + ".headers", "headers", m.headers(), true);
            valueMatches(p + ".query", "query", m.query(), false);
            valueMatches(p + ".cookies", "cookies", m.cookies(), false);
            mediaTypes(p + ".contentTypes", "contentTypes", m.contentTypes());
            if (m.body() != null) {
                BodyMatch b = m.body();
                if (b.regex() == null || b.regex().isEmpty()) {
                    add(ConfigMessage.MISSING.at(p + ".body.regex", "regex", "a Java regex"));
                } else {
                    regex(p + ".body.regex", "regex", b.regex());
                }
                range(p + ".body.maxBytes", "maxBytes", b.maxBytes(), 1, BodyMatch.LIMIT_MAX_BYTES, "1-65536");
            }
        }

        void valueMatches(String p, String field, List<ValueMatch> list, boolean headerNames) {
            for (int i = 0; i < list.size(); i++) {
                String vp = p + "[" + i + "]";
                ValueMatch v = list.get(i);
                if (v == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(vp, field + "[" + i + "]", "a condition with name and one of "
                            + "exact, regex, present"));
                    continue;
                }
                if (v.name() == null || v.name().isBlank()) {
                    add(ConfigMessage.MISSING.at(vp + ".name", "name", headerNames ? "a header name" : "a name"));
                } else if (headerNames && !isToken(v.name())) {
                    add(ConfigMessage.INVALID_TOKEN.at(vp + ".name", "name", v.name(), "a header name such as X-Api-Key"));
                }
                List<String> set = new ArrayList<>(3);
                if (v.exact() != null) {
                    set.add("exact");
                }
                if (v.regex() != null) {
                    set.add("regex");
                    regex(vp + ".regex", "regex", v.regex());
                }
                if (v.present() != null) {
                    set.add("present");
                }
                if (set.size() != 1) {
                    add(ConfigMessage.NOT_EXACTLY_ONE.at(vp, field + "[" + i + "]", set.isEmpty() ? "none set"
                            : String.join(", ", set) + " set", "exact, regex, present"));
                }
            }
        }

        void mediaTypes(String p, String field, List<String> list) {
            for (int i = 0; i < list.size(); i++) {
                String t = list.get(i);
                String tp = p + "[" + i + "]";
                if (t == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(tp, field + "[" + i + "]", "a media type such as application/json"));
                    continue;
                }
                int slash = t.indexOf('/');
                if (slash < 0 || !isToken(t.substring(0, slash)) || !isToken(t.substring(slash + 1))) {
                    add(ConfigMessage.INVALID_MEDIA_TYPE.at(tp, field + "[" + i + "]", t));
                }
            }
        }

        void compression(String p, Compression c) {
            range(p + ".level", "level", c.level(), 1, 9, "1-9");
            range(p + ".minBytes", "minBytes", c.minBytes(), 0, Integer.MAX_VALUE, ">= 0");
            mediaTypes(p + ".mimeTypes", "mimeTypes", c.mimeTypes());
        }

        void headerRules(String p, String field, List<HeaderRule> rules) {
            for (int i = 0; i < rules.size(); i++) {
                String rp = p + "[" + i + "]";
                HeaderRule r = rules.get(i);
                if (r == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(rp, field + "[" + i + "]", "a header rule with op and name"));
                    continue;
                }
                if (r.op() == null) {
                    add(ConfigMessage.MISSING.at(rp + ".op", "op", String.join(", ", HEADER_OPS)));
                } else if (!HEADER_OPS.contains(r.op())) {
                    add(ConfigMessage.NOT_ONE_OF.at(rp + ".op", "op", r.op(), String.join(", ", HEADER_OPS)));
                }
                if (r.name() == null || r.name().isBlank()) {
                    add(ConfigMessage.MISSING.at(rp + ".name", "name", "a header name"));
                } else if (!isToken(r.name())) {
                    add(ConfigMessage.INVALID_TOKEN.at(rp + ".name", "name", r.name(), "a header name such as X-Frame-Options"));
                } else {
                    String lower = r.name().toLowerCase(Locale.ROOT);
                    if (HOP_BY_HOP.contains(lower)) {
                        add(ConfigMessage.PROTECTED_HEADER.at(rp + ".name", r.name(), "is a hop-by-hop header"));
                    } else if (MANAGED.contains(lower)) {
                        add(ConfigMessage.PROTECTED_HEADER.at(rp + ".name", r.name(), "is managed by Duet"));
                    }
                }
                if (("set".equals(r.op()) || "add".equals(r.op())) && r.value() == null) {
                    add(ConfigMessage.MISSING.at(rp + ".value", "value", "a value for op '" + r.op() + "'"));
                } else if (hasControl(r.value())) {
                    add(ConfigMessage.CONTROL_CHARACTER.at(rp + ".value", "value"));
                }
            }
        }

        /** Warns about each route an earlier path-only route of the same host always wins over. */
        void unreachable(String hp, List<Route> routes) {
            for (int j = 1; j < routes.size(); j++) {
                Route later = routes.get(j);
                if (later == null) {
                    continue;
                }
                for (int i = 0; i < j; i++) {
                    Route earlier = routes.get(i);
                    if (earlier != null && covers(earlier.match(), later.match())) {
                        add(ConfigMessage.UNREACHABLE_ROUTE.at(hp + ".routes[" + j + "]",
                                String.valueOf(later.name()), String.valueOf(earlier.name())));
                        break;
                    }
                }
            }
        }

        // ---- pools

        void pools(List<Pool> pools, Set<String> usedPools) {
            Map<String, String> names = new HashMap<>();
            Map<String, String> cookies = new HashMap<>();
            for (Pool pool : pools) {
                if (pool != null && pool.fallback() != null && pool.fallback().pool() != null) {
                    usedPools.add(pool.fallback().pool()); // a fallback pool is in use
                }
            }
            for (int i = 0; i < pools.size(); i++) {
                String p = "$.pools[" + i + "]";
                Pool pool = pools.get(i);
                if (pool == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(p, "pools[" + i + "]", "a pool"));
                    continue;
                }
                uniqueName(p, pool.name(), names, "pool names");
                String poolName = String.valueOf(pool.name());
                if (!Pool.BALANCERS.contains(pool.balancer())) {
                    add(ConfigMessage.NOT_ONE_OF.at(p + ".balancer", "balancer", pool.balancer(),
                            String.join(", ", Pool.BALANCERS)));
                }
                balancerNeeds(p, pool);
                if (pool.servers().isEmpty()) {
                    add(ConfigMessage.POOL_NO_SERVER.at(p + ".servers", poolName));
                }
                Map<String, String> ids = new HashMap<>();
                boolean primary = false;
                for (int j = 0; j < pool.servers().size(); j++) {
                    String sp = p + ".servers[" + j + "]";
                    Server s = pool.servers().get(j);
                    if (s == null) {
                        add(ConfigMessage.NULL_ELEMENT.at(sp, "servers[" + j + "]", "a server with address and port"));
                        continue;
                    }
                    primary |= !s.backup();
                    if (s.id() != null) {
                        if (s.id().isBlank()) {
                            add(ConfigMessage.MISSING.at(sp + ".id", "id", "a non-blank id, or none for address:port"));
                        } else {
                            String first = ids.putIfAbsent(s.id(), sp);
                            if (first != null) {
                                add(ConfigMessage.DUPLICATE_NAME.at(sp + ".id", "id", s.id(), first,
                                        "server ids within a pool"));
                            }
                        }
                    }
                    address(sp + ".address", "address", s.address());
                    if (s.port() == null) {
                        add(ConfigMessage.MISSING.at(sp + ".port", "port", "1-65535"));
                    } else {
                        range(sp + ".port", "port", s.port(), 1, 65535, "1-65535");
                    }
                    range(sp + ".weight", "weight", s.weight(), 0, 256, "0-256");
                    adminState(sp, s);
                }
                if (!pool.servers().isEmpty() && !primary && pool.servers().stream().anyMatch(Objects::nonNull)) {
                    add(ConfigMessage.POOL_ONLY_BACKUP.at(p + ".servers", poolName));
                }
                if (pool.connectTimeoutMs() != null) {
                    timeout(p + ".connectTimeoutMs", "connectTimeoutMs", pool.connectTimeoutMs());
                }
                range(p + ".maxConnectionsPerServer", "maxConnectionsPerServer", pool.maxConnectionsPerServer(),
                        1, 10_000, "1-10000");
                if (pool.affinity() != null) {
                    affinity(p + ".affinity", pool, cookies);
                }
                if (pool.name() != null && !pool.name().isBlank() && !usedPools.contains(pool.name())) {
                    add(ConfigMessage.UNUSED_POOL.at(p, poolName));
                }
                health(p, pool, pools);
                ResolveChecks.check(p, pool, this::add);
            }
        }

        // ---- health (DUET-CONFIG-0130..0149)

        void adminState(String sp, Server s) {
            if (!Server.STATES.contains(s.state())) {
                add(ConfigMessage.NOT_ONE_OF.at(sp + ".state", "state", s.state(), String.join(", ", Server.STATES)));
            }
            if (s.drainUntil() != null) {
                try {
                    java.time.Instant.parse(s.drainUntil());
                    if (!Server.DRAIN.equals(s.state())) {
                        add(ConfigMessage.DRAIN_UNTIL_UNUSED.at(sp + ".drainUntil"));
                    }
                } catch (java.time.format.DateTimeParseException e) {
                    add(ConfigMessage.INVALID_INSTANT.at(sp + ".drainUntil", "drainUntil", s.drainUntil()));
                }
            }
        }

        void health(String p, Pool pool, List<Pool> pools) {
            HealthCheck hc = pool.healthCheck();
            if (hc != null) {
                String hp = p + ".healthCheck";
                if (!HealthCheck.TYPES.contains(hc.type())) {
                    add(ConfigMessage.NOT_ONE_OF.at(hp + ".type", "type", hc.type(), String.join(", ", HealthCheck.TYPES)));
                }
                range(hp + ".intervalMs", "intervalMs", hc.intervalMs(), 10, ONE_DAY_MS, "10-86400000 ms (1 day)");
                timeout(hp + ".timeoutMs", "timeoutMs", hc.timeoutMs());
                if (hc.timeoutMs() >= hc.intervalMs()) {
                    add(ConfigMessage.CHECK_TIMEOUT_NOT_BELOW_INTERVAL.at(hp + ".timeoutMs", hc.timeoutMs(),
                            hc.intervalMs()));
                }
                range(hp + ".rise", "rise", hc.rise(), 1, 100, "1-100");
                range(hp + ".fall", "fall", hc.fall(), 1, 100, "1-100");
                range(hp + ".jitterPercent", "jitterPercent", hc.jitterPercent(), 0, 50, "0-50");
                if (hc.port() != null) {
                    range(hp + ".port", "port", hc.port(), 1, 65535, "1-65535");
                }
                if (HealthCheck.TCP.equals(hc.type())) {
                    for (String f : new String[]{"host", "bodyRegex", "https"}) {
                        Object v = f.equals("host") ? hc.host() : f.equals("bodyRegex") ? hc.bodyRegex()
                                : (hc.https() ? Boolean.TRUE : null);
                        if (v != null) {
                            add(ConfigMessage.CHECK_FIELD_UNUSED.at(hp + "." + f, f));
                        }
                    }
                } else {
                    if (!isToken(hc.method()) || !hc.method().equals(hc.method().toUpperCase(Locale.ROOT))) {
                        add(ConfigMessage.INVALID_METHOD.at(hp + ".method", "method", hc.method()));
                    }
                    absolutePath(hp + ".path", "path", hc.path());
                    if (hc.host() != null && (hc.host().isBlank() || hasControl(hc.host())
                            || !HostName.isAddress(hc.host().replaceFirst(":[0-9]{1,5}$", "")))) {
                        add(ConfigMessage.INVALID_CHECK_HOST.at(hp + ".host", "host", hc.host()));
                    }
                    for (int i = 0; i < hc.expectStatus().size(); i++) {
                        String v = hc.expectStatus().get(i);
                        if (parseStatusRange(v) == null) {
                            add(ConfigMessage.INVALID_STATUS_SET.at(hp + ".expectStatus[" + i + "]",
                                    "expectStatus[" + i + "]", v));
                        }
                    }
                    if (hc.bodyRegex() != null) {
                        regex(hp + ".bodyRegex", "bodyRegex", hc.bodyRegex());
                    }
                }
                if (hc.verifyTls() && !hc.https()) {
                    add(ConfigMessage.VERIFY_WITHOUT_HTTPS.at(hp + ".verifyTls"));
                }
            }
            OutlierDetection od = pool.outlierDetection();
            if (od != null) {
                String op = p + ".outlierDetection";
                range(op + ".consecutiveFailures", "consecutiveFailures", od.consecutiveFailures(), 1, 1000, "1-1000");
                timeout(op + ".baseEjectionMs", "baseEjectionMs", od.baseEjectionMs());
                timeout(op + ".maxEjectionMs", "maxEjectionMs", od.maxEjectionMs());
                if (od.maxEjectionMs() < od.baseEjectionMs()) {
                    add(ConfigMessage.EJECTION_ORDER.at(op + ".maxEjectionMs", od.maxEjectionMs(), od.baseEjectionMs()));
                }
                range(op + ".maxEjectionPercent", "maxEjectionPercent", od.maxEjectionPercent(), 0, 100, "0-100");
            }
            ServerLimit sl = pool.serverLimit();
            if (sl != null) {
                String lp = p + ".serverLimit";
                if (sl.maxRequests() == null) {
                    add(ConfigMessage.MISSING.at(lp + ".maxRequests", "maxRequests", "concurrent requests per server, 1-1000000"));
                } else {
                    range(lp + ".maxRequests", "maxRequests", sl.maxRequests(), 1, 1_000_000, "1-1000000");
                }
                range(lp + ".maxQueued", "maxQueued", sl.maxQueued(), 0, 1_000_000, "0-1000000");
                timeout(lp + ".queueTimeoutMs", "queueTimeoutMs", sl.queueTimeoutMs());
            }
            BackendTls bt = pool.tls();
            if (bt.enabled()) {
                if (bt.caBundle() != null && !bt.caBundle().contains("-----BEGIN CERTIFICATE-----")) {
                    add(ConfigMessage.BACKEND_CA_NOT_PEM.at(p + ".tls.caBundle"));
                }
                if (bt.serverName() != null && HostName.virtualHostProblem(bt.serverName()) != null) {
                    add(ConfigMessage.INVALID_HOSTNAME.at(p + ".tls.serverName", "serverName", bt.serverName(),
                            HostName.virtualHostProblem(bt.serverName())));
                }
                if (!bt.verify()) {
                    add(ConfigMessage.BACKEND_TLS_UNVERIFIED.at(p + ".tls.verify", String.valueOf(pool.name())));
                }
            }
            range(p + ".slowStartMs", "slowStartMs", pool.slowStartMs(), 0, ONE_DAY_MS, "0-86400000 ms (1 day)");
            range(p + ".panicThresholdPercent", "panicThresholdPercent", pool.panicThresholdPercent(), 0, 100, "0-100");
            Fallback fb = pool.fallback();
            if (fb != null) {
                String fp = p + ".fallback";
                if ((fb.pool() == null) == (fb.respond() == null)) {
                    add(ConfigMessage.NOT_EXACTLY_ONE.at(fp, "fallback", fb.pool() == null ? "none set" : "pool, respond set",
                            "pool, respond"));
                } else if (fb.pool() != null) {
                    Pool target = pools.stream().filter(Objects::nonNull).filter(x -> fb.pool().equals(x.name()))
                            .findFirst().orElse(null);
                    if (fb.pool().equals(pool.name())) {
                        add(ConfigMessage.FALLBACK_SELF.at(fp + ".pool", fb.pool()));
                    } else if (target == null) {
                        String known = pools.stream().filter(Objects::nonNull).map(Pool::name).filter(Objects::nonNull)
                                .collect(Collectors.joining(", "));
                        add(ConfigMessage.UNKNOWN_POOL.at(fp + ".pool", fb.pool(), known.isEmpty() ? "none" : known));
                    } else if (target.fallback() != null) {
                        add(ConfigMessage.FALLBACK_NOT_FOLLOWED.at(fp + ".pool", fb.pool()));
                    }
                } else {
                    range(fp + ".respond.status", "status", fb.respond().status(), 200, 599, "200-599");
                    if (hasControl(fb.respond().contentType())) {
                        add(ConfigMessage.CONTROL_CHARACTER.at(fp + ".respond.contentType", "contentType"));
                    }
                }
            }
            if (!pool.servers().isEmpty() && pool.servers().stream().allMatch(s -> s != null
                    && (Server.DRAIN.equals(s.state()) || Server.MAINTENANCE.equals(s.state())))) {
                add(ConfigMessage.NO_SERVER_IN_SERVICE.at(p + ".servers", String.valueOf(pool.name())));
            }
        }

        // ---- session affinity

        void stickyServerDown(DuetConfig d, String p, Route r) {
            if (!Route.STICKY_SERVER_DOWN.contains(r.stickyServerDown())) {
                add(ConfigMessage.NOT_ONE_OF.at(p + ".stickyServerDown", "stickyServerDown", r.stickyServerDown(),
                        String.join(", ", Route.STICKY_SERVER_DOWN)));
                return;
            }
            Pool pool = r.pool() == null ? null : d.pool(r.pool());
            if (Route.FAIL.equals(r.stickyServerDown()) && pool != null && pool.affinity() == null) {
                add(ConfigMessage.STICKY_FAIL_WITHOUT_AFFINITY.at(p + ".stickyServerDown", r.pool()));
            }
        }

        /** {@code cookies}: insert-cookie name and path to the first pool using them, across the document. */
        void affinity(String p, Pool pool, Map<String, String> cookies) {
            Affinity a = pool.affinity();
            if (a.mode() == null) {
                add(ConfigMessage.MISSING.at(p + ".mode", "mode", String.join(", ", Affinity.MODES)));
            } else if (!Affinity.MODES.contains(a.mode())) {
                add(ConfigMessage.NOT_ONE_OF.at(p + ".mode", "mode", a.mode(), String.join(", ", Affinity.MODES)));
            }
            boolean cookieMode = Affinity.COOKIE.equals(a.mode());
            if (a.signingKey() == null || a.signingKey().isBlank()) {
                if (cookieMode) {
                    add(ConfigMessage.AFFINITY_KEY_MISSING.at(p + ".signingKey"));
                }
            } else if (AffinityKey.isSealed(a.signingKey())) {
                if (a.mode() != null && !cookieMode) {
                    add(ConfigMessage.AFFINITY_KEY_UNUSED.at(p + ".signingKey", a.mode()));
                }
            } else {
                byte[] key = AffinityKey.decode(a.signingKey());
                if (key == null) {
                    add(ConfigMessage.AFFINITY_KEY_NOT_BASE64.at(p + ".signingKey"));
                } else if (key.length < AffinityKey.MIN_BYTES) {
                    add(ConfigMessage.AFFINITY_KEY_TOO_SHORT.at(p + ".signingKey", key.length));
                } else if (a.mode() != null && !cookieMode) {
                    add(ConfigMessage.AFFINITY_KEY_UNUSED.at(p + ".signingKey", a.mode()));
                }
            }
            affinityCookie(p + ".cookie", a.cookie(), cookieMode ? pool : null, cookies);
            learn(p + ".learn", a.learn(), pool);
            timeout(p + ".source.timeoutMs", "timeoutMs", a.source().timeoutMs());
            range(p + ".source.maxEntries", "maxEntries", a.source().maxEntries(), 1, 10_000_000, "1-10000000");
            Affinity.Header h = a.header();
            if (Affinity.HEADER.equals(a.mode()) && (h.name() == null || h.name().isBlank())) {
                add(ConfigMessage.MISSING.at(p + ".header.name", "name", "the request header to follow, e.g. X-Session"));
            } else if (h.name() != null && !isToken(h.name())) {
                add(ConfigMessage.INVALID_TOKEN.at(p + ".header.name", "name", h.name(), "a header name"));
            }
            timeout(p + ".header.timeoutMs", "timeoutMs", h.timeoutMs());
            range(p + ".header.maxEntries", "maxEntries", h.maxEntries(), 1, 10_000_000, "1-10000000");
        }

        void affinityCookie(String p, Affinity.Cookie c, Pool cookiePool, Map<String, String> cookies) {
            String lifetime = "1-34560000 seconds (400 days)";
            boolean nameOk = isToken(c.name());
            if (!nameOk) {
                add(ConfigMessage.INVALID_TOKEN.at(p + ".name", "name", c.name(), "a cookie name such as DUET_SERVER"));
            }
            if (c.maxAgeSeconds() != null) {
                range(p + ".maxAgeSeconds", "maxAgeSeconds", c.maxAgeSeconds(), 1, 34_560_000, lifetime);
            }
            if (c.idleTimeoutSeconds() != null) {
                range(p + ".idleTimeoutSeconds", "idleTimeoutSeconds", c.idleTimeoutSeconds(), 1, 34_560_000, lifetime);
            }
            if (c.absoluteTimeoutSeconds() != null) {
                range(p + ".absoluteTimeoutSeconds", "absoluteTimeoutSeconds", c.absoluteTimeoutSeconds(), 1,
                        34_560_000, lifetime);
            }
            if (c.idleTimeoutSeconds() != null && c.absoluteTimeoutSeconds() != null
                    && c.idleTimeoutSeconds() >= c.absoluteTimeoutSeconds()) {
                add(ConfigMessage.AFFINITY_IDLE_OVER_ABSOLUTE.at(p + ".idleTimeoutSeconds", c.idleTimeoutSeconds(),
                        c.absoluteTimeoutSeconds()));
            }
            if (!Affinity.Cookie.SAME_SITE.contains(c.sameSite())) {
                add(ConfigMessage.NOT_ONE_OF.at(p + ".sameSite", "sameSite", c.sameSite(),
                        String.join(", ", Affinity.Cookie.SAME_SITE)));
            } else if ("None".equals(c.sameSite()) && !c.secure()) {
                add(ConfigMessage.AFFINITY_SAME_SITE_NONE.at(p + ".sameSite"));
            }
            absolutePath(p + ".path", "path", c.path());
            if (c.path().indexOf(';') >= 0) {
                add(ConfigMessage.INVALID_TOKEN.at(p + ".path", "path", c.path(), "a path without ';'"));
            }
            if (c.domain() != null) {
                String d = c.domain().startsWith(".") ? c.domain().substring(1) : c.domain();
                String problem = HostName.problem(d);
                if (problem != null) {
                    add(ConfigMessage.INVALID_HOSTNAME.at(p + ".domain", "domain", c.domain(), problem));
                }
            }
            if (nameOk && c.name().startsWith("__Host-") && (!c.secure() || c.domain() != null || !"/".equals(c.path()))) {
                add(ConfigMessage.AFFINITY_COOKIE_PREFIX.at(p + ".name", c.name(), "__Host-",
                        "secure: true, path: / and no domain"));
            } else if (nameOk && c.name().startsWith("__Secure-") && !c.secure()) {
                add(ConfigMessage.AFFINITY_COOKIE_PREFIX.at(p + ".name", c.name(), "__Secure-", "secure: true"));
            }
            if (cookiePool != null && nameOk) {
                String first = cookies.putIfAbsent(c.name() + "\n" + c.path(), String.valueOf(cookiePool.name()));
                if (first != null) {
                    add(ConfigMessage.AFFINITY_COOKIE_SHARED.at(p + ".name", c.name(), c.path(), first));
                }
            }
        }

        void learn(String p, Affinity.Learn l, Pool pool) {
            if (!isToken(l.name())) {
                add(ConfigMessage.INVALID_TOKEN.at(p + ".name", "name", l.name(), "a cookie name such as JSESSIONID"));
            }
            timeout(p + ".timeoutMs", "timeoutMs", l.timeoutMs());
            range(p + ".maxEntries", "maxEntries", l.maxEntries(), 1, 10_000_000, "1-10000000");
            Set<String> ids = new HashSet<>();
            pool.servers().stream().filter(Objects::nonNull).map(Server::id).filter(Objects::nonNull).forEach(ids::add);
            Map<String, String> routes = new HashMap<>();
            for (int i = 0; i < l.jvmRoutes().size(); i++) {
                String rp = p + ".jvmRoutes[" + i + "]";
                Affinity.JvmRoute r = l.jvmRoutes().get(i);
                if (r == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(rp, "jvmRoutes[" + i + "]", "a route and a server id"));
                    continue;
                }
                if (r.route() == null || r.route().isEmpty()) {
                    add(ConfigMessage.MISSING.at(rp + ".route", "route", "the suffix after the last '.'"));
                } else if (!isToken(r.route()) || r.route().indexOf('.') >= 0) {
                    add(ConfigMessage.INVALID_TOKEN.at(rp + ".route", "route", r.route(),
                            "a route name without '.', such as node1"));
                } else {
                    String first = routes.putIfAbsent(r.route(), rp);
                    if (first != null) {
                        add(ConfigMessage.DUPLICATE_NAME.at(rp + ".route", "route", r.route(), first, "routes"));
                    }
                }
                if (r.server() == null || r.server().isEmpty()) {
                    add(ConfigMessage.MISSING.at(rp + ".server", "server", "a server id of the pool"));
                } else if (!ids.contains(r.server())) {
                    add(ConfigMessage.AFFINITY_UNKNOWN_SERVER.at(rp + ".server", r.server(),
                            String.valueOf(pool.name()), String.join(", ", new java.util.TreeSet<>(ids))));
                }
            }
        }

        /** What the pool's balancer needs from the request and the servers (DUET-CONFIG-0110..0114). */
        void balancerNeeds(String p, Pool pool) {
            BalancerAlgorithm algorithm = BalancerAlgorithm.byId(pool.balancer());
            if (algorithm == null) {
                return;
            }
            HashKey key = pool.hashKey();
            String kp = p + ".hashKey";
            if (key == null && algorithm.key() == BalancerAlgorithm.Key.REQUIRED) {
                add(ConfigMessage.HASH_KEY_REQUIRED.at(kp, String.valueOf(pool.name())));
            } else if (key != null && algorithm.key() == BalancerAlgorithm.Key.NONE) {
                add(ConfigMessage.HASH_KEY_IGNORED.at(kp, algorithm.id()));
            } else if (key != null) {
                if (key.source() == null) {
                    add(ConfigMessage.MISSING.at(kp + ".source", "source", String.join(", ", HashKey.SOURCES)));
                } else if (!HashKey.SOURCES.contains(key.source())) {
                    add(ConfigMessage.NOT_ONE_OF.at(kp + ".source", "source", key.source(),
                            String.join(", ", HashKey.SOURCES)));
                } else if (HashKey.named(key.source())) {
                    if (key.name() == null || key.name().isBlank()) {
                        add(ConfigMessage.HASH_KEY_NAME_REQUIRED.at(kp + ".name", key.source(), key.source()));
                    } else if (!HashKey.QUERY.equals(key.source()) && !isToken(key.name())) {
                        add(ConfigMessage.INVALID_TOKEN.at(kp + ".name", "name", key.name(),
                                "a " + key.source() + " name such as X-User or session"));
                    } else if (hasControl(key.name())) {
                        add(ConfigMessage.CONTROL_CHARACTER.at(kp + ".name", "name"));
                    }
                } else if (key.name() != null) {
                    add(ConfigMessage.HASH_KEY_NAME_IGNORED.at(kp + ".name", key.name(), key.source()));
                }
            }
            if (!algorithm.weighted()) {
                for (int j = 0; j < pool.servers().size(); j++) {
                    Server s = pool.servers().get(j);
                    if (s != null && s.weight() > 1 && s.weight() <= 256) {
                        add(ConfigMessage.WEIGHT_IGNORED.at(p + ".servers[" + j + "].weight", s.weight(),
                                algorithm.id(), algorithm == BalancerAlgorithm.LEAST_CONNECTIONS
                                        ? "weighted-least-connections" : "weighted-round-robin"));
                        break;
                    }
                }
            }
        }

        // ---- shared checks

        void uniqueName(String p, String name, Map<String, String> seen, String what) {
            if (name == null || name.isBlank()) {
                add(ConfigMessage.MISSING.at(p + ".name", "name", "a non-blank name"));
                return;
            }
            if (hasControl(name)) {
                add(ConfigMessage.CONTROL_CHARACTER.at(p + ".name", "name"));
            }
            String first = seen.putIfAbsent(name, p);
            if (first != null) {
                add(ConfigMessage.DUPLICATE_NAME.at(p + ".name", "name", name, first, what));
            }
        }

        boolean address(String p, String field, String value) {
            if (value == null || value.isBlank()) {
                add(ConfigMessage.MISSING.at(p, field, "an IP address or a host name"));
                return false;
            }
            if (!HostName.isAddress(value)) {
                add(ConfigMessage.INVALID_ADDRESS.at(p, field, value));
                return false;
            }
            return true;
        }

        void cidrs(String p, String field, List<String> list) {
            for (int i = 0; i < list.size(); i++) {
                String v = list.get(i);
                String ep = p + "[" + i + "]";
                if (v == null) {
                    add(ConfigMessage.NULL_ELEMENT.at(ep, field + "[" + i + "]", "an IP address or CIDR block"));
                } else if (CidrBlock.parse(v).isEmpty()) {
                    add(ConfigMessage.INVALID_CIDR.at(ep, field + "[" + i + "]", v));
                }
            }
        }

        void absolutePath(String p, String field, String path) {
            if (!path.startsWith("/")) {
                add(ConfigMessage.PATH_NOT_ABSOLUTE.at(p, field, path));
            } else if (hasControl(path)) {
                add(ConfigMessage.CONTROL_CHARACTER.at(p, field));
            }
        }

        void regex(String p, String field, String regex) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                add(ConfigMessage.INVALID_REGEX.at(p, field, regex, e.getDescription() + " near index " + e.getIndex()));
            }
        }

        void timeout(String p, String field, long value) {
            range(p, field, value, 1, ONE_DAY_MS, "1-86400000 ms (1 day)");
        }

        void range(String p, String field, long value, long min, long max, String expected) {
            if (value < min || value > max) {
                add(ConfigMessage.OUT_OF_RANGE.at(p, field, value, expected));
            }
        }
    }

    // ---- pure helpers shared by the checks

    /**
     * Parses one entry of a health check's {@code expectStatus}: {@code "200"} or {@code "200-399"} (100-599, low
     * before high). Returns {low, high}, or {@code null} when the entry is not valid.
     */
    public static int[] parseStatusRange(String s) {
        if (s == null) {
            return null;
        }
        java.util.regex.Matcher m = Pattern.compile("\\s*([0-9]{3})\\s*(?:-\\s*([0-9]{3})\\s*)?").matcher(s);
        if (!m.matches()) {
            return null;
        }
        int lo = Integer.parseInt(m.group(1));
        int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
        return lo < 100 || hi > 599 || lo > hi ? null : new int[]{lo, hi};
    }

    /** True when every request {@code later} matches is also matched by {@code earlier} (conservative). */
    static boolean covers(RouteMatch earlier, RouteMatch later) {
        if (!earlier.pathOnly()) {
            return false;
        }
        PathMatch a = earlier.path();
        if (a == null) {
            return true;
        }
        PathMatch b = later.path();
        if (b == null || !singleLiteral(a) || !singleLiteral(b)) {
            return false;
        }
        if (a.exact() != null) {
            return a.exact().equals(b.exact());
        }
        String candidate = b.exact() != null ? b.exact() : b.prefix();
        return candidate.startsWith("/") && prefixMatches(a.prefix(), candidate);
    }

    /** Exactly one of exact/prefix is set, it starts with '/', and no regex is set. */
    private static boolean singleLiteral(PathMatch m) {
        if (m.regex() != null || (m.exact() == null) == (m.prefix() == null)) {
            return false;
        }
        String v = m.exact() != null ? m.exact() : m.prefix();
        return v.startsWith("/");
    }

    /** The prefix semantics of {@link PathMatch#prefix()}: whole segments, or anything below a trailing '/'. */
    static boolean prefixMatches(String prefix, String path) {
        if (prefix.endsWith("/")) {
            return path.startsWith(prefix);
        }
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** An RFC 9110 token (header names, methods). */
    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasControl(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return true;
            }
        }
        return false;
    }
}
