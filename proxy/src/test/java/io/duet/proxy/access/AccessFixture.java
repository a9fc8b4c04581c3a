package io.duet.proxy.access;

import io.duet.config.ConfigCodec;
import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.proxy.DataPlane;
import io.duet.proxy.metrics.MetricName;
import io.duet.testkit.http.RawHttp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** What the access tests share: a validated YAML document, a raw client from a chosen source, metric counts. */
final class AccessFixture {
    private AccessFixture() {
    }

    /** A validated document from YAML (listeners on port 0 of 127.0.0.1 or ::1). */
    static DuetConfig doc(String yaml) {
        try {
            return ConfigValidator.requireValid(ConfigCodec.decode(yaml, ConfigCodec.Format.YAML));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A raw HTTP/1.1 client connected from {@code source} (127.0.0.x: every loopback address works on Linux). */
    static RawHttp from(String source, InetSocketAddress to) {
        try {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(source, 0));
            s.connect(to, 5000);
            s.setSoTimeout(10_000);
            return RawHttp.over(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One GET from {@code source} on a fresh connection. */
    static RawHttp.Response get(String source, InetSocketAddress to, String path, String... headerLines) {
        try (RawHttp c = from(source, to)) {
            StringBuilder b = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: a.test\r\n");
            for (String h : headerLines) {
                b.append(h).append("\r\n");
            }
            c.send(b.append("\r\n").toString());
            return c.readResponse();
        }
    }

    /** A listener's access counter. */
    static long listenerCount(DataPlane dp, String listener, String outcome) {
        return dp.metrics().counter(MetricName.encode("duet_listener_access_total", "listener", listener,
                "outcome", outcome)).getCount();
    }

    /** A route's access counter. */
    static long routeCount(DataPlane dp, String vhost, String route, String outcome) {
        return dp.metrics().counter(MetricName.encode("duet_route_access_total", "vhost", vhost, "route", route,
                "outcome", outcome)).getCount();
    }
}
