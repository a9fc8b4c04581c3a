package io.duet.testkit.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on loopback addresses, found by binding and releasing; stateless. */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /** A port free on 127.0.0.1 now (another process may take it before the caller binds it). */
    public static int free() {
        return commonFree("127.0.0.1");
    }

    /** A port free on every one of {@code addresses} (loopback aliases such as 127.0.0.2), found by binding. */
    public static int commonFree(String... addresses) {
        try {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no common free port on " + String.join(", ", addresses));
    }
}
