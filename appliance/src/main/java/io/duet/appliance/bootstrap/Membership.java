package io.duet.appliance.bootstrap;

import io.duet.cluster.membership.MembershipException;

/** Runs a membership step (identity, join, tokens) where the appliance reports failures as {@link StartupException}. */
public final class Membership {
    private Membership() {
    }

    /** A membership call. */
    @FunctionalInterface
    public interface Step<T> {
        T run() throws MembershipException;
    }

    /** The step's result; its failure as a {@link StartupException} with the same id and message. */
    public static <T> T step(Step<T> step) throws StartupException {
        try {
            return step.run();
        } catch (MembershipException e) {
            throw StartupException.from(e);
        }
    }
}
