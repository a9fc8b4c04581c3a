package io.duet.testkit;

import org.opentest4j.TestAbortedException;

/**
 * Aborts a test whose need is not met on this machine: JUnit reports it as skipped with {@link Lack#line()} as the
 * reason, never as failed. {@link RequirementsListener} groups these skips by {@link Lack#what()}.
 */
public final class RequirementNotMet extends TestAbortedException {
    private static final long serialVersionUID = 1L;
    private final transient Lack lack;

    RequirementNotMet(Lack lack) {
        super(lack.line());
        this.lack = lack;
    }

    public Lack lack() {
        return lack;
    }
}
