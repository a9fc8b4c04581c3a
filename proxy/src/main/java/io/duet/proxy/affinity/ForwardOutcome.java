package io.duet.proxy.affinity;

/**
 * What affinity needs to know of the forwarder when the response commits: whether Duet answered the request itself
 * because forwarding failed (then no server answered, and nobody is bound). Implemented by the forwarder's per-request
 * state; read on the exchange's I/O thread.
 */
public interface ForwardOutcome {
    /** True when forwarding failed and the response is Duet's own error. */
    boolean failed();
}
