package io.duet.config;

import java.util.List;

/**
 * The one validator of configuration documents, used at every boundary (file import, REST edit, Raft apply).
 * Returns every violation with its JSON path and a stable message id; never stops at the first.
 */
public final class ConfigValidator {
    private ConfigValidator() {
    }

    /** Every error and warning in the document, errors first. Pure; any thread. */
    public static List<Violation> validate(DuetConfig config) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The document itself when it has no errors (warnings allowed); otherwise the exception lists them all. */
    public static DuetConfig requireValid(DuetConfig config) throws InvalidConfigException {
        List<Violation> all = validate(config);
        if (all.stream().anyMatch(Violation::isError)) {
            throw new InvalidConfigException(all);
        }
        return config;
    }
}
