package io.duet.proxy.scenario.pages;

import io.duet.config.ConfigValidator;
import io.duet.config.DuetConfig;
import io.duet.config.ErrorPage;
import io.duet.config.HeaderRule;
import io.duet.config.Limits;
import io.duet.config.Listener;
import io.duet.config.Maintenance;
import io.duet.config.ServerState;
import io.duet.config.build.VirtualHostBuilder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static io.duet.config.build.ConfigBuilders.document;
import static io.duet.config.build.ConfigBuilders.pool;
import static io.duet.config.build.ConfigBuilders.route;
import static io.duet.config.build.ConfigBuilders.server;
import static io.duet.config.build.ConfigBuilders.virtualHost;

/**
 * The documents of the error-page scenarios: host {@code branded.test} with a page for every status of Duet's own
 * answers ({@code branded <status>}, type {@link #TYPE}) and host {@code x.test} (the default) with none; both route
 * the same paths to the same pools.
 */
final class PageDocuments {
    static final String BRANDED = "branded.test";
    static final String PLAIN = "x.test";
    static final String TYPE = "text/x-branded; charset=utf-8";

    /** Ports of the test's backends. */
    record Backends(int ok, int dying, int silent, int drained) {
    }

    private PageDocuments() {
    }

    /** Host and route maintenance switches: null for off. */
    static DuetConfig config(long revision, Backends b, Maintenance hostSwitch, Maintenance routeSwitch) {
        VirtualHostBuilder branded = routes(virtualHost("branded").hostname(BRANDED), b, routeSwitch)
                .maintenance(hostSwitch);
        for (int status : ErrorPage.STATUSES) {
            branded.errorPage(new ErrorPage(status, TYPE, "branded " + status));
        }
        DuetConfig doc = document().revision(revision).listener(new Listener("http", "127.0.0.1", 0))
                .limits(new Limits(null, null, null, null, null, null, 400L, 0L, null, null, null))
                .virtualHost(branded)
                .virtualHost(routes(virtualHost("plain").hostname(PLAIN).defaultHost(), b, null))
                .pool(pool("ok").server(server("127.0.0.1", b.ok()).id("ok")))
                .pool(pool("dying").server(server("127.0.0.1", b.dying()).id("dying")))
                .pool(pool("silent").server(server("127.0.0.1", b.silent()).id("silent")))
                .pool(pool("drained").server(server("127.0.0.1", b.drained()).id("drained")
                        .state(ServerState.MAINTENANCE)))
                .build();
        try {
            ConfigValidator.requireValid(doc); // what the proxy runs is a document the validator accepts
        } catch (io.duet.config.InvalidConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        return doc;
    }

    private static VirtualHostBuilder routes(VirtualHostBuilder v, Backends b, Maintenance appSwitch) {
        return v.route(route("app").pathPrefix("/app").pool("ok").maintenance(appSwitch)
                        .responseHeader(new HeaderRule("set", "X-Site", "app")))
                .route(route("small").pathPrefix("/small").pool("ok").maxBodyBytes(10))
                .route(route("dying").pathPrefix("/dying").pool("dying"))
                .route(route("silent").pathPrefix("/silent").pool("silent").responseTimeoutMs(300))
                .route(route("drained").pathPrefix("/drained").pool("drained"));
    }

    static InetSocketAddress address(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    static String get(String host, String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
