package io.duet.proxy.runtime;

import io.undertow.util.AttachmentKey;

/**
 * Per-request state of the root handler: the snapshot the request uses from start to end, when it started and
 * on which listener. One small object per request instead of several attachments.
 */
final class RequestContext {
    static final AttachmentKey<RequestContext> KEY = AttachmentKey.create(RequestContext.class);

    final RuntimeSnapshot snapshot;
    final long startNanos;
    final String listener;

    RequestContext(RuntimeSnapshot snapshot, long startNanos, String listener) {
        this.snapshot = snapshot;
        this.startNanos = startNanos;
        this.listener = listener;
    }
}
