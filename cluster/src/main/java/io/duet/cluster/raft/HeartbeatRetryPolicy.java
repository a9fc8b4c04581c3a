package io.duet.cluster.raft;

import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

import java.util.concurrent.TimeUnit;

/**
 * How a heartbeat is retried by a client aimed at one leader (its group lists that member only, so that Ratis has
 * nobody else to turn to): a moment later, every {@value #SLEEP_MS} ms for at most {@value #MAX_ATTEMPTS} attempts,
 * while the leader says it is not ready yet (elected a moment ago, it commits its first entry before it serves) or the
 * connection failed (a stream closed, a reconnect); never after a timeout (the leader is silent: the next heartbeat,
 * within 200 ms, goes to the leader this member knows then) nor after "not the leader" (Ratis would turn the client
 * towards the member it suggests). A heartbeat is worth only its freshness ({@link LeaderClient}).
 *
 * <p>Ratis's default policy retries forever, and on a timeout or a "not the leader" answer it turns the client
 * towards a random or suggested member. In the lab, a proxy's heartbeats aimed at a leader elected 20 ms before went
 * on to the frozen former leader that way and stalled for half a second, behind one another in the client's ordered
 * window, so the proxy fenced its own VIP although it and its peers were fine. Stateless, thread-safe.
 */
final class HeartbeatRetryPolicy implements RetryPolicy {
    static final HeartbeatRetryPolicy INSTANCE = new HeartbeatRetryPolicy();
    static final long SLEEP_MS = 10;
    static final int MAX_ATTEMPTS = 20;
    private static final Action RETRY_SOON = () -> TimeDuration.valueOf(SLEEP_MS, TimeUnit.MILLISECONDS);

    private HeartbeatRetryPolicy() {
    }

    @Override
    public Action handleAttemptFailure(Event event) {
        if (event.getAttemptCount() >= MAX_ATTEMPTS || final_(event.getCause())) {
            return NO_RETRY_ACTION;
        }
        return RETRY_SOON;
    }

    /** A silent leader or another leader: retrying here is pointless or would turn the client elsewhere. */
    private static boolean final_(Throwable t) {
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof NotLeaderException || t instanceof TimeoutIOException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "HeartbeatRetryPolicy(not after a timeout or \"not the leader\"; every " + SLEEP_MS + " ms, at most "
                + MAX_ATTEMPTS + " attempts)";
    }
}
