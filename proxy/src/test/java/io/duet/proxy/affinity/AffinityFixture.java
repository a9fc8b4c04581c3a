package io.duet.proxy.affinity;

import io.duet.config.Affinity;
import io.duet.config.AffinityKey;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.Pool;
import io.duet.config.RouteMatch;
import io.duet.config.build.ConfigBuilders;
import io.duet.config.build.PoolBuilder;
import io.duet.testkit.http.StubBackend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Documents and small client helpers shared by the affinity tests. */
final class AffinityFixture {
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="; // 32 bytes

    private AffinityFixture() {
    }

    /** One listener, a default host with route "all" to pool "p" (round robin) of these backends with this affinity. */
    static DuetConfig config(Affinity affinity, String stickyServerDown, StubBackend... backends) {
        PoolBuilder pool = ConfigBuilders.pool("p").balancer(Pool.ROUND_ROBIN).affinity(affinity);
        for (StubBackend b : backends) {
            pool.server(ConfigBuilders.server("127.0.0.1", b.port()).id(b.name()));
        }
        DuetConfig c = ConfigBuilders.document().revision(1).listener(new Listener("http", "127.0.0.1", 0))
                .virtualHost(ConfigBuilders.virtualHost("default").hostname("example.test").defaultHost()
                        .route(ConfigBuilders.route("all").match(RouteMatch.any()).pool("p")
                                .stickyServerDown(stickyServerDown)))
                .pool(pool).build();
        List<io.duet.config.Violation> errors = ConfigValidator.validate(c).stream()
                .filter(io.duet.config.Violation::isError).toList();
        if (!errors.isEmpty()) {
            throw new AssertionError("test document is invalid: " + errors);
        }
        return c;
    }

    static Affinity cookie(Affinity.Cookie cookie) {
        return new Affinity(Affinity.COOKIE, KEY, cookie, null, null, null);
    }

    static Affinity.Cookie cookieOptions(String name, Long maxAge, Long idle, Long absolute) {
        return new Affinity.Cookie(name, maxAge, idle, absolute, null, null, null, null, null);
    }

    static CookieSeal seal(String pool) {
        return new CookieSeal(AffinityKey.decode(KEY), pool);
    }

    static String backend(HttpResponse<String> r) {
        return r.headers().firstValue("X-Backend").orElse(null);
    }

    /** The value the response sets for cookie {@code name}, or {@code null}. */
    static String setCookieValue(HttpResponse<String> r, String name) {
        for (String h : r.headers().allValues("set-cookie")) {
            if (h.startsWith(name + "=")) {
                int end = h.indexOf(';');
                return h.substring(name.length() + 1, end < 0 ? h.length() : end);
            }
        }
        return null;
    }

    /** A GET over a socket bound to {@code localAddress} (127.0.0.x), so the proxy sees that client address. */
    static String backendFrom(String localAddress, int port, String... headers) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(5_000);
            StringBuilder req = new StringBuilder("GET / HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            Matcher m = Pattern.compile("(?im)^X-Backend: *(\\S+)").matcher(response);
            return m.find() ? m.group(1) : response.lines().findFirst().orElse("no response");
        }
    }
}
