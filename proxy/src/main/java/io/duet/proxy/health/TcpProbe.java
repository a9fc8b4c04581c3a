package io.duet.proxy.health;

import io.duet.config.HealthCheck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;

/** Passes when a TCP connection opens within the timeout; the connection is closed at once. */
final class TcpProbe implements Probe {
    private final HealthCheck spec;

    TcpProbe(HealthCheck spec) {
        this.spec = spec;
    }

    @Override
    public ProbeResult check(String host, InetAddress address, int port) {
        int p = spec.port() != null ? spec.port() : port;
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, p), (int) Math.min(Integer.MAX_VALUE, spec.timeoutMs()));
            return new ProbeResult(Instant.now(), true, "TCP connect", HttpProbe.elapsedMs(start));
        } catch (IOException e) {
            return new ProbeResult(Instant.now(), false, HttpProbe.describe(e, spec.timeoutMs()),
                    HttpProbe.elapsedMs(start));
        }
    }
}
