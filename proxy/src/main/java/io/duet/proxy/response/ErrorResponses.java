package io.duet.proxy.response;

import io.duet.proxy.request.RequestContext;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;

import org.xnio.IoUtils;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The one writer of the error responses the data plane produces itself. Routed requests get JSON when the client's
 * Accept prefers {@code application/json} over {@code text/html} (a tie, {@code * / *} or no Accept means HTML), else
 * an HTML page; every such response carries {@code Cache-Control: no-store}, a Content-Length, and the error's stable
 * id ({@link ErrorId}). The edge's refusals ({@link EdgeError}) are short text: pre-encoded HTTP/1.1 responses that
 * close the connection ({@link #http1Closing}), or a text answer on an HTTP/2 stream ({@link #sendText}).
 *
 * <p>Per virtual host: when the request's host is known (the router put its {@link ErrorPages} on the request's
 * context) and it has a page for the status, that page is the body instead, with its own content type, whatever the
 * Accept header; status, {@code Cache-Control}, {@code Connection} and {@code Retry-After} stay as above. So every
 * method here picks the host's page by itself: callers never look pages up.
 *
 * <p><b>For a new answer of Duet's own</b> (an access rule's 403, a rate limit's 429 ...), call
 * {@link #answer(HttpServerExchange, int, String)} or, with {@code Retry-After},
 * {@link #answer(HttpServerExchange, int, String, long)}: the host's page for that status, else the default page
 * with the status's stable id ({@link ErrorId#idFor}) and your message.
 *
 * <p>Threads: may be called on an I/O thread or on a worker thread (blocking or not); never blocks an I/O thread.
 * The exchange ends once the body is written.
 */
public final class ErrorResponses {

    private static final HttpString REQUEST_ID_HEADER = new HttpString("X-Request-Id");
    private static final String JSON = "application/json";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final HttpString RETRY_AFTER = new HttpString("Retry-After");

    private ErrorResponses() {
    }

    /**
     * Duet's own answer with {@code status} for this exchange: the page of the request's virtual host for that
     * status when it has one, else Duet's default page (HTML or JSON) with the status's stable id and
     * {@code message}. The connection stays open. Thread handling the exchange; never blocks.
     *
     * @param message what happened and what to do, for the default page (e.g. "access denied by rule 'office'")
     */
    public static void answer(HttpServerExchange exchange, int status, String message) {
        send(exchange, status, ErrorId.idFor(status), message, false, -1);
    }

    /**
     * As {@link #answer(HttpServerExchange, int, String)}, with {@code Retry-After: retryAfterSeconds} (429, 503).
     */
    public static void answer(HttpServerExchange exchange, int status, String message, long retryAfterSeconds) {
        send(exchange, status, ErrorId.idFor(status), message, false, retryAfterSeconds);
    }

    /**
     * Sends {@code page} as the body of a {@code status} answer with {@code Retry-After} when
     * {@code retryAfterSeconds >= 0} (a maintenance page, which need not be one of the host's error pages).
     */
    public static void sendPage(HttpServerExchange exchange, int status, ErrorPages.Page page,
                                long retryAfterSeconds) {
        if (exchange.isResponseStarted()) {
            exchange.setPersistent(false);
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        writePage(exchange, status, page, false, retryAfterSeconds);
    }

    /**
     * The HTTP/1.1 answer the edge writes for {@code error} on this exchange's connection: the request's host's page
     * for its status when the host is known and has one, else the edge's own text ({@link EdgeError#http1()}).
     */
    public static byte[] http1Closing(HttpServerExchange exchange, EdgeError error) {
        ErrorPages.Page page = pageFor(exchange, error.status());
        return page == null ? error.http1() : page.http1Closing();
    }

    /** Sends {@code id}'s status with its default message; the connection stays open. */
    public static void send(HttpServerExchange exchange, ErrorId id) {
        send(exchange, id.status(), id.id(), id.message(), false);
    }

    /** Sends {@code id}'s status with its default message, closing the connection afterwards when asked. */
    public static void send(HttpServerExchange exchange, ErrorId id, boolean closeConnection) {
        send(exchange, id.status(), id.id(), id.message(), closeConnection);
    }

    /** Sends an error response; the connection stays open. */
    public static void send(HttpServerExchange exchange, int status, String errorId, String message) {
        send(exchange, status, errorId, message, false);
    }

    /**
     * Sends an error response.
     *
     * <p>When the response has already started (headers sent) nothing can be said to the client any more: the
     * connection is closed instead, so the client never takes a truncated response for a whole one.
     *
     * @param closeConnection add {@code Connection: close} and close the connection after the response
     */
    public static void send(HttpServerExchange exchange, int status, String errorId, String message,
                            boolean closeConnection) {
        send(exchange, status, errorId, message, closeConnection, -1);
    }

    private static void send(HttpServerExchange exchange, int status, String errorId, String message,
                             boolean closeConnection, long retryAfterSeconds) {
        if (exchange.isResponseStarted()) {
            exchange.setPersistent(false);
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        ErrorPages.Page page = pageFor(exchange, status);
        if (page != null) {
            writePage(exchange, status, page, closeConnection, retryAfterSeconds);
            return;
        }
        boolean json = prefersJson(exchange.getRequestHeaders());
        // The request id of the request's context; else the X-Request-Id request header; else none in the body.
        RequestContext ctx = RequestContext.peek(exchange);
        String requestId = ctx == null ? null : ctx.requestId();
        if (requestId == null) {
            requestId = exchange.getRequestHeaders().getFirst(REQUEST_ID_HEADER);
        }
        String reason = StatusCodes.getReason(status);
        String body = json
                ? json(status, reason, errorId, message, requestId)
                : html(status, reason, errorId, message, requestId);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        exchange.setStatusCode(status);
        HeaderMap headers = exchange.getResponseHeaders();
        headers.clear();
        headers.put(Headers.CONTENT_TYPE, json ? JSON : HTML);
        headers.put(Headers.CONTENT_LENGTH, bytes.length);
        headers.put(Headers.CACHE_CONTROL, "no-store");
        if (retryAfterSeconds >= 0) {
            headers.put(RETRY_AFTER, retryAfterSeconds);
        }
        if (closeConnection) {
            headers.put(Headers.CONNECTION, Headers.CLOSE.toString());
            exchange.setPersistent(false);
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    /** The page of the request's virtual host for {@code status}, or {@code null}. */
    private static ErrorPages.Page pageFor(HttpServerExchange exchange, int status) {
        RequestContext ctx = RequestContext.peek(exchange);
        RequestContext.Pages pages = ctx == null ? null : ctx.pages();
        return pages == null ? null : ((ErrorPages) pages).forStatus(status);
    }

    /** A page's answer: the response has not started. */
    private static void writePage(HttpServerExchange exchange, int status, ErrorPages.Page page,
                                  boolean closeConnection, long retryAfterSeconds) {
        exchange.setStatusCode(status);
        HeaderMap headers = exchange.getResponseHeaders();
        headers.clear();
        headers.put(Headers.CONTENT_TYPE, page.contentType());
        headers.put(Headers.CONTENT_LENGTH, page.length());
        headers.put(Headers.CACHE_CONTROL, "no-store");
        if (retryAfterSeconds >= 0) {
            headers.put(RETRY_AFTER, retryAfterSeconds);
        }
        if (closeConnection) {
            headers.put(Headers.CONNECTION, Headers.CLOSE.toString());
            exchange.setPersistent(false);
        }
        exchange.getResponseSender().send(page.body());
    }

    /**
     * An edge refusal on an HTTP/2 stream: the status, {@code Content-Type: text/plain; charset=utf-8} and the text
     * with a line end, or the host's page for the status when the host is known (the stream ends; the connection
     * stays). Thread handling the exchange.
     */
    public static void sendText(HttpServerExchange exchange, EdgeError error) {
        ErrorPages.Page page = pageFor(exchange, error.status());
        if (page != null) {
            writePage(exchange, error.status(), page, false, -1);
            return;
        }
        exchange.setStatusCode(error.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TEXT);
        exchange.getResponseSender().send(error.text() + "\n");
    }

    /**
     * A whole HTTP/1.1 error response, encoded once: status line, {@code Content-Type: text/plain; charset=utf-8},
     * Content-Length, {@code Connection: close}, and {@code text} with a line end as the body.
     */
    static byte[] http1Closing(int status, String reason, String text) {
        String body = text + "\n";
        return ("HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: " + TEXT + "\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    static boolean prefersJson(HeaderMap requestHeaders) {
        var accept = requestHeaders.get(Headers.ACCEPT);
        if (accept == null || accept.isEmpty()) {
            return false;
        }
        double json = QualityValues.mediaQuality(accept, "application", "json");
        double html = QualityValues.mediaQuality(accept, "text", "html");
        return json > 0 && json > html;
    }

    private static String json(int status, String reason, String errorId, String message, String requestId) {
        StringBuilder b = new StringBuilder(160);
        b.append("{\"status\":").append(status).append(",\"error\":");
        jsonString(b, reason);
        b.append(",\"id\":");
        jsonString(b, errorId);
        b.append(",\"message\":");
        jsonString(b, message);
        if (requestId != null) {
            b.append(",\"requestId\":");
            jsonString(b, requestId);
        }
        return b.append("}\n").toString();
    }

    private static void jsonString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static String html(int status, String reason, String errorId, String message, String requestId) {
        StringBuilder b = new StringBuilder(400);
        b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(status).append(' ');
        htmlText(b, reason);
        b.append("</title></head>\n<body><h1>").append(status).append(' ');
        htmlText(b, reason);
        b.append("</h1>\n<p>");
        htmlText(b, message);
        b.append("</p>\n<p><small>");
        htmlText(b, errorId);
        if (requestId != null) {
            b.append(" &middot; request ");
            htmlText(b, requestId);
        }
        return b.append("</small></p></body></html>\n").toString();
    }

    private static void htmlText(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
    }
}
