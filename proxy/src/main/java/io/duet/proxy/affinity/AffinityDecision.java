package io.duet.proxy.affinity;

/**
 * What affinity decides for one attempt of a request ({@link RouteAffinity#decide}); the forwarder acts on it.
 */
public enum AffinityDecision {
    /** Send the request to the server the client is bound to ({@link StickyBinding#bound()}). */
    USE_BOUND,
    /**
     * Let the pool's balancer pick, with the mask of {@link RouteAffinity#balanceMask} (the bound server, when there
     * is one, is excluded: it is down or was tried).
     */
    BALANCE,
    /**
     * Answer 503 ({@code DUET-PROXY-0503}) with {@link RouteAffinity#refusal}: the bound server is not available and
     * the route says {@code stickyServerDown: fail}.
     */
    REFUSE
}
