package io.duet.proxy.edge;

import io.duet.proxy.request.RequestContext;
import io.duet.proxy.response.EdgeError;
import io.duet.proxy.response.ErrorResponses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.server.protocol.http2.Http2ServerConnection;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import io.undertow.util.SameThreadExecutor;

/**
 * The first handler of every edge exchange: the checks that need the parsed head (framing, Host, body size,
 * path canonicalisation), then the body guard, then {@code next}. Every rejection answers with the edge's own
 * response and closes the connection (see {@link HeadGuardConduit#reject}).
 *
 * <p>I/O thread; never blocks. {@code next} may be swapped at any time from any thread.
 */
final class EdgeHandler implements HttpHandler {

    private static final Runnable NOTHING = () -> { };

    private final EdgeSettings settings;
    private volatile HttpHandler next;

    EdgeHandler(EdgeSettings settings, HttpHandler next) {
        this.settings = settings;
        this.next = next;
    }

    void next(HttpHandler handler) {
        this.next = handler;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        // The request enters Duet here: its one context, which every layer after reads.
        RequestContext ctx = RequestContext.of(exchange);
        if (exchange.getConnection() instanceof Http2ServerConnection) {
            handleHttp2(exchange, ctx);
            return;
        }
        HeadGuardConduit head = guardOf(exchange.getConnection());
        if (head == null) {
            // Not accepted by EdgeListener (cannot happen in production): no edge checks possible.
            exchange.setStatusCode(500);
            exchange.endExchange();
            return;
        }
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            BodyGuard body = (BodyGuard) ctx.bodyGuard();
            if (body != null) {
                body.stop();
            }
            if (!head.rejected()) {
                if (ex.isUpgrade()) {
                    head.passForever();
                } else if (!head.rearm(((HttpServerConnection) ex.getConnection()).getExtraBytes())) {
                    ex.setPersistent(false);
                }
            }
            nextListener.proceed();
        });

        AddressDrains.Entry drain = head.drainEntry;
        if (drain != null) { // a connection to a VIP: when the VIP drains, it ends with its current response
            if (drain.draining()) {
                exchange.setPersistent(false);
            } else {
                exchange.addResponseCommitListener(ex -> {
                    if (drain.draining()) {
                        ex.setPersistent(false); // Connection: close
                    }
                });
                exchange.addExchangeCompleteListener((ex, nextListener) -> {
                    if (drain.draining()) {
                        ex.setPersistent(false); // response already sent: just close after it
                    }
                    nextListener.proceed();
                });
            }
        }

        HeaderMap headers = exchange.getRequestHeaders();
        boolean http11 = exchange.getProtocol().equals(Protocols.HTTP_1_1);
        if (!http11 && !exchange.getProtocol().equals(Protocols.HTTP_1_0)) {
            reject(exchange, head, EdgeError.BAD_REQUEST.http1());
            return;
        }

        // Framing: exactly one of Content-Length (digits, one value) and Transfer-Encoding (exactly chunked).
        HeaderValues te = headers.get(Headers.TRANSFER_ENCODING);
        HeaderValues cl = headers.get(Headers.CONTENT_LENGTH);
        long declared = -1;
        boolean chunked = false;
        if (te != null) {
            if (cl != null || !http11 || te.size() != 1 || !te.getFirst().trim().equalsIgnoreCase("chunked")) {
                reject(exchange, head, EdgeError.BAD_FRAMING.http1());
                return;
            }
            chunked = true;
        } else if (cl != null) {
            for (int i = 0; i < cl.size(); i++) {
                long v = parseLength(cl.get(i));
                if (v < 0 || (declared >= 0 && v != declared)) {
                    reject(exchange, head, EdgeError.BAD_FRAMING.http1());
                    return;
                }
                declared = v;
            }
        }

        // Host: one, well-formed, and the same authority as an absolute-form target.
        HeaderValues host = headers.get(Headers.HOST);
        if ((host == null && http11) || (host != null && (host.size() != 1 || !validHost(host.getFirst())))) {
            reject(exchange, head, EdgeError.BAD_HOST.http1());
            return;
        }
        String rawPath = exchange.getRequestURI();
        if (exchange.isHostIncludedInRequestURI()) {
            int authStart = rawPath.indexOf("://") + 3;
            int pathStart = rawPath.indexOf('/', authStart);
            String authority = rawPath.substring(authStart, pathStart < 0 ? rawPath.length() : pathStart);
            if (host == null || !authority.equalsIgnoreCase(host.getFirst())) {
                reject(exchange, head, EdgeError.BAD_HOST.http1());
                return;
            }
            rawPath = pathStart < 0 ? "/" : rawPath.substring(pathStart);
        }

        // Path: canonicalised once; everything after sees only the canonical form.
        if (!(rawPath.equals("*") && exchange.getRequestMethod().equals(Methods.OPTIONS))) {
            String canonical;
            String decoded;
            try {
                canonical = CanonicalPath.canonicalize(rawPath);
                decoded = CanonicalPath.decode(canonical);
            } catch (CanonicalPath.BadPathException e) {
                reject(exchange, head, EdgeError.BAD_PATH.http1());
                return;
            }
            exchange.setRequestURI(canonical, false);
            exchange.setRequestPath(decoded);
            exchange.setRelativePath(decoded);
            exchange.setResolvedPath("");
            ctx.canonicalPath(decoded);
        }

        // Body: 413 before reading when the length is known; otherwise counted as it is read.
        if (chunked || declared > 0) {
            BodyGuard body = new BodyGuard(exchange, head, settings);
            ctx.bodyGuard(body);
            if (declared > settings.maxBodyBytes()) {
                rejectTooLarge(exchange, body);
                return;
            }
            exchange.addRequestWrapper(body);
            body.start();
        }

        next.handleRequest(exchange);
    }

    /**
     * The edge for an HTTP/2 stream. Undertow's HTTP/2 parser has already refused connection-specific headers,
     * a TE other than trailers, and missing or repeated pseudo-headers (stream reset), and put {@code :authority}
     * into Host. Here: Host well-formed, Content-Length valid and under the limit (413), the path canonicalised
     * like HTTP/1's. A rejection answers this stream only; the connection and its other streams go on. A body
     * without Content-Length gets {@code Transfer-Encoding: chunked} so the HTTP/1.1 forwarder streams it chunked
     * (the header never leaves as such: framing towards the server is the forwarder's). A body gets the same
     * {@link BodyGuard} as HTTP/1.1 (limit, pause and rate deadlines, a route's own limit), answering this stream
     * 413/408 itself. HTTP/2 has no head trickling to time out: Undertow's idle timeout and {@link Http2Guard}'s
     * stream and reset limits apply.
     */
    private void handleHttp2(HttpServerExchange exchange, RequestContext ctx) throws Exception {
        HeaderMap headers = exchange.getRequestHeaders();
        HeaderValues host = headers.get(Headers.HOST);
        if (host == null || host.size() != 1 || host.getFirst() == null || !validHost(host.getFirst())) {
            rejectStream(exchange, EdgeError.BAD_HOST);
            return;
        }
        HeaderValues cl = headers.get(Headers.CONTENT_LENGTH);
        long declared = -1;
        if (cl != null) {
            for (int i = 0; i < cl.size(); i++) {
                long v = parseLength(cl.get(i));
                if (v < 0 || (declared >= 0 && v != declared)) {
                    rejectStream(exchange, EdgeError.BAD_FRAMING);
                    return;
                }
                declared = v;
            }
        }
        String rawPath = exchange.getRequestURI();
        if (!(rawPath.equals("*") && exchange.getRequestMethod().equals(Methods.OPTIONS))) {
            try {
                String canonical = CanonicalPath.canonicalize(rawPath);
                String decoded = CanonicalPath.decode(canonical);
                exchange.setRequestURI(canonical, false);
                exchange.setRequestPath(decoded);
                exchange.setRelativePath(decoded);
                exchange.setResolvedPath("");
                ctx.canonicalPath(decoded);
            } catch (CanonicalPath.BadPathException e) {
                rejectStream(exchange, EdgeError.BAD_PATH);
                return;
            }
        }
        if (declared > 0 && exchange.isRequestComplete()) {
            // RFC 9113 8.1.1: END_STREAM on the HEADERS frame with a content-length that announces a body
            settings.events().http2Malformed();
            Http2Guard.reset(exchange, "content-length " + declared + " on a request without DATA");
            return;
        }
        HeaderValues cookies = headers.get(Headers.COOKIE);
        if (cookies != null && cookies.size() > 1) {
            // RFC 9113 8.2.3: cookie crumbs travel to an HTTP/1.1 server as one field joined with "; "
            headers.put(Headers.COOKIE, String.join("; ", cookies));
        }
        if (declared > settings.maxBodyBytes()) {
            settings.events().bodyTooLarge();
            rejectStream(exchange, EdgeError.TOO_LARGE);
            return;
        }
        headers.remove(Headers.TRANSFER_ENCODING);
        if (declared < 0 && !exchange.isRequestComplete()) {
            headers.put(Headers.TRANSFER_ENCODING, "chunked");
        }
        if (!exchange.isRequestComplete()) {
            // The same body guard as HTTP/1.1: the limit (a route may change it), the pause and rate deadlines;
            // a rejection answers this stream (408/413) and the connection goes on.
            BodyGuard body = new BodyGuard(exchange, null, settings);
            body.declaredLength(declared);
            ctx.bodyGuard(body);
            exchange.addRequestWrapper(body);
            exchange.addExchangeCompleteListener((ex, nextListener) -> {
                body.stop();
                nextListener.proceed();
            });
            body.start();
        }
        next.handleRequest(exchange);
    }

    private void rejectStream(HttpServerExchange exchange, EdgeError error) {
        if (error.status() == 400) {
            settings.events().badRequest();
        }
        ErrorResponses.sendText(exchange, error);
    }

    /** Answers 413 for a declared length over the limit. Thread handling the exchange. */
    static void rejectTooLarge(HttpServerExchange exchange, BodyGuard body) {
        body.stop();
        HeadGuardConduit head = guardOf(exchange.getConnection());
        body.settings().events().bodyTooLarge();
        if (head != null) {
            head.reject(ErrorResponses.http1Closing(exchange, EdgeError.TOO_LARGE)); // the host's 413 page, if routed
        } else {
            body.rejectStream(EdgeError.TOO_LARGE); // HTTP/2: this stream only
        }
        holdExchange(exchange);
    }

    private void reject(HttpServerExchange exchange, HeadGuardConduit head, byte[] response) {
        settings.events().badRequest();
        head.reject(response);
        holdExchange(exchange);
    }

    /**
     * Keeps Undertow from ending the exchange (and writing a response of its own) when the handler returns: the
     * connection belongs to the guard's linger-and-close now.
     */
    private static void holdExchange(HttpServerExchange exchange) {
        if (!exchange.isDispatched()) {
            exchange.dispatch(SameThreadExecutor.INSTANCE, NOTHING);
        }
    }

    static HeadGuardConduit guardOf(ServerConnection connection) {
        if (connection instanceof HttpServerConnection) {
            Object c = ((HttpServerConnection) connection).getOriginalSourceConduit();
            if (c instanceof HeadGuardConduit) {
                return (HeadGuardConduit) c;
            }
        }
        return null;
    }

    /** 1*DIGIT, at most 18 digits; -1 for anything else ({@code +5}, empty, {@code 5, 5}, spaces inside). */
    static long parseLength(String v) {
        String s = v.trim();
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * RFC 9110 Host: {@code uri-host [ ":" port ]}, where uri-host is a reg-name of letters, digits and
     * {@code - . _ ~}, or an IPv4 address, or a bracketed IPv6 literal; the port is 1-5 digits up to 65535.
     * Empty hosts and userinfo are refused.
     */
    static boolean validHost(String h) {
        if (h.isEmpty()) {
            return false;
        }
        int portStart;
        if (h.charAt(0) == '[') {
            int close = h.indexOf(']');
            if (close < 3) {
                return false;
            }
            for (int i = 1; i < close; i++) {
                char c = h.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            portStart = close + 1;
            if (portStart < h.length() && h.charAt(portStart) != ':') {
                return false;
            }
        } else {
            int colon = h.indexOf(':');
            portStart = colon < 0 ? h.length() : colon;
            if (portStart == 0) {
                return false;
            }
            for (int i = 0; i < portStart; i++) {
                char c = h.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '.' || c == '_' || c == '~';
                if (!ok) {
                    return false;
                }
            }
        }
        if (portStart < h.length()) {
            String port = h.substring(portStart + 1);
            if (port.isEmpty() || port.length() > 5) {
                return false;
            }
            long p = parseLength(port);
            return p >= 0 && p <= 65535;
        }
        return true;
    }
}
