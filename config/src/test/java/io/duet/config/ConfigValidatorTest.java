package io.duet.config;

import io.duet.config.ConfigCodec.Format;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ConfigValidatorTest {
    private static final String LISTENER = "listeners: [{name: l, port: 8080}]\n";
    private static final String HOST = """
            virtualHosts:
              - name: v
                defaultHost: true
                routes: [{name: r, pool: p}]
            """;
    private static final String POOL = "pools: [{name: p, servers: [{address: 10.0.0.1, port: 80}]}]\n";

    static DuetConfig yaml(String text) {
        try {
            return ConfigCodec.decode(text, Format.YAML);
        } catch (InvalidConfigException e) {
            throw new AssertionError("test document does not decode: " + e.getMessage(), e);
        }
    }

    static List<Violation> errors(String text) {
        return ConfigValidator.validate(yaml(text)).stream().filter(Violation::isError).toList();
    }

    static List<Violation> warnings(String text) {
        return ConfigValidator.validate(yaml(text)).stream().filter(v -> !v.isError()).toList();
    }

    static Tuple e(String path, int id) {
        return tuple(path, String.format("DUET-CONFIG-%04d", id));
    }

    // The minimal document the other tests start from is valid and has no warnings.
    @Test
    void minimalDocumentIsClean() {
        assertThat(ConfigValidator.validate(yaml(LISTENER + HOST + POOL))).isEmpty();
    }

    // Listener rules: revision, names, ports, duplicate binds, protocol, addresses, PROXY protocol peers, nulls.
    @Test
    void listenerRules() {
        List<Violation> v = errors("""
                revision: -1
                listeners:
                  - {name: a, port: 70000}
                  - {name: a, address: 300.1.1.1, port: 8080, protocol: https}
                  - {name: "", address: my_host, port: 8081, protocol: ftp}
                  - {name: c, address: 127.0.0.1, port: 9000, proxyProtocol: {enabled: true}}
                  - name: d
                    address: 127.0.0.1
                    port: 9000
                    proxyProtocol: {enabled: false, trustedAddresses: [10.0.0.0/33, "fe80::/129", "::1", 1.2.3.4/24, null]}
                  - {name: e, port: 0}
                  - {name: f, port: 0}
                  - {name: g, address: "::1", port: 7000}
                  - {name: h, address: "0:0:0:0:0:0:0:1", port: 7000}
                  - {name: i}
                  - null
                """ + HOST + POOL);
        assertThat(v).extracting(Violation::path, Violation::id).containsExactly(
                e("$.revision", 12),
                e("$.listeners[0].port", 12),
                e("$.listeners[1].name", 13),
                e("$.listeners[1].address", 16),
                e("$.listeners[2].name", 11),
                e("$.listeners[2].address", 16),
                e("$.listeners[2].protocol", 14),
                e("$.listeners[3].proxyProtocol.trustedAddresses", 33),
                e("$.listeners[4].port", 31),
                e("$.listeners[4].proxyProtocol.trustedAddresses[0]", 17),
                e("$.listeners[4].proxyProtocol.trustedAddresses[1]", 17),
                e("$.listeners[4].proxyProtocol.trustedAddresses[4]", 10),
                e("$.listeners[8].port", 31),
                e("$.listeners[9].port", 11),
                e("$.listeners[10]", 10));
        assertThat(v).extracting(Violation::message).contains(
                "revision: -1 (expected: >= 0)",
                "port: 70000 (expected: 0-65535)",
                "protocol: 'ftp' (expected one of: http, https)",
                "listener 'd' binds 127.0.0.1 port 9000, already bound by listener 'c' (expected: another address or port)",
                "trustedAddresses[0]: '10.0.0.0/33' (expected: an IP address or a CIDR block such as 10.0.0.0/8 or fd00::/8)",
                "name: 'a' is already used at $.listeners[0] (expected: unique listener names)");
        assertThat(errors("listeners: []\n" + HOST + POOL)).extracting(Violation::path, Violation::id)
                .containsExactly(e("$.listeners", 30));
    }

    // Limits stay inside their documented bounds; the header block must hold the request line.
    @Test
    void limitRules() {
        List<Violation> v = errors(LISTENER + HOST + POOL + """
                limits:
                  maxRequestLineBytes: 100
                  maxHeaderBytes: 2000000
                  maxHeaderCount: 0
                  maxBodyBytes: -1
                  headerTimeoutMs: 0
                  idleTimeoutMs: 86400001
                  bodyTimeoutMs: -5
                  minBodyBytesPerSecond: -1
                  maxConnectionsPerListener: 0
                  backendConnectTimeoutMs: 0
                  backendResponseTimeoutMs: 0
                """);
        assertThat(v).extracting(Violation::path, Violation::id).containsExactly(
                e("$.limits.maxRequestLineBytes", 12),
                e("$.limits.maxHeaderBytes", 12),
                e("$.limits.maxHeaderCount", 12),
                e("$.limits.maxBodyBytes", 12),
                e("$.limits.headerTimeoutMs", 12),
                e("$.limits.idleTimeoutMs", 12),
                e("$.limits.bodyTimeoutMs", 12),
                e("$.limits.minBodyBytesPerSecond", 12),
                e("$.limits.maxConnectionsPerListener", 12),
                e("$.limits.backendConnectTimeoutMs", 12),
                e("$.limits.backendResponseTimeoutMs", 12));
        assertThat(v.get(5).message()).isEqualTo("idleTimeoutMs: 86400001 (expected: 1-86400000 ms (1 day))");
        assertThat(errors(LISTENER + HOST + POOL + "limits: {maxRequestLineBytes: 8192, maxHeaderBytes: 4096}\n"))
                .extracting(Violation::path, Violation::id, Violation::message)
                .containsExactly(tuple("$.limits.maxHeaderBytes", "DUET-CONFIG-0040", "maxHeaderBytes: 4096 is smaller "
                        + "than maxRequestLineBytes: 8192 (expected: maxHeaderBytes >= maxRequestLineBytes)"));
    }

    // Forwarding and access log rules.
    @Test
    void forwardingAndAccessLogRules() {
        List<Violation> v = errors(LISTENER + HOST + POOL + """
                forwarding: {trustedProxies: [10.0.0.0/8, 10.0.0.300, localhost, "2001:db8::/32", null], requestIdHeader: "X Request Id"}
                accessLog: {format: xml, path: " "}
                """);
        assertThat(v).extracting(Violation::path, Violation::id).containsExactly(
                e("$.forwarding.trustedProxies[1]", 17),
                e("$.forwarding.trustedProxies[2]", 17),
                e("$.forwarding.trustedProxies[4]", 10),
                e("$.forwarding.requestIdHeader", 18),
                e("$.accessLog.format", 14),
                e("$.accessLog.path", 11));
        assertThat(v.get(4).message()).isEqualTo("format: 'xml' (expected one of: combined, json)");
        // an empty request id header disables request ids
        assertThat(errors(LISTENER + HOST + POOL + "forwarding: {requestIdHeader: \"\"}\n")).isEmpty();
    }

    // Access log to syslog: address, framing, facility, tag, length and host name are checked, each with its path
    // and id; a file path and syslog together are refused; a plain syslog output is valid and has no file path.
    @Test
    void accessLogSyslogRules() {
        List<Violation> v = errors(LISTENER + HOST + POOL + """
                accessLog:
                  path: logs/a.log
                  syslog: {address: "tcp://10.0.0.5:514", format: rfc9999, facility: local9, tag: "du et",
                           maxLength: 100, hostname: "a b"}
                """);
        assertThat(v).extracting(Violation::path, Violation::id).containsExactly(
                e("$.accessLog", 15),
                e("$.accessLog.syslog.address", 350),
                e("$.accessLog.syslog.format", 14),
                e("$.accessLog.syslog.facility", 14),
                e("$.accessLog.syslog.tag", 18),
                e("$.accessLog.syslog.maxLength", 12),
                e("$.accessLog.syslog.hostname", 50));
        assertThat(v.get(0).message()).isEqualTo("accessLog: path, syslog set (expected: exactly one of path, syslog)");
        assertThat(v.get(1).message()).startsWith("address: 'tcp://10.0.0.5:514' (expected: udp://host:port");

        for (String bad : List.of("udp://10.0.0.5", "udp://10.0.0.5:0", "udp://10.0.0.5:70000", "udp://::1:514",
                "udp://[10.0.0.1]:514", "udp://my_host:514", "unix://dev/log", "unix://", "/dev/log")) {
            assertThat(errors(LISTENER + HOST + POOL + "accessLog: {syslog: {address: \"" + bad + "\"}}\n"))
                    .as(bad).extracting(Violation::path, Violation::id)
                    .containsExactly(e("$.accessLog.syslog.address", 350));
        }
        assertThat(errors(LISTENER + HOST + POOL + "accessLog: {syslog: {}}\n"))
                .extracting(Violation::path, Violation::id).containsExactly(e("$.accessLog.syslog.address", 11));

        for (String good : List.of("udp://127.0.0.1:514", "udp://[::1]:514", "udp://logs.example.com:5140",
                "unix:///dev/log")) {
            DuetConfig d = yaml(LISTENER + HOST + POOL + "accessLog: {syslog: {address: \"" + good + "\"}}\n");
            assertThat(ConfigValidator.validate(d)).as(good).isEmpty();
            assertThat(d.accessLog().path()).isNull();
            assertThat(d.accessLog().syslog().format()).isEqualTo("rfc5424");
            assertThat(d.accessLog().syslog().maxLength()).isEqualTo(2048);
            assertThat(d.accessLog().syslog().facilityCode()).isEqualTo(16);
        }
        DuetConfig bsd = yaml(LISTENER + HOST + POOL
                + "accessLog: {syslog: {address: \"unix:///dev/log\", format: rfc3164, facility: daemon}}\n");
        assertThat(bsd.accessLog().syslog().maxLength()).isEqualTo(1024);
        assertThat(bsd.accessLog().syslog().facilityCode()).isEqualTo(3);
        // The codec writes the syslog output back as it read it, without inventing a file path.
        DuetConfig again = yaml(ConfigCodec.encode(bsd, Format.YAML));
        assertThat(again.accessLog()).isEqualTo(bsd.accessLog());
        assertThat(again.accessLog().path()).isNull();
        assertThat(SyslogAddress.parse("udp://[::1]:514")).contains(new SyslogAddress("::1", 514, null));
        assertThat(SyslogAddress.parse("unix:///dev/log")).contains(new SyslogAddress(null, 0, "/dev/log"));
    }

    // Virtual host rules: names, host name syntax, a host name in two hosts, one default, reachable hosts.
    @Test
    void virtualHostRules() {
        List<Violation> v = errors(LISTENER + POOL + """
                virtualHosts:
                  - name: a
                    hostnames: [a.example.com, A.Example.COM, "*.example.com", "foo.*.com", example.com., "host:8080",
                                -bad.com, under_score.com, "*", null, "[::1]", "[nope]", 999.1.1.1, 10.1.1.1]
                    routes: [{name: r, pool: p}]
                  - {name: a, hostnames: [b.example.com], defaultHost: true, routes: [{name: r, pool: p}]}
                  - {name: c, hostnames: [B.EXAMPLE.com], defaultHost: true, routes: [{name: r, pool: p}]}
                  - {name: d, routes: [{name: r, pool: p}]}
                  - null
                """);
        assertThat(v).extracting(Violation::path, Violation::id).containsExactly(
                e("$.virtualHosts[0].hostnames[1]", 13),
                e("$.virtualHosts[0].hostnames[3]", 50),
                e("$.virtualHosts[0].hostnames[4]", 50),
                e("$.virtualHosts[0].hostnames[5]", 50),
                e("$.virtualHosts[0].hostnames[6]", 50),
                e("$.virtualHosts[0].hostnames[7]", 50),
                e("$.virtualHosts[0].hostnames[8]", 50),
                e("$.virtualHosts[0].hostnames[9]", 10),
                e("$.virtualHosts[0].hostnames[11]", 50),
                e("$.virtualHosts[0].hostnames[12]", 50),
                e("$.virtualHosts[1].name", 13),
                e("$.virtualHosts[2].hostnames[0]", 51),
                e("$.virtualHosts[2].defaultHost", 52),
                e("$.virtualHosts[3].hostnames", 53),
                e("$.virtualHosts[4]", 10));
        assertThat(v).extracting(Violation::message).contains(
                "hostname 'B.EXAMPLE.com' is claimed by virtual hosts 'a' and 'c' (expected: each hostname in one virtual host)",
                "hostnames[4]: 'example.com.' (expected: a host name without a trailing dot)",
                "hostnames[5]: 'host:8080' (expected: a host name without a port)",
                "defaultHost: virtual host 'a' is the default already (expected: at most one default host)");
        assertThat(warnings(LISTENER + POOL + "virtualHosts: [{name: v, defaultHost: true}]\n"))
                .extracting(Violation::path, Violation::id)
                .containsExactly(e("$.virtualHosts[0].routes", 55), e("$.pools[0]", 72));
        assertThat(warnings(LISTENER + POOL)).extracting(Violation::path, Violation::id)
                .containsExactly(e("$.virtualHosts", 54), e("$.pools[0]", 72));
    }

    // Route actions: unique names, exactly one action, known pool, redirect and respond values, no-effect warnings.
    @Test
    void routeActionRules() {
        String doc = LISTENER + """
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes:
                      - {name: r0, pool: nope}
                      - {name: r0, pool: p, redirect: {location: /x}}
                      - {name: " ", match: {path: {exact: x, prefix: /y}}}
                      - {name: r3, redirect: {status: 300, location: " "}, rewrite: {prefix: /a}, compression: {enabled: true}}
                      - {name: r4, respond: {status: 100}, requestHeaders: [{op: remove, name: X-A}]}
                      - {name: r5, redirect: {location: "/a\\r\\nSet-Cookie: x=1"}}
                      - null
                pools:
                  - {name: p, servers: [{address: 10.0.0.1, port: 80}]}
                  - {name: q, servers: [{address: 10.0.0.2, port: 80}]}
                """;
        assertThat(errors(doc)).extracting(Violation::path, Violation::id).containsExactly(
                e("$.virtualHosts[0].routes[0].pool", 60),
                e("$.virtualHosts[0].routes[1].name", 13),
                e("$.virtualHosts[0].routes[1]", 15),
                e("$.virtualHosts[0].routes[2].name", 11),
                e("$.virtualHosts[0].routes[2].match.path.exact", 61),
                e("$.virtualHosts[0].routes[2].match.path", 15),
                e("$.virtualHosts[0].routes[2]", 15),
                e("$.virtualHosts[0].routes[3].redirect.status", 14),
                e("$.virtualHosts[0].routes[3].redirect.location", 11),
                e("$.virtualHosts[0].routes[4].respond.status", 12),
                e("$.virtualHosts[0].routes[5].redirect.location", 20),
                e("$.virtualHosts[0].routes[6]", 10));
        assertThat(errors(doc)).extracting(Violation::message).contains(
                "pool: unknown pool 'nope' (known: p, q)",
                "action: pool, redirect set (expected: exactly one of pool, redirect, respond)",
                "action: none set (expected: exactly one of pool, redirect, respond)",
                "path: exact, prefix set (expected: exactly one of exact, prefix, regex)",
                "status: '300' (expected one of: 301, 302, 303, 307, 308)");
        // (route r0 matches everything, so the later ones are also reported as unreachable: tested elsewhere)
        assertThat(warnings(doc)).filteredOn(w -> w.id().equals("DUET-CONFIG-0065"))
                .extracting(Violation::path, Violation::id).containsExactly(
                e("$.virtualHosts[0].routes[3].rewrite", 65),
                e("$.virtualHosts[0].routes[3].compression", 65),
                e("$.virtualHosts[0].routes[4].requestHeaders", 65));
        assertThat(warnings(doc).get(0).message()).isEqualTo("rewrite: has no effect on a redirect route (remove it)");
    }

    // Route conditions: every regex compiles, value matches have a name and one test, methods and media types.
    @Test
    void routeMatchRules() {
        List<Violation> v = errors(LISTENER + POOL + """
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes:
                      - name: r
                        pool: p
                        match:
                          path: {regex: "(unclosed"}
                          methods: [get, "GE T", null, PURGE]
                          headers: [{name: "Bad Header", exact: a, regex: b}, {name: X, regex: "[z"}, {}]
                          query: [{name: q, present: false, regex: "*x"}]
                          cookies: [{name: "", exact: v}, null]
                          contentTypes: [json, "text/html; charset=utf-8", null, application/vnd.api+json]
                          body: {regex: "(", maxBytes: 70000}
                """);
        String m = "$.virtualHosts[0].routes[0].match";
        assertThat(v).extracting(Violation::path, Violation::id).containsExactly(
                e(m + ".path.regex", 19),
                e(m + ".methods[0]", 62),
                e(m + ".methods[1]", 62),
                e(m + ".methods[2]", 10),
                e(m + ".headers[0].name", 18),
                e(m + ".headers[0]", 15),
                e(m + ".headers[1].regex", 19),
                e(m + ".headers[2].name", 11),
                e(m + ".headers[2]", 15),
                e(m + ".query[0].regex", 19),
                e(m + ".query[0]", 15),
                e(m + ".cookies[0].name", 11),
                e(m + ".cookies[1]", 10),
                e(m + ".contentTypes[0]", 63),
                e(m + ".contentTypes[1]", 63),
                e(m + ".contentTypes[2]", 10),
                e(m + ".body.regex", 19),
                e(m + ".body.maxBytes", 12));
        assertThat(v.get(0).message()).isEqualTo("regex: '(unclosed' is not a valid regex: Unclosed group near index 9");
        assertThat(v.get(1).message()).isEqualTo("methods[0]: 'get' (expected: an upper-case method token such as GET)");
    }

    // Header rules, rewrite, compression, body size, timeout and retries of a route.
    @Test
    void routeOptionRules() {
        List<Violation> v = errors(LISTENER + POOL + """
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes:
                      - name: r
                        pool: p
                        requestHeaders:
                          - {op: replace, name: X}
                          - {op: set, name: Connection, value: x}
                          - {op: add, name: content-length, value: "1"}
                          - {op: set, name: X-A}
                          - {op: remove, name: "bad name"}
                          - {op: set, name: X-B, value: "a\\r\\nb"}
                          - null
                          - {op: set, name: Keep-Alive, value: "1"}
                        responseHeaders: [{name: Transfer-Encoding}, {op: remove, name: HOST}]
                        rewrite: {prefix: api}
                        compression: {level: 10, minBytes: -1, mimeTypes: [html]}
                        maxBodyBytes: -1
                        responseTimeoutMs: 0
                        retries: 6
                """);
        String r = "$.virtualHosts[0].routes[0]";
        assertThat(v).extracting(Violation::path, Violation::id).containsExactly(
                e(r + ".requestHeaders[0].op", 14),
                e(r + ".requestHeaders[1].name", 64),
                e(r + ".requestHeaders[2].name", 64),
                e(r + ".requestHeaders[3].value", 11),
                e(r + ".requestHeaders[4].name", 18),
                e(r + ".requestHeaders[5].value", 20),
                e(r + ".requestHeaders[6]", 10),
                e(r + ".requestHeaders[7].name", 64),
                e(r + ".responseHeaders[0].op", 11),
                e(r + ".responseHeaders[0].name", 64),
                e(r + ".responseHeaders[1].name", 64),
                e(r + ".rewrite.prefix", 61),
                e(r + ".compression.level", 12),
                e(r + ".compression.minBytes", 12),
                e(r + ".compression.mimeTypes[0]", 63),
                e(r + ".maxBodyBytes", 12),
                e(r + ".responseTimeoutMs", 12),
                e(r + ".retries", 12));
        assertThat(v).extracting(Violation::message).contains(
                "name: 'Connection' is a hop-by-hop header and cannot be the target of a header rule (remove the rule)",
                "name: 'content-length' is managed by Duet and cannot be the target of a header rule (remove the rule)",
                "op: 'replace' (expected one of: set, add, remove)",
                "value: missing (expected: a value for op 'set')",
                "retries: 6 (expected: 0-5)");
    }

    // A route behind an earlier path-only route that covers its path is reported as unreachable, and only then.
    @Test
    void unreachableRoutes() {
        List<Violation> w = warnings(LISTENER + POOL + """
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes:
                      - {name: api, match: {path: {prefix: /api}}, pool: p}
                      - {name: api-v1, match: {path: {prefix: /api/v1}, methods: [GET]}, pool: p}
                      - {name: apix, match: {path: {exact: /apix}}, pool: p}
                      - {name: api-exact, match: {path: {exact: /api}}, pool: p}
                      - {name: header, match: {headers: [{name: X, present: true}]}, pool: p}
                      - {name: docs-dir, match: {path: {prefix: /docs/}}, pool: p}
                      - {name: docs, match: {path: {exact: /docs}}, pool: p}
                      - {name: docs-page, match: {path: {prefix: /docs/a}}, pool: p}
                      - {name: rx, match: {path: {regex: "/api/.*"}}, pool: p}
                      - {name: apix-again, match: {path: {exact: /apix}, methods: [POST]}, pool: p}
                      - {name: all, pool: p}
                      - {name: after-all, match: {path: {prefix: /z}}, pool: p}
                      - {name: after-all-2, match: {methods: [GET]}, respond: {status: 204}}
                """);
        String h = "$.virtualHosts[0].routes";
        assertThat(w).extracting(Violation::path, Violation::id).containsExactly(
                e(h + "[1]", 66),
                e(h + "[3]", 66),
                e(h + "[7]", 66),
                e(h + "[9]", 66),
                e(h + "[11]", 66),
                e(h + "[12]", 66));
        assertThat(w.get(0).message())
                .isEqualTo("route 'api-v1' is unreachable: route 'api' above matches every request it matches");
        assertThat(w.get(3).message())
                .isEqualTo("route 'apix-again' is unreachable: route 'apix' above matches every request it matches");
    }

    // A route behind a path-only '/' prefix route gets a request only by OPTIONS * (the one path without a leading
    // '/'): a warning of its own; a later route that cannot take OPTIONS is unreachable outright.
    @Test
    void routesBehindRootPrefix() {
        List<Violation> w = warnings(LISTENER + POOL + """
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes:
                      - {name: root, match: {path: {prefix: /}}, pool: p}
                      - {name: rx, match: {path: {regex: ".*"}}, pool: p}
                      - {name: rx-a, match: {path: {regex: "/a.*"}}, pool: p}
                      - {name: options, match: {methods: [OPTIONS]}, pool: p}
                      - {name: get, match: {methods: [GET]}, pool: p}
                      - {name: all, pool: p}
                """);
        String h = "$.virtualHosts[0].routes";
        assertThat(w).extracting(Violation::path, Violation::id).containsExactly(
                e(h + "[1]", 67),
                e(h + "[2]", 66),
                e(h + "[3]", 67),
                e(h + "[4]", 66),
                e(h + "[5]", 67));
        assertThat(w.get(4).message()).isEqualTo("route 'all' is unreachable except by 'OPTIONS *': route 'root' "
                + "above (path prefix /) matches every request with a path");
    }

    // Pool rules: names, balancer, servers present and valid, unique ids, a primary server, timeouts; unused pools warn.
    @Test
    void poolRules() {
        String doc = LISTENER + """
                virtualHosts:
                  - {name: v, defaultHost: true, routes: [{name: r2, match: {path: {exact: /b}}, pool: b}, {name: r, pool: a}]}
                pools:
                  - {name: a, balancer: random, servers: []}
                  - name: a
                    connectTimeoutMs: 0
                    maxConnectionsPerServer: 0
                    servers:
                      - {id: s, address: 10.0.0.1, port: 0, weight: 257, backup: true}
                      - {id: s, address: "", port: 70000, weight: -1, backup: true}
                      - {address: bad host, port: 80, backup: true}
                      - {address: h}
                      - null
                  - {name: b, servers: [{address: 10.0.0.2, port: 80, backup: true}]}
                  - {name: "", servers: [{address: "2001:db8::1", port: 80}]}
                  - {name: unused, servers: [{address: 10.0.0.3, port: 80}]}
                  - null
                """;
        assertThat(errors(doc)).extracting(Violation::path, Violation::id).containsExactly(
                e("$.pools[0].balancer", 14),
                e("$.pools[0].servers", 70),
                e("$.pools[1].name", 13),
                e("$.pools[1].servers[0].port", 12),
                e("$.pools[1].servers[0].weight", 12),
                e("$.pools[1].servers[1].id", 13),
                e("$.pools[1].servers[1].address", 11),
                e("$.pools[1].servers[1].port", 12),
                e("$.pools[1].servers[1].weight", 12),
                e("$.pools[1].servers[2].address", 16),
                e("$.pools[1].servers[3].port", 11),
                e("$.pools[1].servers[4]", 10),
                e("$.pools[1].connectTimeoutMs", 12),
                e("$.pools[1].maxConnectionsPerServer", 12),
                e("$.pools[2].servers", 71),
                e("$.pools[3].name", 11),
                e("$.pools[5]", 10));
        assertThat(errors(doc)).extracting(Violation::message).contains(
                "balancer: 'random' (expected one of: " + String.join(", ", Pool.BALANCERS) + ")",
                "pool 'a' has no server (expected: at least one)",
                "pool 'b' has only backup servers (expected: at least one server with backup: false)",
                "port: 70000 (expected: 1-65535)",
                "weight: 257 (expected: 0-256)");
        assertThat(warnings(doc)).extracting(Violation::path, Violation::id, Violation::message)
                .containsExactly(tuple("$.pools[4]", "DUET-CONFIG-0072", "pool 'unused' is not used by any route"));
    }

    // serverLimit: maxRequests is required and bounded; the queue size and timeout are bounded.
    @Test
    void serverLimitRules() {
        String doc = LISTENER + """
                virtualHosts:
                  - {name: v, defaultHost: true, routes: [{name: r1, match: {path: {prefix: /1}}, pool: a}, {name: r2, pool: b}]}
                pools:
                  - {name: a, servers: [{address: 10.0.0.1, port: 80}], serverLimit: {maxQueued: -1, queueTimeoutMs: 0}}
                  - {name: b, servers: [{address: 10.0.0.2, port: 80}], serverLimit: {maxRequests: 0}}
                """;
        assertThat(errors(doc)).extracting(Violation::path, Violation::id).containsExactly(
                e("$.pools[0].serverLimit.maxRequests", 11),
                e("$.pools[0].serverLimit.maxQueued", 12),
                e("$.pools[0].serverLimit.queueTimeoutMs", 12),
                e("$.pools[1].serverLimit.maxRequests", 12));
        assertThat(ConfigValidator.validate(yaml(LISTENER + HOST
                + "pools: [{name: p, servers: [{address: 10.0.0.1, port: 80}], serverLimit: {maxRequests: 100}}]\n")))
                .isEmpty();
    }

    // Health settings: checks, outlier detection, slow start, panic, fallback and admin states (0130..0140).
    @Test
    void healthRules() {
        String doc = LISTENER + """
                virtualHosts:
                  - {name: v, defaultHost: true, routes: [{name: r, pool: a}]}
                pools:
                  - name: a
                    servers:
                      - {address: 10.0.0.1, port: 80, state: paused}
                      - {address: 10.0.0.2, port: 80, state: drain, drainUntil: tomorrow}
                      - {address: 10.0.0.3, port: 80, drainUntil: "2030-01-01T12:00:00Z"}
                    healthCheck: {type: udp, method: get, path: health, host: "a b", expectStatus: ["2xx", "200-199", "204"],
                                  bodyRegex: "(", intervalMs: 5, timeoutMs: 0, rise: 0, fall: 101, jitterPercent: 60,
                                  verifyTls: true}
                    outlierDetection: {consecutiveFailures: 0, baseEjectionMs: 30000, maxEjectionMs: 1000, maxEjectionPercent: 101}
                    slowStartMs: -1
                    panicThresholdPercent: 101
                    fallback: {pool: a}
                  - name: b
                    servers: [{address: 10.0.0.4, port: 80, state: maintenance}]
                    healthCheck: {type: tcp, bodyRegex: ok, timeoutMs: 3000}
                    fallback: {pool: c}
                  - name: c
                    servers: [{address: 10.0.0.5, port: 80}]
                    fallback: {pool: nope}
                  - name: d
                    servers: [{address: 10.0.0.6, port: 80}]
                    fallback: {}
                """;
        assertThat(errors(doc)).extracting(Violation::path, Violation::id).containsExactly(
                e("$.pools[0].servers[0].state", 14),
                e("$.pools[0].servers[1].drainUntil", 132),
                e("$.pools[0].healthCheck.type", 14),
                e("$.pools[0].healthCheck.intervalMs", 12),
                e("$.pools[0].healthCheck.timeoutMs", 12),
                e("$.pools[0].healthCheck.rise", 12),
                e("$.pools[0].healthCheck.fall", 12),
                e("$.pools[0].healthCheck.jitterPercent", 12),
                e("$.pools[0].healthCheck.method", 62),
                e("$.pools[0].healthCheck.path", 61),
                e("$.pools[0].healthCheck.host", 138),
                e("$.pools[0].healthCheck.expectStatus[0]", 130),
                e("$.pools[0].healthCheck.expectStatus[1]", 130),
                e("$.pools[0].healthCheck.bodyRegex", 19),
                e("$.pools[0].outlierDetection.consecutiveFailures", 12),
                e("$.pools[0].outlierDetection.maxEjectionMs", 139),
                e("$.pools[0].outlierDetection.maxEjectionPercent", 12),
                e("$.pools[0].slowStartMs", 12),
                e("$.pools[0].panicThresholdPercent", 12),
                e("$.pools[0].fallback.pool", 131),
                e("$.pools[2].fallback.pool", 60),
                e("$.pools[3].fallback", 15));
        assertThat(warnings(doc)).extracting(Violation::path, Violation::id).containsExactly(
                e("$.pools[0].servers[2].drainUntil", 133),
                e("$.pools[0].healthCheck.verifyTls", 140),
                e("$.pools[1]", 72),
                e("$.pools[1].healthCheck.timeoutMs", 134),
                e("$.pools[1].healthCheck.bodyRegex", 135),
                e("$.pools[1].fallback.pool", 137),
                e("$.pools[1].servers", 136),
                e("$.pools[3]", 72));
    }

    // Balancer needs: hash without a key, unnamed header/cookie/query keys, bad sources and names are errors.
    @Test
    void balancerKeyErrors() {
        String doc = LISTENER + """
                virtualHosts:
                  - {name: v, defaultHost: true, routes: [{name: r1, match: {path: {prefix: /1}}, pool: p1}, {name: r2, match: {path: {prefix: /2}}, pool: p2}, {name: r3, match: {path: {prefix: /3}}, pool: p3}, {name: r4, match: {path: {prefix: /4}}, pool: p4}, {name: r5, match: {path: {prefix: /5}}, pool: p5}, {name: r, pool: p0}]}
                pools:
                  - {name: p0, balancer: hash, servers: [{address: 10.0.0.1, port: 80}]}
                  - {name: p1, balancer: hash, hashKey: {source: header}, servers: [{address: 10.0.0.1, port: 80}]}
                  - {name: p2, balancer: lblc, hashKey: {source: cookie, name: " "}, servers: [{address: 10.0.0.1, port: 80}]}
                  - {name: p3, balancer: lblcr, hashKey: {source: body}, servers: [{address: 10.0.0.1, port: 80}]}
                  - {name: p4, balancer: hash, hashKey: {name: x}, servers: [{address: 10.0.0.1, port: 80}]}
                  - {name: p5, balancer: hash, hashKey: {source: header, name: "X User"}, servers: [{address: 10.0.0.1, port: 80}]}
                """;
        assertThat(errors(doc)).extracting(Violation::path, Violation::id, Violation::message).containsExactly(
                tuple("$.pools[0].hashKey", "DUET-CONFIG-0110", "pool 'p0': balancer 'hash' needs hashKey (expected: "
                        + "hashKey: {source: uri, path, header, cookie or query, name: the header, cookie or parameter name})"),
                tuple("$.pools[1].hashKey.name", "DUET-CONFIG-0112",
                        "name: missing for source 'header' (expected: the header name whose value is hashed)"),
                tuple("$.pools[2].hashKey.name", "DUET-CONFIG-0112",
                        "name: missing for source 'cookie' (expected: the cookie name whose value is hashed)"),
                tuple("$.pools[3].hashKey.source", "DUET-CONFIG-0014",
                        "source: 'body' (expected one of: uri, path, header, cookie, query)"),
                tuple("$.pools[4].hashKey.source", "DUET-CONFIG-0011",
                        "source: missing (expected: uri, path, header, cookie, query)"),
                tuple("$.pools[5].hashKey.name", "DUET-CONFIG-0018",
                        "name: 'X User' (expected: a header name such as X-User or session)"));
        assertThat(warnings(doc)).isEmpty();
    }

    // Settings a balancer ignores warn: hashKey on a keyless balancer, a name on uri/path, weights on unweighted ones.
    @Test
    void balancerIgnoredSettingsWarn() {
        String doc = LISTENER + """
                virtualHosts:
                  - {name: v, defaultHost: true, routes: [{name: r1, match: {path: {prefix: /1}}, pool: p1}, {name: r2, match: {path: {prefix: /2}}, pool: p2}, {name: r3, match: {path: {prefix: /3}}, pool: p3}, {name: r4, match: {path: {prefix: /4}}, pool: p4}, {name: r, pool: p0}]}
                pools:
                  - {name: p0, balancer: round-robin, hashKey: {source: uri}, servers: [{address: 10.0.0.1, port: 80}]}
                  - {name: p1, balancer: hash, hashKey: {source: path, name: x}, servers: [{address: 10.0.0.1, port: 80}]}
                  - {name: p2, servers: [{address: 10.0.0.1, port: 80, weight: 0}, {address: 10.0.0.2, port: 80, weight: 3}, {address: 10.0.0.3, port: 80, weight: 2}]}
                  - {name: p3, balancer: least-connections, servers: [{address: 10.0.0.1, port: 80}, {address: 10.0.0.2, port: 80, weight: 5}]}
                  - {name: p4, balancer: weighted-least-connections, servers: [{address: 10.0.0.1, port: 80}, {address: 10.0.0.2, port: 80, weight: 5}]}
                """;
        assertThat(errors(doc)).isEmpty();
        assertThat(warnings(doc)).extracting(Violation::path, Violation::id, Violation::message).containsExactly(
                tuple("$.pools[0].hashKey", "DUET-CONFIG-0111", "hashKey: balancer 'round-robin' reads no request key, "
                        + "so hashKey has no effect (remove it, or use hash, lblc or lblcr)"),
                tuple("$.pools[1].hashKey.name", "DUET-CONFIG-0113", "name: 'x' has no effect with source 'path' (remove it)"),
                tuple("$.pools[2].servers[1].weight", "DUET-CONFIG-0114", "weight: 3 has no effect with balancer "
                        + "'round-robin', which ignores weights (use a weighted balancer such as weighted-round-robin, or "
                        + "remove the weight)"),
                tuple("$.pools[3].servers[1].weight", "DUET-CONFIG-0114", "weight: 5 has no effect with balancer "
                        + "'least-connections', which ignores weights (use a weighted balancer such as "
                        + "weighted-least-connections, or remove the weight)"));
    }

    // Every balancer name is accepted; lblc and lblcr work without a hashKey (they default to the uri).
    @Test
    void everyBalancerAccepted() {
        for (String b : Pool.BALANCERS) {
            String pool = b.equals("hash")
                    ? "pools: [{name: p, balancer: hash, hashKey: {source: query, name: user}, servers: [{address: 10.0.0.1, port: 80}]}]\n"
                    : "pools: [{name: p, balancer: " + b + ", servers: [{address: 10.0.0.1, port: 80}]}]\n";
            assertThat(ConfigValidator.validate(yaml(LISTENER + HOST + pool))).as(b).isEmpty();
        }
        assertThat(Pool.BALANCERS).containsExactly("round-robin", "weighted-round-robin", "least-connections",
                "weighted-least-connections", "random-two-choices", "least-response-time", "source-hash", "hash",
                "lblc", "lblcr", "first-available");
    }

    // A document with problems everywhere reports all of them, errors before warnings.
    @Test
    void reportsEveryProblemAtOnce() {
        List<Violation> all = ConfigValidator.validate(yaml("""
                revision: -5
                listeners: [{name: l, port: 99999, protocol: https}]
                limits: {maxHeaderCount: 0}
                forwarding: {trustedProxies: [nope]}
                accessLog: {format: xml}
                virtualHosts:
                  - name: v
                    hostnames: [a.example.com, "bad host"]
                    routes:
                      - {name: all, pool: p}
                      - {name: later, match: {path: {regex: "("}}, pool: missing, rewrite: {prefix: x}}
                      - {name: fixed, respond: {status: 200}, rewrite: {prefix: /x}}
                  - {name: w, hostnames: [A.example.com], routes: [{name: r, redirect: {status: 200, location: /}}]}
                pools:
                  - {name: p, balancer: random, servers: [{address: 10.0.0.1, port: 0}]}
                  - {name: spare, servers: []}
                """));
        assertThat(all).extracting(Violation::path, Violation::id).containsExactly(
                e("$.revision", 12),
                e("$.listeners[0].port", 12),
                e("$.limits.maxHeaderCount", 12),
                e("$.forwarding.trustedProxies[0]", 17),
                e("$.accessLog.format", 14),
                e("$.virtualHosts[0].hostnames[1]", 50),
                e("$.virtualHosts[0].routes[1].match.path.regex", 19),
                e("$.virtualHosts[0].routes[1].pool", 60),
                e("$.virtualHosts[0].routes[1].rewrite.prefix", 61),
                e("$.virtualHosts[1].hostnames[0]", 51),
                e("$.virtualHosts[1].routes[0].redirect.status", 14),
                e("$.pools[0].balancer", 14),
                e("$.pools[0].servers[0].port", 12),
                e("$.pools[1].servers", 70),
                // warnings last
                e("$.listeners[0].tls.certificates", 170),
                e("$.virtualHosts[0].routes[2].rewrite", 65),
                e("$.virtualHosts[0].routes[1]", 66),
                e("$.virtualHosts[0].routes[2]", 66),
                e("$.pools[1]", 72));
        assertThat(all.subList(0, 14)).allMatch(Violation::isError);
        assertThat(all.subList(14, 19)).noneMatch(Violation::isError);
        assertThatThrownBy(() -> ConfigValidator.requireValid(yaml(LISTENER + POOL + HOST + "revision: -1\n")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("DUET-CONFIG-0012 $.revision: revision: -1 (expected: >= 0)");
    }
}
