package io.duet.config;

/**
 * A named rate limit, applied by the listeners and routes that name it ({@code rateLimits}).
 *
 * @param name unique in the document
 */
public record RateLimit(String name) {
}
