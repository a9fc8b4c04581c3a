package io.duet.proxy.affinity;

import io.duet.proxy.pool.BackendServer;
import io.undertow.util.AttachmentKey;

/** What affinity found and decided for one exchange. An exchange attachment; touched only by its I/O thread. */
final class StickyRequest {
    static final AttachmentKey<StickyRequest> KEY = AttachmentKey.create(StickyRequest.class);

    /** The server id the request is bound to (cookie, table), or {@code null}. */
    String boundId;
    /** The table key of this client (address, header value, session id), or {@code null}. */
    String key;
    /** The valid insert cookie the request carried, or {@code null}. */
    CookieStamp stamp;
    /** The server of the last attempt. */
    BackendServer served;
    /** The route refused the request (stickyServerDown: fail) and already answered it. */
    boolean refused;
}
