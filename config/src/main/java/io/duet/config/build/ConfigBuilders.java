package io.duet.config.build;

import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.config.RouteMatch;

import java.util.List;

/** Where the builders start: one static method per record a test usually builds. */
public final class ConfigBuilders {
    private ConfigBuilders() {
    }

    /** A document with nothing set: revision 0, no listener, no host, no pool, default limits. */
    public static DocumentBuilder document() {
        return new DocumentBuilder();
    }

    /**
     * An HTTPS listener on {@code address:port} serving the named certificates (entries of the document's
     * {@code certificates}) with the default TLS settings. A plain HTTP one is {@code new Listener(name, address,
     * port)}.
     */
    public static Listener httpsListener(String name, String address, int port, String... certificates) {
        return new Listener(name, address, port, "https", null,
                new ListenerTls(List.of(certificates), null, null, null, null));
    }

    /** A virtual host with this name and nothing else set. */
    public static VirtualHostBuilder virtualHost(String name) {
        return new VirtualHostBuilder(name);
    }

    /** A route with this name, matching every request, without an action yet. */
    public static RouteBuilder route(String name) {
        return new RouteBuilder(name);
    }

    /** A route with this name forwarding every request it matches to {@code pool}. */
    public static RouteBuilder forward(String name, RouteMatch match, String pool) {
        return new RouteBuilder(name).match(match).pool(pool);
    }

    /** A pool with this name, the default balancer and no server yet. */
    public static PoolBuilder pool(String name) {
        return new PoolBuilder(name);
    }

    /** A server at {@code address:port} (its id defaults to {@code address:port}). */
    public static ServerBuilder server(String address, int port) {
        return new ServerBuilder(address, port);
    }
}
