package io.duet.proxy.pool;

import java.net.InetAddress;

/**
 * What a balancer may know about a request. Balancers declare what they read
 * ({@link io.duet.config.BalancerAlgorithm}) so the validator can reject combinations that cannot work; round
 * robin reads nothing. Implementations compute each value only when asked (no parsing up front). I/O thread.
 */
public interface RequestView {
    /** The client address after trusted PROXY protocol / forwarding headers are applied. */
    InetAddress clientAddress();

    /** The first value of a request header, or {@code null}. */
    String header(String name);

    /** The canonical request path (no query). */
    String path();

    /** The canonical path and, when the request has one, {@code ?} and the query string as sent. */
    String uri();

    /** The first value of a query parameter, or {@code null}. */
    String queryParameter(String name);

    /** The value of a request cookie, or {@code null}. */
    String cookie(String name);

    RequestView NONE = new RequestView() {
        @Override
        public InetAddress clientAddress() {
            return null;
        }

        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public String path() {
            return "/";
        }

        @Override
        public String uri() {
            return "/";
        }

        @Override
        public String queryParameter(String name) {
            return null;
        }

        @Override
        public String cookie(String name) {
            return null;
        }
    };
}
