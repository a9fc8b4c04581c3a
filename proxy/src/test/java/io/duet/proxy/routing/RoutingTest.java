package io.duet.proxy.routing;

import io.duet.config.BodyMatch;
import io.duet.config.Compression;
import io.duet.config.DuetConfig;
import io.duet.config.HeaderRule;
import io.duet.config.Listener;
import io.duet.config.PathMatch;
import io.duet.config.Pool;
import io.duet.config.Route;
import io.duet.config.RouteMatch;
import io.duet.config.Server;
import io.duet.config.ValueMatch;
import io.duet.config.VirtualHost;
import io.duet.config.build.ConfigBuilders;
import io.duet.config.build.DocumentBuilder;
import io.duet.config.build.RouteBuilder;
import io.duet.proxy.testing.ProxyFixture;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing through a real data plane: four pools A-D, each one {@link StubBackend} named after its pool, so the
 * {@code X-Backend} response header names the route that won. One data plane for the class; each test applies
 * its own document (a reload keeps the listener).
 */
class RoutingTest {
    private static final List<String> POOLS = List.of("A", "B", "C", "D");
    private static final Map<String, StubBackend> BACKENDS = new LinkedHashMap<>();
    private static ProxyFixture proxy;
    private static long revision = 1;

    @BeforeAll
    static void start() {
        for (String p : POOLS) {
            BACKENDS.put(p, StubBackend.start(p));
        }
        proxy = ProxyFixture.start(config(List.of(vhost("default", List.of("example.test"), true,
                Route.forward("all", RouteMatch.any(), "A")))));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        BACKENDS.values().forEach(StubBackend::close);
    }

    // ---- document helpers ----

    private static DuetConfig config(List<VirtualHost> vhosts, Pool... extraPools) {
        DocumentBuilder doc = ConfigBuilders.document().revision(revision++)
                .listener(new Listener("http", "127.0.0.1", 0));
        vhosts.forEach(doc::virtualHost);
        for (Pool p : extraPools) {
            doc.pool(p);
        }
        for (String p : POOLS) {
            doc.pool(ConfigBuilders.pool(p).balancer(Pool.ROUND_ROBIN)
                    .server(ConfigBuilders.server("127.0.0.1", BACKENDS.get(p).port()).id(p)));
        }
        return doc.build();
    }

    private static VirtualHost vhost(String name, List<String> hosts, boolean dflt, Route... routes) {
        return new VirtualHost(name, hosts, dflt, List.of(routes));
    }

    /** Applies one default virtual host with these routes. */
    private static void routes(Route... routes) {
        proxy.dataPlane().apply(config(List.of(vhost("default", List.of("example.test"), true, routes))));
    }

    private static Route fwd(String name, M match, String pool) {
        return Route.forward(name, match.build(), pool);
    }

    /** A route with this name and match; the test adds what it does. */
    private static RouteBuilder route(String name, M match) {
        return ConfigBuilders.route(name).match(match.build());
    }

    private static M any() {
        return new M();
    }

    private static M prefix(String p) {
        return new M().path(new PathMatch(null, p, null));
    }

    private static M exact(String p) {
        return new M().path(new PathMatch(p, null, null));
    }

    private static M regex(String r) {
        return new M().path(new PathMatch(null, null, r));
    }

    /** A small builder for {@link RouteMatch}. */
    private static final class M {
        private PathMatch path;
        private List<String> methods;
        private final List<ValueMatch> headers = new ArrayList<>();
        private final List<ValueMatch> query = new ArrayList<>();
        private final List<ValueMatch> cookies = new ArrayList<>();
        private List<String> contentTypes;
        private BodyMatch body;

        M path(PathMatch p) {
            path = p;
            return this;
        }

        M methods(String... m) {
            methods = List.of(m);
            return this;
        }

        M header(ValueMatch v) {
            headers.add(v);
            return this;
        }

        M query(ValueMatch v) {
            query.add(v);
            return this;
        }

        M cookie(ValueMatch v) {
            cookies.add(v);
            return this;
        }

        M contentTypes(String... t) {
            contentTypes = List.of(t);
            return this;
        }

        M body(String regex, Integer maxBytes) {
            body = new BodyMatch(regex, maxBytes);
            return this;
        }

        RouteMatch build() {
            return new RouteMatch(path, methods, headers, query, cookies, contentTypes, body);
        }
    }

    private static ValueMatch isExact(String name, String value) {
        return new ValueMatch(name, value, null, null, null);
    }

    private static ValueMatch isRegex(String name, String regex) {
        return new ValueMatch(name, null, regex, null, null);
    }

    private static ValueMatch present(String name, boolean present) {
        return new ValueMatch(name, null, null, present, null);
    }

    // ---- request helpers ----

    private static InetSocketAddress address() {
        return proxy.dataPlane().address("http");
    }

    /** Sends one raw request on a new connection and reads the response. */
    private static RawHttp.Response raw(String request) {
        try (RawHttp c = RawHttp.connect(address())) {
            c.send(request);
            return c.readResponse();
        }
    }

    private static RawHttp.Response raw(byte[] request) {
        try (RawHttp c = RawHttp.connect(address())) {
            c.send(request);
            return c.readResponse();
        }
    }

    /** GET with a Host header and extra header lines; the response. */
    private static RawHttp.Response get(String host, String target, String... headerLines) {
        return request("GET", host, target, headerLines);
    }

    private static RawHttp.Response request(String method, String host, String target, String... headerLines) {
        StringBuilder b = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ")
                .append(host).append("\r\n");
        for (String h : headerLines) {
            b.append(h).append("\r\n");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            b.append("Content-Length: 0\r\n");
        }
        return raw(b.append("Connection: close\r\n\r\n").toString());
    }

    /** Which backend answered a GET, or the status when the proxy answered itself. */
    private static String via(String target, String... headerLines) {
        return backendOf(get("example.test", target, headerLines));
    }

    private static String backendOf(RawHttp.Response r) {
        String b = r.header("X-Backend");
        return b != null ? b : String.valueOf(r.status());
    }

    private static HttpResponse<String> post(String target, String contentType, byte[] body) throws Exception {
        return proxy.send(HttpRequest.newBuilder(proxy.uri(target)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static byte[] chunked(String head, byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] c : chunks) {
            out.writeBytes((Integer.toHexString(c.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(c);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Every byte value, repeated up to {@code size} bytes after {@code head} (not valid UTF-8 on purpose). */
    private static byte[] body(String head, int size) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[size];
        System.arraycopy(h, 0, b, 0, h.length);
        for (int i = h.length; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static StubBackend backend(String pool) {
        return BACKENDS.get(pool);
    }

    // ---- virtual hosts ----

    // The Host header picks the virtual host: exact, then the longest wildcard, then the default.
    @Test
    void virtualHostsByHostHeader() {
        proxy.dataPlane().apply(config(List.of(
                vhost("shop", List.of("shop.example.com"), false, Route.forward("r", RouteMatch.any(), "A")),
                vhost("wild", List.of("*.example.com"), false, Route.forward("r", RouteMatch.any(), "B")),
                vhost("api", List.of("*.api.example.com"), false, Route.forward("r", RouteMatch.any(), "C")),
                vhost("fallback", List.of("fallback.test"), true, Route.forward("r", RouteMatch.any(), "D")))));
        assertThat(backendOf(get("shop.example.com", "/"))).isEqualTo("A");
        assertThat(backendOf(get("SHOP.example.com.:8080", "/"))).isEqualTo("A");
        assertThat(backendOf(get("x.example.com", "/"))).isEqualTo("B");
        assertThat(backendOf(get("v1.api.example.com", "/"))).isEqualTo("C");
        assertThat(backendOf(get("example.com", "/"))).isEqualTo("D");
        assertThat(backendOf(get("elsewhere.test", "/"))).isEqualTo("D");
    }

    // A host no virtual host accepts, with no default host, gets 404 DUET-PROXY-0404.
    @Test
    void unknownHostWithoutDefaultIs404() {
        proxy.dataPlane().apply(config(List.of(
                vhost("shop", List.of("shop.example.com"), false, Route.forward("r", RouteMatch.any(), "A")))));
        RawHttp.Response r = get("other.example.com", "/");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("X-Backend")).isNull();
        assertThat(r.body()).contains("DUET-PROXY-0404");
        assertThat(backendOf(get("shop.example.com", "/"))).isEqualTo("A");
    }

    // ---- order and path ----

    // Routes are tried in document order and the first match wins, even when a later route is more specific.
    @Test
    void firstMatchWinsInDocumentOrder() {
        routes(fwd("api", prefix("/api"), "A"),
                fwd("users", prefix("/api/users"), "B"),
                fwd("rest", any(), "C"));
        assertThat(via("/api/users/7")).isEqualTo("A");
        assertThat(via("/api")).isEqualTo("A");
        assertThat(via("/other")).isEqualTo("C");
        routes(fwd("users", prefix("/api/users"), "B"),
                fwd("api", prefix("/api"), "A"),
                fwd("rest", any(), "C"));
        assertThat(via("/api/users/7")).isEqualTo("B");
        assertThat(via("/api/orders")).isEqualTo("A");
    }

    // Exact paths match only themselves; prefixes match at a segment boundary; a prefix ending in / matches below it.
    @Test
    void pathExactAndPrefix() {
        routes(fwd("login", exact("/login"), "A"),
                fwd("api", prefix("/api"), "B"),
                fwd("static", prefix("/static/"), "C"),
                fwd("rest", any(), "D"));
        assertThat(via("/login")).isEqualTo("A");
        assertThat(via("/login/")).isEqualTo("D");
        assertThat(via("/login?next=/x")).isEqualTo("A");
        assertThat(via("/api")).isEqualTo("B");
        assertThat(via("/api/")).isEqualTo("B");
        assertThat(via("/api/v1/x")).isEqualTo("B");
        assertThat(via("/apix")).isEqualTo("D");
        assertThat(via("/static/app.js")).isEqualTo("C");
        assertThat(via("/static/")).isEqualTo("C");
        assertThat(via("/static")).isEqualTo("D");
        assertThat(via("/staticfoo")).isEqualTo("D");
    }

    // A path regex must match the whole path, not a part of it.
    @Test
    void pathRegexMatchesWholePath() {
        routes(fwd("items", regex("/v[0-9]+/items"), "A"), fwd("rest", any(), "D"));
        assertThat(via("/v2/items")).isEqualTo("A");
        assertThat(via("/v10/items?x=1")).isEqualTo("A");
        assertThat(via("/v2/items/9")).isEqualTo("D");
        assertThat(via("/x/v2/items")).isEqualTo("D");
        assertThat(via("/vx/items")).isEqualTo("D");
    }

    // Routing sees the canonical path: /pub/%2e%2e/admin routes like /admin, and /admin is what is forwarded.
    @Test
    void routingSeesCanonicalPath() {
        routes(fwd("admin", exact("/admin"), "A"), fwd("pub", prefix("/pub"), "B"), fwd("rest", any(), "D"));
        assertThat(backendOf(get("example.test", "/pub/%2e%2e/admin"))).isEqualTo("A");
        assertThat(backend("A").last().uri()).isEqualTo("/admin");
        assertThat(backendOf(get("example.test", "//admin"))).isEqualTo("A");
        assertThat(backendOf(get("example.test", "/pub/./x/../%61dmin"))).isEqualTo("B");
        assertThat(backendOf(get("example.test", "/%61dmin"))).isEqualTo("A");
    }

    // No route of the host matches: 404 with DUET-PROXY-0404, nothing forwarded.
    @Test
    void noRouteIs404() {
        routes(fwd("api", prefix("/api"), "A"));
        int before = backend("A").requests();
        RawHttp.Response r = get("example.test", "/nothing-here", "Accept: application/json");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).contains("\"id\":\"DUET-PROXY-0404\"");
        assertThat(backend("A").requests()).isEqualTo(before);
    }

    // ---- methods, headers, query, cookies, content type ----

    // A methods condition lists the accepted methods (any of them).
    @Test
    void methods() {
        routes(fwd("write", prefix("/m").methods("POST", "PUT"), "A"), fwd("rest", any(), "D"));
        assertThat(backendOf(request("POST", "example.test", "/m"))).isEqualTo("A");
        assertThat(backendOf(request("PUT", "example.test", "/m"))).isEqualTo("A");
        assertThat(backendOf(request("GET", "example.test", "/m"))).isEqualTo("D");
        assertThat(backendOf(request("DELETE", "example.test", "/m"))).isEqualTo("D");
    }

    // Header conditions: present, absent, exact value (case-sensitive), whole-value regex, and inverted.
    @Test
    void headers() {
        routes(fwd("present", prefix("/present").header(present("X-Debug", true)), "A"),
                fwd("absent", prefix("/absent").header(present("X-Legacy", false)), "A"),
                fwd("exact", prefix("/exact").header(isExact("X-Tenant", "blue")), "A"),
                fwd("regex", prefix("/regex").header(isRegex("x-version", "v[0-9]+")), "A"),
                fwd("invert", prefix("/invert").header(new ValueMatch("X-Internal", "yes", null, null, true)), "A"),
                fwd("rest", any(), "D"));
        assertThat(via("/present", "X-Debug: 1")).isEqualTo("A");
        assertThat(via("/present", "x-debug:")).isEqualTo("A");
        assertThat(via("/present")).isEqualTo("D");
        assertThat(via("/absent")).isEqualTo("A");
        assertThat(via("/absent", "X-Legacy: 1")).isEqualTo("D");
        assertThat(via("/exact", "X-Tenant: blue")).isEqualTo("A");
        assertThat(via("/exact", "X-TENANT: blue")).isEqualTo("A");
        assertThat(via("/exact", "X-Tenant: Blue")).isEqualTo("D");
        assertThat(via("/exact", "X-Tenant: red", "X-Tenant: blue")).isEqualTo("A");
        assertThat(via("/exact")).isEqualTo("D");
        assertThat(via("/regex", "X-Version: v12")).isEqualTo("A");
        assertThat(via("/regex", "X-Version: xv12")).isEqualTo("D");
        assertThat(via("/regex", "X-Version: v12b")).isEqualTo("D");
        assertThat(via("/invert")).isEqualTo("A");
        assertThat(via("/invert", "X-Internal: no")).isEqualTo("A");
        assertThat(via("/invert", "X-Internal: yes")).isEqualTo("D");
    }

    // Query parameter conditions: exact (on the decoded value), whole-value regex, present; names are case-sensitive.
    @Test
    void queryParameters() {
        routes(fwd("exact", prefix("/q/exact").query(isExact("q", "a b")), "A"),
                fwd("regex", prefix("/q/regex").query(isRegex("page", "[0-9]{1,3}")), "A"),
                fwd("present", prefix("/q/present").query(present("debug", true)), "A"),
                fwd("rest", any(), "D"));
        assertThat(via("/q/exact?q=a%20b")).isEqualTo("A");
        assertThat(via("/q/exact?x=1&q=a+b")).isEqualTo("A");
        assertThat(via("/q/exact?q=ab")).isEqualTo("D");
        assertThat(via("/q/exact?Q=a%20b")).isEqualTo("D");
        assertThat(via("/q/regex?page=12")).isEqualTo("A");
        assertThat(via("/q/regex?page=1234")).isEqualTo("D");
        assertThat(via("/q/regex?page=x1")).isEqualTo("D");
        assertThat(via("/q/present?debug")).isEqualTo("A");
        assertThat(via("/q/present?debug=0")).isEqualTo("A");
        assertThat(via("/q/present?nodebug=1")).isEqualTo("D");
        assertThat(via("/q/present")).isEqualTo("D");
    }

    // Cookie conditions: exact value and presence, by case-sensitive name.
    @Test
    void cookies() {
        routes(fwd("beta", prefix("/c").cookie(isExact("channel", "beta")), "A"),
                fwd("session", prefix("/c").cookie(present("session", true)), "B"),
                fwd("rest", any(), "D"));
        assertThat(via("/c", "Cookie: theme=dark; channel=beta")).isEqualTo("A");
        assertThat(via("/c", "Cookie: channel=stable; session=abc")).isEqualTo("B");
        assertThat(via("/c", "Cookie: Session=abc")).isEqualTo("D");
        assertThat(via("/c", "Cookie: channel=betas")).isEqualTo("D");
        assertThat(via("/c")).isEqualTo("D");
    }

    // Content type conditions compare the media type only, case-insensitively, ignoring parameters.
    @Test
    void contentType() {
        routes(fwd("json", prefix("/ct").contentTypes("application/json", "text/csv"), "A"), fwd("rest", any(), "D"));
        assertThat(backendOf(request("POST", "example.test", "/ct", "Content-Type: application/json"))).isEqualTo("A");
        assertThat(backendOf(request("POST", "example.test", "/ct", "Content-Type: Application/JSON; charset=utf-8")))
                .isEqualTo("A");
        assertThat(backendOf(request("POST", "example.test", "/ct", "Content-Type: text/csv;header=present")))
                .isEqualTo("A");
        assertThat(backendOf(request("POST", "example.test", "/ct", "Content-Type: text/plain"))).isEqualTo("D");
        assertThat(backendOf(request("POST", "example.test", "/ct", "Content-Type: application/json-seq")))
                .isEqualTo("D");
        assertThat(backendOf(request("POST", "example.test", "/ct"))).isEqualTo("D");
    }

    // Conditions combine with AND: every one must hold.
    @Test
    void conditionsAreAnded() {
        routes(fwd("both", prefix("/and").methods("POST").header(present("X-Key", true)), "A"),
                fwd("rest", any(), "D"));
        assertThat(backendOf(request("POST", "example.test", "/and", "X-Key: k"))).isEqualTo("A");
        assertThat(backendOf(request("POST", "example.test", "/and"))).isEqualTo("D");
        assertThat(backendOf(request("GET", "example.test", "/and", "X-Key: k"))).isEqualTo("D");
    }

    // ---- body ----

    private static void orderRoutes(Integer maxBytes) {
        routes(fwd("orders", prefix("/events").body("\"type\"\\s*:\\s*\"order\"", maxBytes), "A"),
                fwd("other", prefix("/events"), "B"));
    }

    // A JSON body containing "type":"order" goes to A, any other body to B; each backend receives the exact body.
    @Test
    void bodyRegexRoutesAndForwardsWholeBody() throws Exception {
        orderRoutes(null);
        byte[] order = "{\"id\":17,\"type\": \"order\",\"total\":12.5}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = post("/events", "application/json", order);
        assertThat(r.headers().firstValue("X-Backend")).hasValue("A");
        assertThat(backend("A").last().body()).isEqualTo(order);

        byte[] refund = "{\"id\":18,\"type\":\"refund\"}".getBytes(StandardCharsets.UTF_8);
        r = post("/events", "application/json", refund);
        assertThat(r.headers().firstValue("X-Backend")).hasValue("B");
        assertThat(backend("B").last().body()).isEqualTo(refund);

        // No body at all: the body condition cannot hold.
        assertThat(backendOf(get("example.test", "/events"))).isEqualTo("B");
        assertThat(backendOf(request("POST", "example.test", "/events"))).isEqualTo("B");
    }

    // A 200 KB body is routed on its first maxBytes (1024) bytes and still forwarded whole, byte for byte.
    @Test
    void largeBodyRoutedOnPrefixAndForwardedWhole() throws Exception {
        orderRoutes(1024);
        byte[] big = body("{\"type\":\"order\",\"blob\":\"", 200 * 1024);
        HttpResponse<String> r = post("/events", "application/octet-stream", big);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Backend")).hasValue("A");
        assertThat(backend("A").last().body()).isEqualTo(big);

        // The marker sits beyond the first 1024 bytes: not seen, so the body goes to B, still whole.
        byte[] late = body("{\"blob\":\"", 200 * 1024);
        byte[] marker = "\"type\":\"order\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(marker, 0, late, 1024, marker.length);
        r = post("/events", "application/octet-stream", late);
        assertThat(r.headers().firstValue("X-Backend")).hasValue("B");
        assertThat(backend("B").last().body()).isEqualTo(late);

        // The marker ends exactly at byte 1024: seen.
        byte[] edge = body("{\"blob\":\"", 4096);
        System.arraycopy(marker, 0, edge, 1024 - marker.length, marker.length);
        r = post("/events", "application/octet-stream", edge);
        assertThat(r.headers().firstValue("X-Backend")).hasValue("A");
        assertThat(backend("A").last().body()).isEqualTo(edge);
    }

    // A chunked upload is routed on its body (the marker split across chunks) and forwarded whole.
    @Test
    void chunkedUploadRoutedAndForwardedWhole() {
        orderRoutes(1024);
        String head = "POST /events HTTP/1.1\r\nHost: example.test\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        byte[] c1 = "{\"id\":1,\"ty".getBytes(StandardCharsets.UTF_8);
        byte[] c2 = "pe\":\"ord".getBytes(StandardCharsets.UTF_8);
        byte[] c3 = body("er\",\"blob\":\"", 50_000);
        RawHttp.Response r = raw(chunked(head, c1, c2, c3));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-Backend")).isEqualTo("A");
        assertThat(backend("A").last().body()).isEqualTo(concat(c1, c2, c3));

        byte[] other = body("{\"type\":\"refund\",\"blob\":\"", 70_000);
        r = raw(chunked(head, Arrays.copyOfRange(other, 0, 10), Arrays.copyOfRange(other, 10, other.length)));
        assertThat(r.header("X-Backend")).isEqualTo("B");
        assertThat(backend("B").last().body()).isEqualTo(other);
    }

    // A chunked body shorter than maxBytes is read to its end for routing and still forwarded whole.
    @Test
    void shortChunkedBodyReadToItsEnd() {
        orderRoutes(null);
        String head = "POST /events HTTP/1.1\r\nHost: example.test\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n";
        byte[] c1 = "{\"type\":".getBytes(StandardCharsets.UTF_8);
        byte[] c2 = "\"order\"}".getBytes(StandardCharsets.UTF_8);
        RawHttp.Response r = raw(chunked(head, c1, c2));
        assertThat(r.header("X-Backend")).isEqualTo("A");
        assertThat(backend("A").last().body()).isEqualTo(concat(c1, c2));
        r = raw(chunked(head, "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.header("X-Backend")).isEqualTo("B");
        assertThat(backend("B").last().body()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
    }

    // The largest inspection window (64 KiB) spans several I/O buffers: a marker near its end is still found.
    @Test
    void maxInspectionWindowSpansBuffers() throws Exception {
        orderRoutes(BodyMatch.LIMIT_MAX_BYTES);
        byte[] big = body("{\"blob\":\"", 200 * 1024);
        byte[] marker = "\"type\":\"order\"".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(marker, 0, big, 60_000, marker.length);
        HttpResponse<String> r = post("/events", "application/json", big);
        assertThat(r.headers().firstValue("X-Backend")).hasValue("A");
        assertThat(backend("A").last().body()).isEqualTo(big);
    }

    // A body that arrives in small pieces after the headers is still inspected (asynchronously) and forwarded whole.
    @Test
    void slowBodyIsInspectedAsItArrives() {
        orderRoutes(null);
        String json = "{\"id\":99,\"note\":\"" + "x".repeat(120) + "\",\"type\":\"order\"}";
        String request = "POST /events HTTP/1.1\r\nHost: example.test\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + json.length() + "\r\nConnection: close\r\n\r\n";
        try (RawHttp c = RawHttp.connect(address())) {
            c.send(request);
            c.sendSlowly(json, 32, Duration.ofMillis(40));
            RawHttp.Response r = c.readResponse();
            assertThat(r.header("X-Backend")).isEqualTo("A");
        }
        assertThat(new String(backend("A").last().body(), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    // A keep-alive connection carries a body-routed request and then a plain one; both are answered correctly.
    @Test
    void bodyRoutingOnKeepAliveConnection() {
        orderRoutes(null);
        String json = "{\"type\":\"order\"}";
        String req = "POST /events HTTP/1.1\r\nHost: example.test\r\nContent-Length: " + json.length() + "\r\n\r\n" + json;
        try (RawHttp c = RawHttp.connect(address())) {
            c.send(req);
            assertThat(c.readResponse().header("X-Backend")).isEqualTo("A");
            c.send("GET /events HTTP/1.1\r\nHost: example.test\r\n\r\n");
            assertThat(c.readResponse().header("X-Backend")).isEqualTo("B");
            c.send(req.replace("order", "other"));
            assertThat(c.readResponse().header("X-Backend")).isEqualTo("B");
        }
        assertThat(new String(backend("B").last().body(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"other\"}");
    }

    // A client that sends Expect: 100-continue gets its 100 before the body is needed for routing, then the answer.
    @Test
    void expectContinueOnBodyRoute() {
        orderRoutes(null);
        String json = "{\"type\":\"order\"}";
        try (RawHttp c = RawHttp.connect(address())) {
            c.send("POST /events HTTP/1.1\r\nHost: example.test\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + json.length() + "\r\nConnection: close\r\n\r\n");
            RawHttp.Response interim = c.readResponse();
            assertThat(interim.status()).isEqualTo(100);
            c.send(json);
            RawHttp.Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Backend")).isEqualTo("A");
        }
        assertThat(new String(backend("A").last().body(), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    // Each body route sees only its own maxBytes bytes, even when a later route makes the router read more.
    @Test
    void eachBodyRouteSeesItsOwnMaxBytes() throws Exception {
        routes(fwd("short", prefix("/b").body("X", 4), "A"),
                fwd("long", prefix("/b").body("never-there", 1024), "B"),
                fwd("rest", any(), "C"));
        // "éé" is four UTF-8 bytes: the X is the fifth byte, outside the first four.
        byte[] b = "ééX and some more text".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = post("/b", "text/plain; charset=utf-8", b);
        assertThat(r.headers().firstValue("X-Backend")).hasValue("C");
        assertThat(backend("C").last().body()).isEqualTo(b);
        byte[] x = "abX and some more text".getBytes(StandardCharsets.UTF_8);
        r = post("/b", "text/plain; charset=utf-8", x);
        assertThat(r.headers().firstValue("X-Backend")).hasValue("A");
    }

    // ---- actions through the data plane ----

    // A redirect route answers 301 with the Location built from the template; nothing is forwarded.
    @Test
    void redirectRoute() {
        routes(route("https", prefix("/")).redirect(301, "https://{host}{request_uri}").build());
        int before = backend("A").requests();
        RawHttp.Response r = get("Shop.Example.test:8080", "/cart/items?id=7&x=%20y");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("https://Shop.Example.test/cart/items?id=7&x=%20y");
        assertThat(backend("A").requests()).isEqualTo(before);
    }

    // A fixed response route answers with its status, body and content type.
    @Test
    void fixedResponseRoute() {
        routes(route("maint", prefix("/")).respond(503, "down for maintenance", "text/plain; charset=utf-8").build());
        RawHttp.Response r = get("example.test", "/anything");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("down for maintenance");
        assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.header("X-Backend")).isNull();
    }

    // Request header rules change what the backend receives; response header rules change what the client receives.
    @Test
    void headerRules() {
        routes(route("rules", prefix("/")).pool("A")
                .requestHeader(new HeaderRule("set", "X-Env", "prod"))
                .requestHeader(new HeaderRule("add", "X-Tag", "two"))
                .requestHeader(new HeaderRule("remove", "X-Secret", null))
                .responseHeader(new HeaderRule("set", "X-Served-By", "duet"))
                .responseHeader(new HeaderRule("remove", "X-Backend", null)).build());
        RawHttp.Response r = get("example.test", "/h", "X-Env: dev", "X-Tag: one", "X-Secret: s3cr3t");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-Served-By")).isEqualTo("duet");
        assertThat(r.header("X-Backend")).isNull();
        StubBackend.Seen seen = backend("A").last();
        assertThat(seen.uri()).isEqualTo("/h");
        assertThat(seen.header("X-Env")).isEqualTo("prod");
        assertThat(seen.count("X-Env")).isEqualTo(1);
        assertThat(seen.headers()).filteredOn(h -> h[0].equalsIgnoreCase("X-Tag")).extracting(h -> h[1])
                .containsExactly("one", "two");
        assertThat(seen.header("X-Secret")).isNull();
    }

    // A prefix rewrite strips /api: the backend sees /users?x=1.
    @Test
    void pathRewrite() {
        routes(route("api", prefix("/api")).pool("A").rewrite("/api", "").build(),
                fwd("rest", any(), "B"));
        RawHttp.Response r = get("example.test", "/api/users?x=1");
        assertThat(r.header("X-Backend")).isEqualTo("A");
        assertThat(backend("A").last().uri()).isEqualTo("/users");
        assertThat(backend("A").last().query()).isEqualTo("x=1");
        assertThat(r.body()).isEqualTo("A GET /users?x=1");
        get("example.test", "/api");
        assertThat(backend("A").last().uri()).isEqualTo("/");
    }

    // An uncompressed text response is gzipped for a client that accepts gzip, and only then.
    @Test
    void gzipCompression() throws Exception {
        String text = "hello compressible world\n".repeat(400);
        try (StubBackend g = StubBackend.start("G")) {
            g.handler(ex -> {
                ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
                ex.getResponseSender().send(text, StandardCharsets.UTF_8);
            });
            proxy.dataPlane().apply(config(List.of(vhost("default", List.of("example.test"), true,
                            route("gz", prefix("/")).pool("G").compression(new Compression(true, null, null, null))
                                    .build())),
                    new Pool("G", Pool.ROUND_ROBIN, List.of(new Server("G", "127.0.0.1", g.port(), null, null)))));
            HttpResponse<byte[]> r = proxy.client().send(HttpRequest.newBuilder(proxy.uri("/page"))
                    .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(r.headers().allValues("Vary")).anyMatch(v -> v.toLowerCase().contains("accept-encoding"));
            assertThat(r.body().length).isLessThan(text.length() / 4);
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text);
            }
            HttpResponse<String> plain = proxy.get("/page");
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(plain.body()).isEqualTo(text);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
