package io.duet.proxy.balance;

import java.net.InetAddress;

/**
 * What a balancer may know about a request. Balancers declare what they read so the validator can reject
 * combinations that cannot work; round robin reads nothing.
 */
public interface RequestView {
    /** The client address after trusted PROXY protocol / forwarding headers are applied. */
    InetAddress clientAddress();

    /** The first value of a request header, or {@code null}. */
    String header(String name);

    /** The canonical request path. */
    String path();

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
    };
}
