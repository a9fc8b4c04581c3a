package io.duet.testkit;

/**
 * The answer to one need: met (with the program's path for a {@link Tool}, null otherwise) or a {@link Lack}.
 * Exactly one of the two is non-null for a tool; {@code lack == null} means met.
 */
public record Outcome(java.nio.file.Path executable, Lack lack) {
    static Outcome met(java.nio.file.Path executable) {
        return new Outcome(executable, null);
    }

    static Outcome lacking(Lack lack) {
        return new Outcome(null, java.util.Objects.requireNonNull(lack));
    }

    public boolean isMet() {
        return lack == null;
    }
}
