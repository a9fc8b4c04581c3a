package io.duet.admin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.admin.auth.Sessions;
import io.duet.admin.message.AdminMessage;
import io.duet.config.Violation;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.server.handlers.CookieImpl;
import io.undertow.util.Headers;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The HTTP helpers every service shares: JSON bodies in and out, ETags and If-Match, query parameters, the session
 * cookie, the client's address. Stateless; the exchange's worker thread, in blocking mode.
 */
public final class Http {
    /** Where the API lives. */
    public static final String PREFIX = "/api/v1";
    public static final ObjectMapper JSON = new ObjectMapper();

    private Http() {
    }

    /** Writes {@code body} as JSON with {@code status}. */
    public static void send(HttpServerExchange ex, int status, Object body) throws IOException {
        sendRaw(ex, status, JSON.writeValueAsBytes(body));
    }

    /** Writes the whole answer and flushes it (not the sender: it ends the exchange, draining the body unbounded). */
    public static void sendRaw(HttpServerExchange ex, int status, byte[] body) throws IOException {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        try (OutputStream out = ex.getOutputStream()) {
            out.write(body);
        }
    }

    /** An answer without a body. */
    public static void noContent(HttpServerExchange ex) {
        ex.setStatusCode(204);
    }

    /** The ETag of a revision: {@code "12"}. */
    public static String etag(long revision) {
        return "\"" + revision + "\"";
    }

    /** Sets the ETag of {@code revision}. */
    public static void etag(HttpServerExchange ex, long revision) {
        ex.getResponseHeaders().put(Headers.ETAG, etag(revision));
    }

    /** The If-Match header, or null. */
    public static String ifMatch(HttpServerExchange ex) {
        return ex.getRequestHeaders().getFirst(Headers.IF_MATCH);
    }

    /** The revision an If-Match names ({@code "12"}, {@code W/"12"}). */
    public static long revisionOf(String ifMatch) throws ApiError {
        String t = ifMatch.trim();
        if (t.startsWith("W/")) {
            t = t.substring(2);
        }
        t = t.replace("\"", "");
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new ApiError(400, AdminMessage.IF_MATCH, "If-Match: '" + ifMatch + "' is not a revision ETag such "
                    + "as \"12\"");
        }
    }

    /** A query parameter that must be a revision number. */
    public static long longParam(HttpServerExchange ex, String name) throws ApiError {
        var v = ex.getQueryParameters().get(name);
        try {
            return Long.parseLong(v == null ? "" : v.getFirst());
        } catch (NumberFormatException e) {
            throw new ApiError(400, AdminMessage.MALFORMED, "query parameter " + name + " must be a revision number");
        }
    }

    /** {@code ?limit=} of a list: 1-5000, default 500. */
    public static int limit(HttpServerExchange ex) throws ApiError {
        var v = ex.getQueryParameters().get("limit");
        if (v == null) {
            return 500;
        }
        try {
            int n = Integer.parseInt(v.getFirst());
            if (n >= 1 && n <= 5000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ApiError(400, AdminMessage.LIMIT, "query parameter limit must be a number from 1 to 5000");
    }

    /** The X-Duet-Summary header, one line of at most 200 characters, or {@code fallback}. */
    public static String summary(HttpServerExchange ex, String fallback) {
        String s = ex.getRequestHeaders().getFirst("X-Duet-Summary");
        if (s == null || s.isBlank()) {
            return fallback;
        }
        s = s.replaceAll("\\p{Cntrl}", " ").trim();
        return s.length() > 200 ? s.substring(0, 200) : s;
    }

    /** The whole body ({@link RequestBody#MAX_BYTES} at most). */
    public static byte[] bytes(HttpServerExchange ex) throws ApiError {
        try {
            return RequestBody.read(ex);
        } catch (RequestBody.TooLargeException e) {
            throw tooLarge();
        } catch (IOException e) {
            throw new ApiError(400, AdminMessage.MALFORMED, "the request body could not be read");
        }
    }

    static ApiError tooLarge() {
        return new ApiError(413, AdminMessage.TOO_LARGE, "the request body is larger than " + RequestBody.MAX_BYTES
                + " bytes");
    }

    /** The body as a JSON object. */
    public static JsonNode body(HttpServerExchange ex) throws ApiError {
        try {
            JsonNode n = JSON.readTree(bytes(ex));
            if (n == null || !n.isObject()) {
                throw new ApiError(400, AdminMessage.MALFORMED, "expected a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ApiError(400, AdminMessage.MALFORMED, "the request body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiError(400, AdminMessage.MALFORMED, "the request body could not be read");
        }
    }

    /** The string field {@code field} of a body. */
    public static String text(JsonNode body, String field) throws ApiError {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw new ApiError(400, AdminMessage.MALFORMED, "expected the string field '" + field + "'",
                    List.of(Violation.error("$." + field, AdminMessage.MALFORMED.id(), field + ": missing (expected: "
                            + "a string)")));
        }
        return v.asText();
    }

    /** The optional string field {@code field} of a body, or null. */
    public static String optionalText(JsonNode body, String field) {
        return body.hasNonNull(field) ? body.get(field).asText() : null;
    }

    /** The session cookie's value, or null. */
    public static String cookie(HttpServerExchange ex) {
        Cookie c = ex.getRequestCookie(Sessions.COOKIE);
        return c == null ? null : c.getValue();
    }

    public static void setCookie(HttpServerExchange ex, String id) {
        ex.setResponseCookie(new CookieImpl(Sessions.COOKIE, id).setPath("/").setSecure(true).setHttpOnly(true)
                .setSameSiteMode("Strict"));
    }

    public static void expireCookie(HttpServerExchange ex) {
        ex.setResponseCookie(new CookieImpl(Sessions.COOKIE, "").setPath("/").setSecure(true).setHttpOnly(true)
                .setSameSiteMode("Strict").setMaxAge(0));
    }

    /** The client's address, for the audit and the login throttle. */
    public static String address(HttpServerExchange ex) {
        var a = ex.getSourceAddress();
        return a == null || a.getAddress() == null ? "?" : a.getAddress().getHostAddress();
    }
}
