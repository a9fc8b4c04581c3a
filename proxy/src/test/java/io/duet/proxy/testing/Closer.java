package io.duet.proxy.testing;

import java.util.ArrayList;
import java.util.List;

/** Closes what a test started, last started first; use one per test instance and close it in {@code @AfterEach}. */
public final class Closer implements AutoCloseable {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** Registers {@code t} to be closed and returns it. */
    public <T extends AutoCloseable> T track(T t) {
        closeables.add(t);
        return t;
    }

    /** Registers an action that runs before everything registered so far is closed (e.g. releasing a latch). */
    public void first(AutoCloseable action) {
        closeables.add(action);
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        closeables.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
