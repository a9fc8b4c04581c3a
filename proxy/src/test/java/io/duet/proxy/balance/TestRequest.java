package io.duet.proxy.balance;

import io.duet.proxy.pool.RequestView;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/** A request as balancers see it, for tests: a client address, a path and query, headers, cookies, parameters. */
record TestRequest(InetAddress clientAddress, String path, String query, Map<String, String> headers,
                   Map<String, String> cookies, Map<String, String> parameters) implements RequestView {

    static TestRequest path(String path) {
        return new TestRequest(null, path, null, Map.of(), Map.of(), Map.of());
    }

    static TestRequest header(String name, String value) {
        return new TestRequest(null, "/", null, Map.of(name, value), Map.of(), Map.of());
    }

    static TestRequest client(String address) {
        try {
            return new TestRequest(InetAddress.getByName(address), "/", null, Map.of(), Map.of(), Map.of());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public String uri() {
        return query == null ? path : path + "?" + query;
    }

    @Override
    public String queryParameter(String name) {
        return parameters.get(name);
    }

    @Override
    public String cookie(String name) {
        return cookies.get(name);
    }
}
