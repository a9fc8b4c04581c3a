package io.duet.proxy.action;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Real Undertow servers on loopback port 0 for the action tests, and small clients. Closes what it started. */
final class TestServers implements AutoCloseable {

    private final List<Undertow> servers = new ArrayList<>();
    private final List<LoadBalancingProxyClient> proxyClients = new ArrayList<>();
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Starts a server with {@code handler}; returns its base URI, e.g. {@code http://127.0.0.1:41234}. */
    URI start(HttpHandler handler) {
        Undertow server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(4)
                .setHandler(handler)
                .build();
        server.start();
        servers.add(server);
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return URI.create("http://127.0.0.1:" + address.getPort());
    }

    /** Undertow's ProxyHandler with a LoadBalancingProxyClient to {@code backend}: how forwarding runs in Duet. */
    HttpHandler proxyTo(URI backend) {
        LoadBalancingProxyClient proxyClient = new LoadBalancingProxyClient().setConnectionsPerThread(4);
        proxyClient.addHost(backend);
        proxyClients.add(proxyClient);
        return ProxyHandler.builder()
                .setProxyClient(proxyClient)
                .setMaxRequestTime(10_000)
                .setNext(ResponseCodeHandler.HANDLE_404)
                .build();
    }

    HttpResponse<byte[]> get(URI base, String pathAndQuery, String... headers) throws Exception {
        return send("GET", base, pathAndQuery, headers);
    }

    HttpResponse<byte[]> send(String method, URI base, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Writes {@code request} on a new socket and reads until the server closes the connection (or 10 s pass:
     * then the result ends with "[TIMEOUT]").
     */
    static String raw(URI base, String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException e) {
                return out.toString(StandardCharsets.ISO_8859_1) + "[TIMEOUT]";
            } catch (java.net.SocketException e) {
                // Reset after the server closed with unread request bytes: what was read is the answer.
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        for (LoadBalancingProxyClient proxyClient : proxyClients) {
            proxyClient.closeCurrentConnections();
        }
        for (Undertow server : servers) {
            server.stop();
        }
    }
}
