package io.duet.testkit;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Records every skipped test with its reason, and every test that ran after meeting a need the machine may lack
 * (root, a tool), in the build's {@link RequirementsLog}: the material of the summary printed at the end of the build.
 * A test skipped for a missing need ({@link RequirementNotMet}) is recorded under that need; one skipped for another
 * reason (another assumption, {@code @Disabled}) under its reason. A class whose {@code @BeforeAll} skipped counts as
 * each of its tests. Loaded by the JUnit Platform launcher through ServiceLoader in every test JVM that has
 * duet-testkit on its class path; does nothing when {@value RequirementsLog#PROPERTY} is not set (an IDE run).
 * The launcher calls it on the thread that runs the node (see {@link CurrentTests}).
 */
public final class RequirementsListener implements TestExecutionListener {
    private final Path file;
    private volatile TestPlan plan;

    /** The listener of a build's test JVM: records into the file the system property names, if any. */
    public RequirementsListener() {
        this(System.getProperty(RequirementsLog.PROPERTY) == null ? null
                : Path.of(System.getProperty(RequirementsLog.PROPERTY)));
    }

    /** A listener recording into {@code file} (null: records nothing). */
    RequirementsListener(Path file) {
        this.file = file;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        CurrentTests.started(this, id.getUniqueId());
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        record(skips(id, "", reason == null ? "skipped" : reason));
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Set<String> met = CurrentTests.finished(this, id.getUniqueId());
        switch (result.getStatus()) {
            case ABORTED -> {
                Throwable t = result.getThrowable().orElse(null);
                if (t instanceof RequirementNotMet missing) {
                    record(skips(id, missing.lack().what(), missing.lack().line()));
                } else {
                    record(skips(id, "", t == null ? "aborted" : t.getMessage() == null ? t.toString()
                            : t.getMessage()));
                }
            }
            case SUCCESSFUL, FAILED -> {
                if (id.isTest()) {
                    List<RequirementsLog.Entry> ran = new ArrayList<>();
                    for (String what : met) {
                        ran.add(new RequirementsLog.Entry(RequirementsLog.Kind.RAN, what, "", id.getUniqueId()));
                    }
                    record(ran);
                }
            }
        }
    }

    /** One record per test under {@code id}: the test itself, or every test a skipped container holds. */
    private List<RequirementsLog.Entry> skips(TestIdentifier id, String what, String reason) {
        List<String> tests = new ArrayList<>();
        if (id.isTest() || plan == null) {
            tests.add(id.getUniqueId());
        } else {
            plan.getDescendants(id).stream().filter(TestIdentifier::isTest)
                    .forEach(t -> tests.add(t.getUniqueId()));
            if (tests.isEmpty()) {
                tests.add(id.getUniqueId()); // a class of templates (parameterized tests): counted once
            }
        }
        return tests.stream().map(t -> new RequirementsLog.Entry(RequirementsLog.Kind.SKIPPED, what, reason, t))
                .toList();
    }

    private void record(List<RequirementsLog.Entry> entries) {
        if (file == null || entries.isEmpty()) {
            return;
        }
        synchronized (RequirementsListener.class) {
            try {
                RequirementsLog.append(file, entries);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record test requirements in " + file, e);
            }
        }
    }
}
