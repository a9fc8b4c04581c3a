package io.duet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.admin.auth.Passwords;
import io.duet.config.Admin;
import io.duet.config.AdminUser;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.config.RouteMatch;
import io.duet.config.build.ConfigBuilders;
import io.duet.config.store.FileConfigStore;
import io.duet.testkit.tls.TrustOnly;
import io.duet.tls.CertifiedKey;
import io.duet.tls.SelfSigned;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real admin listener (HTTPS on 127.0.0.1, port 0) over a real file store in a temporary directory, and real
 * clients for it: a browser-like one (cookie and CSRF token kept) and a raw one that connects from a chosen local
 * address (any of 127.0.0.0/8 on Linux), so tests can play two client machines.
 */
final class AdminFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final Path dir;
    final FileConfigStore store;
    final CertifiedKey cert;
    final SSLContext tls;
    final HttpClient http;
    private final NodeView node;
    AdminServer server;
    String base;

    AdminFixture(Path dir, NodeView node) throws Exception {
        this.dir = dir;
        this.node = node;
        DuetConfig doc = ConfigBuilders.document().revision(1).listener(new Listener("http", "127.0.0.1", 8080))
                .virtualHost(ConfigBuilders.virtualHost("default").hostname("localhost").defaultHost()
                        .route(ConfigBuilders.route("hello").match(RouteMatch.any()).respond(200, "hello\n", null)))
                .build();
        Files.writeString(dir.resolve("config.json"), ConfigCodec.encode(doc, ConfigCodec.Format.JSON));
        store = FileConfigStore.open(dir.resolve("config.json"));
        cert = SelfSigned.issue(List.of("localhost", "127.0.0.1"), Duration.ofDays(30), Clock.systemUTC());
        startServer();
        tls = TrustOnly.context(cert.leaf());
        http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
    }

    private void startServer() {
        server = AdminServer.start("127.0.0.1", 0, cert.key(), cert.chain(), store, dir.resolve("audit.log"), "n1",
                Clock.systemUTC(), node);
        base = "https://127.0.0.1:" + server.address().getPort() + "/api/v1";
    }

    /** Stops the listener and starts a new one (a node restart) on the same store and directory; sessions end. */
    void restartServer() {
        server.close();
        startServer();
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }

    /** A browser-like client: keeps the session cookie and the CSRF token. */
    final class Client {
        String cookie;
        String csrf;

        HttpResponse<String> call(String method, String path, String body, String... headers) throws Exception {
            return call(method, path, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body), headers);
        }

        /** As {@link #call} with the body sent chunked (no declared length). */
        HttpResponse<String> callStreaming(String method, String path, String body, String... headers)
                throws Exception {
            return call(method, path, HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofString(body)), headers);
        }

        private HttpResponse<String> call(String method, String path, HttpRequest.BodyPublisher body,
                                          String... headers) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .method(method, body);
            if (cookie != null) {
                b.header("Cookie", cookie);
            }
            if (csrf != null && !method.equals("GET")) {
                b.header("X-CSRF-Token", csrf);
            }
            if (headers.length > 0) {
                b.headers(headers);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            r.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
            if (r.statusCode() == 200 && r.body().startsWith("{") && JSON.readTree(r.body()).has("csrfToken")) {
                csrf = JSON.readTree(r.body()).get("csrfToken").asText();
            }
            return r;
        }

        HttpResponse<String> login(String name, String password) throws Exception {
            return call("POST", "/session", loginBody(name, password));
        }
    }

    static String loginBody(String name, String password) {
        return "{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}";
    }

    /** A status and body read by {@link #from}. */
    record Raw(int status, String body) {
    }

    /**
     * One HTTP/1.1 request over its own TLS connection from {@code localAddress} (e.g. 127.0.0.2), so the listener
     * sees that client address. No cookies.
     */
    Raw from(String localAddress, String method, String path, String body, String... headers) throws Exception {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder extra = new StringBuilder();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            extra.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"),
                server.address().getPort(), InetAddress.getByName(localAddress), 0)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " /api/v1" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n" + extra
                    + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int head = response.indexOf("\r\n\r\n");
            return new Raw(status, head < 0 ? "" : response.substring(head + 4));
        }
    }

    /**
     * One request written byte for byte ({@code request}, head and body as given: no client normalises its path)
     * over its own TLS connection from 127.0.0.1; the whole response as text, once the listener closes it (send
     * {@code Connection: close}).
     */
    String exchange(String request) throws Exception {
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                server.address().getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static String id(HttpResponse<String> r) throws Exception {
        return json(r).path("id").asText();
    }

    String firstAdmin() throws Exception {
        FirstAdmin.Created c = FirstAdmin.ensure(store, dir.resolve("admin-password"));
        assertThat(c).isNotNull();
        return c.password();
    }

    /** The first admin, logged in, with its generated password changed to {@code newPassword}. */
    Client loggedInAdmin(String newPassword) throws Exception {
        Client a = new Client();
        String first = firstAdmin();
        assertThat(a.login("admin", first).statusCode()).isEqualTo(200);
        assertThat(a.call("PUT", "/session/password", "{\"current\":\"" + first + "\",\"new\":\"" + newPassword
                + "\"}").statusCode()).isEqualTo(200);
        return a;
    }

    /** Adds a user straight to the store (no password change needed). */
    void addUser(String name, String role, String password) throws Exception {
        DuetConfig cur = store.current();
        List<AdminUser> users = new ArrayList<>(cur.admin().users());
        users.add(new AdminUser(name, role, Passwords.hash(password), false));
        store.propose(cur.withAdmin(new Admin(users, cur.admin().apiTokens())), cur.revision());
    }
}
