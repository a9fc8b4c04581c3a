package io.duet.testkit;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The answer to one need: met ({@code lack == null}; for a {@link Tool}, with the program's absolute path) or not
 * met, with the {@link Lack} that says why.
 */
public record Outcome(Path executable, Lack lack) {
    static Outcome met(Path executable) {
        return new Outcome(executable, null);
    }

    static Outcome lacking(Lack lack) {
        return new Outcome(null, Objects.requireNonNull(lack));
    }

    public boolean isMet() {
        return lack == null;
    }
}
