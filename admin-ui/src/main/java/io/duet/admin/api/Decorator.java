package io.duet.admin.api;

/** Wraps a route's service with one concern (authentication, role, CSRF), the way Armeria's decorators do. */
@FunctionalInterface
public interface Decorator {
    Service decorate(Route route, Service next);
}
