/**
 * The access log: one {@link io.duet.proxy.accesslog.AccessRecord} per finished request, queued without blocking by
 * {@link io.duet.proxy.accesslog.AccessLogWriter#log} and written by one daemon thread to a file, standard output or
 * syslog.
 *
 * <h2>The parts</h2>
 * <ul>
 * <li>{@code AccessLogWriter}: the API and the writer thread (wakes every 20 ms, at the queue's high-water mark, or
 *     on close/reopen; counts drops).</li>
 * <li>{@code RecordQueue}: the lock-free bounded queue between the I/O threads and the writer.</li>
 * <li>{@code LineFormat}, {@code CombinedFormat}, {@code JsonFormat}: a record as one line, written straight into a
 *     {@code LineBuffer} (reusable bytes, UTF-8 encoded as appended).</li>
 * <li>{@code Sink}: where lines go. {@code StreamSink} writes a batch with one write: {@code FileSink} (append,
 *     rotation by file key) and {@code StdoutSink}; {@code SyslogSink} sends one non-blocking datagram per record over
 *     UDP or a unix datagram socket, framed by {@code SyslogFramer} (RFC 5424 or RFC 3164).</li>
 * <li>{@code FailureLog}: an output's failures, logged once per run.</li>
 * <li>{@code AccessTap}: the live tail's ring of the last 1,000 records, filled (whether or not the log is on) only
 *     while someone watches ({@code GET /api/v1/access-log/tail}).</li>
 * </ul>
 *
 * <h2>Use from the request path</h2>
 * <pre>
 * AccessLogWriter log = AccessLogWriter.open(config.accessLog(), options.dataDir(), registry); // at startup
 * log.log(new AccessRecord(...));   // I/O thread, at the end of each request: never blocks, never does I/O
 * log.dropped();                    // records lost (queue full, output unwritable); also duet_access_log_dropped_total
 * log.close();                      // at shutdown: writes what is queued, flushes, closes
 * </pre>
 * A configuration change of the access log is applied by opening a new writer and closing the old one.
 *
 * <h2>Combined format</h2>
 * NGINX/Apache "combined", then a fixed tail of key=value pairs, one line per record, UTF-8, time in UTC:
 * <pre>
 * client - - [dd/MMM/yyyy:HH:mm:ss +0000] "METHOD URI PROTOCOL" STATUS BYTES_SENT "REFERER" "USER_AGENT" rid=REQUEST_ID dur_us=DURATION_MICROS route=VHOST/ROUTE pool=POOL server=SERVER listener=LISTENER
 * 127.0.0.1 - - [22/Nov/2026:05:56:50 +0000] "GET /x HTTP/1.1" 200 123 "https://a/" "curl/8" rid=abc dur_us=1234 route=api/users pool=web server=b1 listener=main
 * </pre>
 * A null or empty field is {@code -} (a request without method logs the request line as {@code "-"}; {@code route=-}
 * when neither virtual host nor route matched; {@code BYTES_SENT} is {@code -} when unknown). Escaping as NGINX
 * does: {@code "}, {@code \}, control characters and DEL become {@code \xHH}; in the unquoted fields (client and the
 * tail values) a space also becomes {@code \x20}, so a line always splits on spaces. Request bytes and the Host
 * header are only in the JSON format.
 *
 * <h2>JSON format</h2>
 * One object per line, always the same keys in this order, null when unknown:
 * {@code time} (ISO-8601 UTC with milliseconds), {@code client}, {@code method}, {@code uri}, {@code protocol},
 * {@code status}, {@code bytes_sent}, {@code bytes_received}, {@code duration_us}, {@code host}, {@code vhost},
 * {@code route}, {@code pool}, {@code server}, {@code referer}, {@code user_agent}, {@code request_id},
 * {@code listener}.
 *
 * <h2>Syslog</h2>
 * One datagram per record: {@code <PRI>1 TIMESTAMP HOSTNAME TAG PID - - LINE} (RFC 5424, time in UTC with
 * milliseconds) or {@code <PRI>Mmm dd hh:mm:ss [HOSTNAME ]TAG[PID]: LINE} (RFC 3164, local time), LINE being the
 * combined or JSON line without its line feed, the whole cut at {@code maxLength} bytes on a character boundary.
 * Severity: info for 1xx-3xx, notice for 4xx, err for 5xx, warning when no status was sent.
 *
 * <h2>Delivery</h2>
 * A record is written within about 20 ms ({@code AccessLogWriter.FLUSH_INTERVAL_MILLIS}) unless the output stalls;
 * a file or standard output gets one write per batch. Records are dropped and counted, never waited for, when the
 * queue is full or the output cannot take them.
 *
 * <h2>Rotation</h2>
 * Move or delete the file (logrotate's default {@code create} mode): within about a second the writer notices that
 * the path no longer names its open file and opens a new one. {@code copytruncate} works too (append mode).
 */
package io.duet.proxy.accesslog;
