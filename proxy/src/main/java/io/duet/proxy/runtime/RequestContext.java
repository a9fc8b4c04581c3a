package io.duet.proxy.runtime;

import io.duet.proxy.routing.CompiledRoute;
import io.duet.proxy.routing.Router;
import io.undertow.util.AttachmentKey;

/**
 * Per-request state of the root handler: the snapshot the request uses from start to end, when it started, on which
 * listener, and the route it took. The route's metrics start here when the router chooses it
 * ({@link #routeChosen}) and end here when the exchange completes ({@link #finished}). One small object per request
 * instead of several attachments; touched by the exchange's I/O thread (completion may run on a worker thread, after
 * the request's handlers).
 */
final class RequestContext implements Router.Chosen {
    static final AttachmentKey<RequestContext> KEY = AttachmentKey.create(RequestContext.class);

    final RuntimeSnapshot snapshot;
    final long startNanos;
    final String listener;
    /** The route the router chose, or {@code null} (no route matched, or the request was refused before). */
    private CompiledRoute route;

    RequestContext(RuntimeSnapshot snapshot, long startNanos, String listener) {
        this.snapshot = snapshot;
        this.startNanos = startNanos;
        this.listener = listener;
    }

    /** The route's metrics start: it is about to handle the request. */
    @Override
    public void routeChosen(CompiledRoute chosen) {
        route = chosen;
        chosen.metrics().requestStarted();
    }

    /** The route's metrics end, when it had started them. */
    void finished(int status, long nanos) {
        if (route != null) {
            route.metrics().requestFinished(status, nanos);
        }
    }

    /** The route the request took, or {@code null}. */
    CompiledRoute route() {
        return route;
    }
}
