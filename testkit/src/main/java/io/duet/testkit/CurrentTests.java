package io.duet.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tests and containers running on each thread, innermost on top, each with the needs it met: how a check in
 * {@link Requirements} (which knows no test) is credited to the test that asked. A check made in {@code @BeforeAll}
 * is credited to the class, and through it to each of its tests. JUnit Jupiter runs a node's callbacks and the
 * listener's start and finish events for it on one thread (the default, same-thread execution), which this relies on.
 * A check on a thread with no frame is not credited.
 */
final class CurrentTests {
    /** One running test or container, opened by the listener {@code owner}. */
    private record Frame(Object owner, String uniqueId, Set<String> met) {
    }

    private static final ThreadLocal<Deque<Frame>> FRAMES = ThreadLocal.withInitial(ArrayDeque::new);

    private CurrentTests() {
    }

    /** {@code uniqueId} starts on this thread (listener thread, executionStarted). */
    static void started(Object owner, String uniqueId) {
        FRAMES.get().push(new Frame(owner, uniqueId, new TreeSet<>()));
    }

    /** The need {@code what} was checked and met by whatever runs on this thread now. */
    static void met(String what) {
        Frame top = FRAMES.get().peek();
        if (top != null) {
            top.met().add(what);
        }
    }

    /**
     * {@code uniqueId} finished on this thread: removes its frame (and any left above it) and returns what it and its
     * enclosing frames of the same owner met. Empty when it was never started here.
     */
    static Set<String> finished(Object owner, String uniqueId) {
        Deque<Frame> frames = FRAMES.get();
        boolean present = frames.stream().anyMatch(f -> f.owner() == owner && f.uniqueId().equals(uniqueId));
        if (!present) {
            return Set.of();
        }
        Set<String> met = new TreeSet<>();
        Frame f;
        do {
            f = frames.pop();
        } while (!(f.owner() == owner && f.uniqueId().equals(uniqueId)));
        met.addAll(f.met());
        for (Frame enclosing : frames) {
            if (enclosing.owner() == owner) {
                met.addAll(enclosing.met());
            }
        }
        return met;
    }
}
