package io.duet.proxy.resolve;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP backend on a given loopback address (127.0.0.1, 127.0.0.2, ...) and port, so that several of them can
 * share one port and differ only by address, as one server name's old and new address do. Stamps its name in
 * {@code X-Backend}; counts requests and health checks ({@code /health}) apart.
 */
final class AddressedBackend implements AutoCloseable {
    private final String name;
    private final String address;
    private final int port;
    private final Undertow server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger checks = new AtomicInteger();

    private AddressedBackend(String name, String address, int port) {
        this.name = name;
        this.address = address;
        this.port = port;
        this.server = Undertow.builder().addHttpListener(port, address).setIoThreads(1).setWorkerThreads(4)
                .setHandler(this::handle).build();
        server.start();
    }

    static AddressedBackend start(String name, String address, int port) {
        return new AddressedBackend(name, address, port);
    }

    /** A port free on every one of {@code addresses} (loopback aliases), found by binding. */
    static int commonFreePort(String... addresses) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(addresses[0]))) {
                port = first.getLocalPort();
            }
            boolean free = true;
            for (String a : addresses) {
                try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(a))) {
                    s.getLocalPort();
                } catch (BindException e) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return port;
            }
        }
        throw new IllegalStateException("no common free port on " + String.join(", ", addresses));
    }

    private void handle(HttpServerExchange ex) {
        if (ex.getRequestPath().startsWith("/health")) {
            checks.incrementAndGet();
        } else {
            requests.incrementAndGet();
        }
        ex.getResponseHeaders().put(new HttpString("X-Backend"), name);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
        ex.getResponseSender().send("ok " + name, StandardCharsets.UTF_8);
    }

    String name() {
        return name;
    }

    String address() {
        return address;
    }

    int port() {
        return port;
    }

    /** Requests other than health checks answered so far. */
    int requests() {
        return requests.get();
    }

    /** Health checks answered so far. */
    int checks() {
        return checks.get();
    }

    @Override
    public void close() {
        server.stop();
    }
}
