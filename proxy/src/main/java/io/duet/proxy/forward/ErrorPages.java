package io.duet.proxy.forward;

import io.duet.proxy.action.ErrorId;
import io.duet.proxy.action.ErrorResponses;
import io.undertow.server.DefaultResponseListener;
import io.undertow.server.HttpServerExchange;

/**
 * Error responses of the forwarding path with stable ids: 502 {@code DUET-PROXY-0502} (the server failed before
 * answering), 503 {@code DUET-PROXY-0503} (no server is up, or the connection queue is full), 504
 * {@code DUET-PROXY-0504} (connect or response timeout).
 */
public final class ErrorPages {
    /** Writes the error page for any exchange that ends with an error status and no body. */
    public static final DefaultResponseListener DEFAULT_RESPONSE = exchange -> {
        if (exchange.isResponseStarted() || exchange.getStatusCode() < 400) {
            return false;
        }
        ForwardState st = exchange.getAttachment(ForwardState.KEY);
        if (st != null && exchange.getStatusCode() == 503 && st.failure() != ForwardState.Failure.NO_SERVER
                && st.failure() != ForwardState.Failure.QUEUE_FULL && st.failure() != ForwardState.Failure.QUEUE_TIMEOUT) {
            // Undertow's proxy answers a bare 503 when a backend fails; say what really happened.
            exchange.setStatusCode(statusOf(st));
        }
        ErrorResponses.send(exchange, exchange.getStatusCode(), ErrorId.idFor(exchange.getStatusCode()),
                messageOf(st));
        return true;
    };

    private ErrorPages() {
    }

    /** Ends the exchange with the error that matches how forwarding failed. I/O thread. */
    static void forwardFailure(HttpServerExchange exchange, ForwardState st) {
        if (exchange.isResponseStarted()) {
            org.xnio.IoUtils.safeClose(exchange.getConnection());
            return;
        }
        int status = statusOf(st);
        // A request body that was not read to its end leaves the client connection out of sync: close it.
        boolean close = !st.requestRead();
        ErrorResponses.send(exchange, status, ErrorId.idFor(status), messageOf(st), close);
    }

    static int statusOf(ForwardState st) {
        switch (st.failure()) {
            case NO_SERVER:
            case QUEUE_FULL:
            case QUEUE_TIMEOUT:
                return 503;
            case CONNECT_TIMEOUT:
            case RESPONSE_TIMEOUT:
                return 504;
            default:
                return 502;
        }
    }

    private static String messageOf(ForwardState st) {
        if (st == null) {
            return "the request could not be served";
        }
        String server = st.server() == null ? "" : " (last tried: server '" + st.server().id() + "')";
        switch (st.failure()) {
            case NO_SERVER:
                return "pool '" + st.pool() + "': no server is up";
            case QUEUE_FULL:
                return "pool '" + st.pool() + "': every server is at its request limit and the queue is full";
            case QUEUE_TIMEOUT:
                return "pool '" + st.pool() + "': every server stayed at its request limit for the whole queue timeout";
            case CONNECT_TIMEOUT:
                return "pool '" + st.pool() + "': connecting to the server timed out" + server;
            case RESPONSE_TIMEOUT:
                return "pool '" + st.pool() + "': the server did not answer in time" + server;
            default:
                return "pool '" + st.pool() + "': the server failed before answering" + server;
        }
    }
}
