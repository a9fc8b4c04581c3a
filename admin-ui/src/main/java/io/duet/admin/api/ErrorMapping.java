package io.duet.admin.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.admin.auth.Passwords;
import io.duet.admin.change.ChangeRefused;
import io.duet.admin.message.AdminMessage;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * The error-mapping decorator: runs a call and turns what it throws into the API's error answer
 * {@code {"id", "message", "violations"?}} (an {@link ApiError} as it is, a refused change by its reason, a node busy
 * hashing as 503, a bug as 500 with the details in the log). Stateless; the exchange's worker thread.
 */
public final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    /** A call that may fail. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    private ErrorMapping() {
    }

    /** Runs {@code call}; an error it throws becomes the error answer (I/O errors of the answer itself propagate). */
    public static void around(HttpServerExchange ex, Call call) throws Exception {
        ApiError error;
        try {
            call.run();
            return;
        } catch (RequestBody.TooLargeException e) {
            error = Http.tooLarge();
        } catch (ApiError e) {
            error = e;
        } catch (ChangeRefused e) {
            error = map(e);
        } catch (Passwords.BusyException e) {
            error = ApiError.retryAfter(503, AdminMessage.HASHING_BUSY, e.getMessage(), 1);
        } catch (RuntimeException e) {
            LOG.error("{} {} {} failed: {}", AdminMessage.INTERNAL.id(), ex.getRequestMethod(), ex.getRequestPath(),
                    e.toString(), e);
            error = new ApiError(500, AdminMessage.INTERNAL, "internal error (a bug): the node's log has the details");
        }
        write(ex, error);
    }

    /** The answer to a change that does not apply. */
    public static ApiError map(ChangeRefused e) {
        int status = switch (e.reason()) {
            case NOT_FOUND -> 404;
            case EXISTS -> 409;
            case INVALID -> 422;
            case MALFORMED -> 400;
        };
        return new ApiError(status, e.id(), e.getMessage(), e.violations());
    }

    static void write(HttpServerExchange ex, ApiError e) throws IOException {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("id", e.id().id());
        o.put("message", e.getMessage());
        List<?> violations = e.violations();
        if (!violations.isEmpty()) {
            o.set("violations", Http.JSON.valueToTree(violations));
        }
        if (e.allow() != null) {
            ex.getResponseHeaders().put(Headers.ALLOW, e.allow());
        }
        if (e.retryAfterSeconds() > 0) {
            ex.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        Http.send(ex, e.status(), o);
    }
}
