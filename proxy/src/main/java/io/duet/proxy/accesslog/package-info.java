/**
 * The access log: one {@link io.duet.proxy.accesslog.AccessRecord} per finished request, queued without blocking by
 * {@link io.duet.proxy.accesslog.AccessLogWriter#log} and written by one daemon thread.
 *
 * <h2>Use from the request path</h2>
 * <pre>
 * AccessLogWriter log = AccessLogWriter.open(config.accessLog(), options.dataDir(), registry); // at startup
 * log.log(new AccessRecord(...));   // I/O thread, at the end of each request: never blocks, never does I/O
 * log.dropped();                    // records lost (queue full or file unwritable); also duet_access_log_dropped_total
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
 * <h2>Rotation</h2>
 * Move or delete the file (logrotate's default {@code create} mode): within about a second the writer notices that
 * the path no longer names its open file and opens a new one. {@code copytruncate} works too (append mode).
 */
package io.duet.proxy.accesslog;
