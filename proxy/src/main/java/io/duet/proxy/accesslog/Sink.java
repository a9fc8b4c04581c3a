package io.duet.proxy.accesslog;

/**
 * Where formatted records go: a file ({@link FileSink}), standard output ({@link StdoutSink}) or syslog
 * ({@link SyslogSink}). Every method runs on the access log's writer thread only and may block on its output (never
 * on an I/O thread). Failures are logged by the sink (once per run of failures) and show as records lost, which the
 * writer counts as dropped.
 */
interface Sink {
    /** Opens the output; on failure logs it and stays closed (every record is then lost until {@link #maintain}). */
    void open();

    /**
     * Formats one record and writes it, or buffers it for {@link #flush}. Returns the number of records lost by this
     * call: 0 when it was taken; 1 when there is no writable output or it could not be sent; more when a write of
     * buffered records failed with it.
     */
    int add(AccessRecord r);

    /** Writes what {@link #add} buffered, in one write where the output allows; returns the records lost. */
    int flush();

    /**
     * The periodic duty (about once a second, and at once after {@code reopen()}): for a file, reopen it when it was
     * moved, replaced or deleted; for every output, open it again after a failure; {@code reopenRequested} forces a
     * reopen. Returns the records lost by flushing before a reopen.
     */
    int maintain(boolean reopenRequested);

    /** Writes what is buffered and closes the output (standard output stays open). Returns the records lost. */
    int close();
}
