package io.duet.proxy.forward;

import io.undertow.util.HttpString;
import io.undertow.util.Methods;

/** RFC 9110 idempotent methods: the only ones retried on another server. */
final class Idempotent {
    private Idempotent() {
    }

    static boolean method(HttpString m) {
        return m.equals(Methods.GET) || m.equals(Methods.HEAD) || m.equals(Methods.OPTIONS) || m.equals(Methods.PUT)
                || m.equals(Methods.DELETE) || m.equals(Methods.TRACE);
    }
}
