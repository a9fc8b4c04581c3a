package io.duet.proxy.accesslog;

/**
 * How a record becomes one line of the access log (combined or JSON; see the package documentation). Not
 * thread-safe: one instance per writer thread.
 */
interface LineFormat {
    /** Appends one record as one line, with its terminating line feed, to {@code out}. */
    void append(LineBuffer out, AccessRecord r);

    /** The format for a configured name ({@code combined} or {@code json}, any case). */
    static LineFormat named(String name) {
        return "json".equalsIgnoreCase(name) ? new JsonFormat() : new CombinedFormat();
    }
}
