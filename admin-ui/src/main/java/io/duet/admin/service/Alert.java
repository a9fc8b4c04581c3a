package io.duet.admin.service;

/**
 * One current alert of {@code GET /alerts}: a failure an operator should see now.
 *
 * @param id         stable while the condition lasts: {@code kind:object}, e.g. {@code pool-down:web}
 * @param kind       {@code pool-down}, {@code server-down}, {@code certificate-expired}, {@code certificate-expiring},
 *                   {@code certificate-unreadable}, {@code cluster-no-leader}, {@code member-missing},
 *                   {@code vip-unheld}
 * @param severity   {@code critical} (traffic is failing or about to) or {@code warning}
 * @param objectKind {@code pool}, {@code server}, {@code certificate}, {@code cluster}, {@code member}, {@code vip}
 * @param scope      the pool of a server; null otherwise
 * @param objectName the object's name (a server's id, a VIP's address)
 * @param message    one line for the operator
 * @param since      when the condition began, epoch milliseconds; -1 when the source does not say (the service
 *                   then gives the time it first saw it)
 */
record Alert(String id, String kind, String severity, String objectKind, String scope, String objectName,
             String message, long since) {
    static final String CRITICAL = "critical";
    static final String WARNING = "warning";

    Alert withSince(long millis) {
        return new Alert(id, kind, severity, objectKind, scope, objectName, message, millis);
    }
}
