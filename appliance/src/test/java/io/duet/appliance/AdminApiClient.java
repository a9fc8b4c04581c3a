package io.duet.appliance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.appliance.node.Node;
import io.duet.testkit.tls.TrustOnly;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test's way to a real node's admin API (a node {@link LoopbackNodes} started, say): an HTTPS client that trusts
 * the node's self-signed certificate (as an operator who pinned it would), the API's base address, a login.
 */
final class AdminApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final String api;

    /** A logged-in session: its cookie ({@code name=value}) and its CSRF token. */
    record Session(String cookie, String csrf) {
    }

    /** A client of {@code node}'s admin listener; {@code dataDir} is the node's (it holds the certificate). */
    AdminApiClient(Node node, Path dataDir) throws Exception {
        X509Certificate cert = io.duet.tls.CertificateImport.readCertificates(
                Files.readString(dataDir.resolve("tls").resolve("self-signed.pem"))).get(0);
        http = HttpClient.newBuilder().sslContext(TrustOnly.context(cert)).build();
        api = "https://127.0.0.1:" + node.adminAddress().getPort() + "/api/v1";
    }

    /** The HTTPS client, trusting the node's certificate. */
    HttpClient http() {
        return http;
    }

    /** The API's base address, {@code https://127.0.0.1:<port>/api/v1}. */
    String api() {
        return api;
    }

    /** {@code POST /session} with this name and password: the answer as it is. */
    HttpResponse<String> login(String user, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + "/session"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + user + "\",\"password\":\"" + password
                        + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in, which must succeed (200); the session's cookie and CSRF token. */
    Session session(String user, String password) throws Exception {
        HttpResponse<String> r = login(user, password);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return new Session(cookie.substring(0, cookie.indexOf(';')), JSON.readTree(r.body()).get("csrfToken").asText());
    }

    /** {@code GET path} (below the API's base) in a session: the answer as it is. */
    HttpResponse<String> get(Session session, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Cookie", session.cookie()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
