package io.duet.admin.api;

import io.duet.admin.message.AdminMessage;
import io.duet.config.Violation;

import java.util.List;

/**
 * An error answer: its status, message id, message and violations, written as {@code {"id", "message",
 * "violations"?}} by {@link ErrorMapping}; with a Retry-After or an Allow header where one belongs.
 */
public final class ApiError extends Exception {
    private final int status;
    private final AdminMessage id;
    private final List<Violation> violations;
    private final long retryAfterSeconds;
    private final String allow;

    private ApiError(int status, AdminMessage id, String message, List<Violation> violations, long retryAfterSeconds,
                     String allow) {
        super(message);
        this.status = status;
        this.id = id;
        this.violations = violations;
        this.retryAfterSeconds = retryAfterSeconds;
        this.allow = allow;
    }

    public ApiError(int status, AdminMessage id, String message) {
        this(status, id, message, List.of(), 0, null);
    }

    public ApiError(int status, AdminMessage id, String message, List<Violation> violations) {
        this(status, id, message, violations, 0, null);
    }

    /** An error whose answer says when to try again ({@code Retry-After}, seconds). */
    public static ApiError retryAfter(int status, AdminMessage id, String message, long seconds) {
        return new ApiError(status, id, message, List.of(), seconds, null);
    }

    /** 405, with the methods the route table has for the path ({@code Allow}). */
    public static ApiError methodNotAllowed(String allowed) {
        return new ApiError(405, AdminMessage.METHOD_NOT_ALLOWED, "method not allowed here (allowed: " + allowed
                + ")", List.of(), 0, allowed);
    }

    public int status() {
        return status;
    }

    public AdminMessage id() {
        return id;
    }

    public List<Violation> violations() {
        return violations;
    }

    /** Seconds for a Retry-After header; 0: none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The Allow header of a 405, or null. */
    public String allow() {
        return allow;
    }
}
