package io.duet.appliance.lab;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The lab's backend, run inside its own namespace: answers every request with the address of the peer that sent it
 * (the proxy node that forwarded it), so a probe knows which node served it. Test-only main.
 */
public final class LabBackend {
    private LabBackend() {
    }

    /** Arguments: address port. Prints "LISTENING" when bound; runs until killed. */
    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 256);
        server.createContext("/", exchange -> {
            byte[] body = (exchange.getRemoteAddress().getAddress().getHostAddress() + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        System.out.println("LISTENING");
        System.out.flush();
    }
}
