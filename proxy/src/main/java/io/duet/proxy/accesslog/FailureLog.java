package io.duet.proxy.accesslog;

import io.duet.proxy.message.ProxyMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.duet.proxy.message.ProxyMessage.ACCESS_LOG_WRITABLE;

/**
 * An output's failures, logged once per run of failures, and its recovery. Writer thread only.
 */
final class FailureLog {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLogWriter.class);

    private final String output;
    private boolean failing;

    /** @param output how log lines name the output: a path, {@code -}, or {@code syslog udp://...} */
    FailureLog(String output) {
        this.output = output;
    }

    /**
     * Logs {@code DUET-PROXY-0901}/{@code 0902} unless this run of failures was logged already.
     *
     * @param template SLF4J template with three holes: the id, the output, the error
     */
    void failed(String template, ProxyMessage id, Throwable e) {
        if (!failing) {
            LOG.error(template, id, output, e.toString());
            failing = true;
        }
    }

    /** Logs {@code DUET-PROXY-0904} when the output was failing. */
    void recovered() {
        if (failing) {
            LOG.info("{} access log {} is writable again", ACCESS_LOG_WRITABLE, output);
            failing = false;
        }
    }

    boolean failing() {
        return failing;
    }
}
