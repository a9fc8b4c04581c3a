package io.duet.proxy.response;

import io.duet.proxy.request.RequestContext;
import io.undertow.util.StatusCodes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The error pages of one virtual host, compiled once per snapshot: for each status a {@link Page} whose body (and,
 * for the edge, whole HTTP/1.1 answer) is encoded here, so answering allocates no page. The router puts a host's
 * pages on the request's context ({@link RequestContext#pages}) as soon as the host is known; from then on every
 * answer {@link ErrorResponses} writes for that request uses the host's page for its status. Immutable; any thread.
 */
public final class ErrorPages implements RequestContext.Pages {
    /** Statuses 400-599, indexed by {@code status - 400}. */
    private final Page[] byStatus = new Page[200];

    /** Adds the page for {@code status} (400-599); a later page for the same status replaces it. Reload thread. */
    public ErrorPages page(int status, String contentType, String body) {
        byStatus[status - 400] = new Page(status, contentType, body);
        return this;
    }

    /** The page for {@code status}, or {@code null} (Duet's default page). */
    public Page forStatus(int status) {
        return status >= 400 && status < 600 ? byStatus[status - 400] : null;
    }

    /** True when no status has a page. */
    public boolean isEmpty() {
        for (Page p : byStatus) {
            if (p != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * One page: a status, its content type and body, encoded once.
     */
    public static final class Page {
        private final int status;
        private final String contentType;
        private final ByteBuffer body;
        private final byte[] http1Closing;

        /** @param status 400-599 (for the edge's closing answer; {@link ErrorResponses#sendPage} takes its own) */
        public Page(int status, String contentType, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            this.status = status;
            this.contentType = contentType;
            this.body = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
            byte[] head = ("HTTP/1.1 " + status + " " + StatusCodes.getReason(status) + "\r\n"
                    + "Content-Type: " + contentType + "\r\n"
                    + "Content-Length: " + bytes.length + "\r\n"
                    + "Cache-Control: no-store\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            this.http1Closing = new byte[head.length + bytes.length];
            System.arraycopy(head, 0, http1Closing, 0, head.length);
            System.arraycopy(bytes, 0, http1Closing, head.length, bytes.length);
        }

        public int status() {
            return status;
        }

        public String contentType() {
            return contentType;
        }

        /** The body's length in bytes. */
        public int length() {
            return body.capacity();
        }

        /** The body, as a fresh view of the shared bytes (position 0). */
        ByteBuffer body() {
            return body.duplicate();
        }

        /** The whole HTTP/1.1 answer with this body, closing the connection. Shared: write it, never change it. */
        public byte[] http1Closing() {
            return http1Closing;
        }
    }
}
