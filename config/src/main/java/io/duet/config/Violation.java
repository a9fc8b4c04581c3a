package io.duet.config;

/**
 * One problem found in a configuration document.
 *
 * @param path     JSON path of the offending value, e.g. {@code $.pools[0].servers[1].port}
 * @param id       stable message id, e.g. {@code DUET-CONFIG-0003}
 * @param message  what is wrong and what is expected, e.g. {@code "port: 70000 (expected: 1-65535)"}
 * @param severity errors reject the document; warnings do not
 */
public record Violation(String path, String id, String message, Severity severity) {
    public enum Severity { ERROR, WARNING }

    public static Violation error(String path, String id, String message) {
        return new Violation(path, id, message, Severity.ERROR);
    }

    public static Violation warning(String path, String id, String message) {
        return new Violation(path, id, message, Severity.WARNING);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return id + " " + path + ": " + message + (severity == Severity.WARNING ? " (warning)" : "");
    }
}
