package io.duet.config.build;

import io.duet.config.Compression;
import io.duet.config.FixedResponse;
import io.duet.config.HeaderRule;
import io.duet.config.PathMatch;
import io.duet.config.Redirect;
import io.duet.config.Rewrite;
import io.duet.config.Route;
import io.duet.config.RouteMatch;

import java.util.ArrayList;
import java.util.List;

/** Builds a {@link Route}: a match (default: every request), one action, and what it changes on the way. */
public final class RouteBuilder {
    private final String name;
    private RouteMatch match;
    private String pool;
    private Redirect redirect;
    private FixedResponse respond;
    private final List<HeaderRule> requestHeaders = new ArrayList<>();
    private final List<HeaderRule> responseHeaders = new ArrayList<>();
    private Rewrite rewrite;
    private Compression compression;
    private Long maxBodyBytes;
    private Long responseTimeoutMs;
    private Integer retries;
    private String stickyServerDown;
    private io.duet.config.AccessRule access;
    private final List<String> rateLimits = new ArrayList<>();
    private io.duet.config.Maintenance maintenance;

    RouteBuilder(String name) {
        this.name = name;
    }

    public RouteBuilder match(RouteMatch value) {
        this.match = value;
        return this;
    }

    /** Matches the paths equal to {@code prefix} or below it at a segment boundary. */
    public RouteBuilder pathPrefix(String prefix) {
        return match(RouteMatch.pathPrefix(prefix));
    }

    /** Matches this path only. */
    public RouteBuilder pathExact(String path) {
        return match(new RouteMatch(new PathMatch(path, null, null), null, null, null, null, null, null));
    }

    /** Forwards to this pool. */
    public RouteBuilder pool(String value) {
        this.pool = value;
        return this;
    }

    public RouteBuilder redirect(int status, String location) {
        this.redirect = new Redirect(status, location);
        return this;
    }

    /** Answers itself with this status, body and content type (null: the default). */
    public RouteBuilder respond(int status, String body, String contentType) {
        this.respond = new FixedResponse(status, body, contentType);
        return this;
    }

    public RouteBuilder requestHeader(HeaderRule rule) {
        requestHeaders.add(rule);
        return this;
    }

    public RouteBuilder responseHeader(HeaderRule rule) {
        responseHeaders.add(rule);
        return this;
    }

    public RouteBuilder rewrite(String prefix, String replacement) {
        this.rewrite = new Rewrite(prefix, replacement);
        return this;
    }

    public RouteBuilder compression(Compression value) {
        this.compression = value;
        return this;
    }

    public RouteBuilder maxBodyBytes(long value) {
        this.maxBodyBytes = value;
        return this;
    }

    public RouteBuilder responseTimeoutMs(long value) {
        this.responseTimeoutMs = value;
        return this;
    }

    public RouteBuilder retries(int value) {
        this.retries = value;
        return this;
    }

    /** {@link Route#REDISPATCH} or {@link Route#FAIL}. */
    public RouteBuilder stickyServerDown(String value) {
        this.stickyServerDown = value;
        return this;
    }

    /** Who may use the route, by client address. */
    public RouteBuilder access(io.duet.config.AccessRule value) {
        this.access = value;
        return this;
    }

    /** Applies the rate limit with this name (after those added before). */
    public RouteBuilder rateLimit(String limitName) {
        rateLimits.add(limitName);
        return this;
    }

    public RouteBuilder maintenance(io.duet.config.Maintenance value) {
        this.maintenance = value;
        return this;
    }

    public Route build() {
        return new Route(name, match, pool, redirect, respond, requestHeaders, responseHeaders, rewrite, compression,
                maxBodyBytes, responseTimeoutMs, retries, stickyServerDown, access, rateLimits, maintenance);
    }
}
