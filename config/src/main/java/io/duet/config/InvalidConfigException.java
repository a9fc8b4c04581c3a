package io.duet.config;

import java.util.List;
import java.util.stream.Collectors;

/** A document was rejected whole: it could not be read, or the validator found errors. */
public final class InvalidConfigException extends Exception {
    private final transient List<Violation> violations;

    public InvalidConfigException(List<Violation> violations) {
        super(summary(violations));
        this.violations = List.copyOf(violations);
    }

    /** Every violation, errors first, each with its JSON path. */
    public List<Violation> violations() {
        return violations;
    }

    private static String summary(List<Violation> violations) {
        long errors = violations.stream().filter(Violation::isError).count();
        return "configuration rejected (" + errors + " error" + (errors == 1 ? "" : "s") + "):\n  "
                + violations.stream().map(Violation::toString).collect(Collectors.joining("\n  "));
    }
}
