package io.duet.proxy.scenario.routing;

import io.duet.testkit.http.RawHttp;

/**
 * A client of the routing scenarios in one protocol: it sends a request for a host name (its Host header, SNI name
 * and HTTP/2 authority alike) on a connection of its own for that host, opened on first use and reused after.
 * Not thread-safe: one test thread.
 */
interface ScenarioClient extends AutoCloseable {
    /**
     * Sends one request and reads its response. {@code body} null: none; {@code headers}: lower-case name/value pairs.
     * The response's header names are lower-cased.
     */
    RawHttp.Response send(String method, String host, String target, String body, String... headers) throws Exception;

    @Override
    void close();
}
