package io.duet.proxy.accesslog;

import com.codahale.metrics.MetricRegistry;
import io.duet.config.AccessLog;
import io.duet.config.Syslog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SyslogOutputTest {
    @TempDir
    Path dataDir;

    private static final long T = 1795327010123L; // 2026-11-22T05:56:50.123Z
    private static final long PID = ProcessHandle.current().pid();
    private static final Pattern RFC5424 =
            Pattern.compile("<(\\d+)>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (.*)", Pattern.DOTALL);
    private static final Pattern RFC3164 =
            Pattern.compile("<(\\d+)>(\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d) (\\S+) ([^\\[ ]+)\\[(\\d+)]: (.*)",
                    Pattern.DOTALL);

    private static AccessRecord record(int status, String uri, String requestId) {
        return new AccessRecord(T, "127.0.0.1", "GET", uri, "HTTP/1.1", status, 123, 0, 1234, "api.example",
                "api", "users", "web", "b1", "https://ref/", "curl/8.0", requestId, "main");
    }

    private static String combined(AccessRecord r) {
        LineBuffer b = new LineBuffer(256);
        new CombinedFormat().append(b, r);
        String line = new String(b.array(), 0, b.length(), StandardCharsets.UTF_8);
        return line.substring(0, line.length() - 1);
    }

    private static AccessLog syslog(String address, String format, String facility, String tag, Integer maxLength,
                                    String hostname) {
        return new AccessLog(true, "combined", null, new Syslog(address, format, facility, tag, maxLength, hostname));
    }

    /** Receives datagrams on a real UDP socket until {@code n} arrived (each within 10 s). */
    private static List<String> receive(DatagramChannel udp, int n) throws IOException {
        udp.socket().setSoTimeout(10_000);
        List<String> got = new ArrayList<>();
        byte[] buf = new byte[70_000];
        for (int i = 0; i < n; i++) {
            java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
            udp.socket().receive(p);
            got.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
        }
        return got;
    }

    // RFC 5424 over UDP: one datagram per record with priority (facility local3, severity by status), the
    // request's time in UTC, host name, app-name, process id, no MSGID or structured data, and the combined line.
    @Test
    void rfc5424OverUdp() throws Exception {
        try (DatagramChannel udp = DatagramChannel.open()) {
            udp.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) udp.getLocalAddress()).getPort();
            AccessLogWriter log = AccessLogWriter.open(
                    syslog("udp://127.0.0.1:" + port, "rfc5424", "local3", "edge", null, "web1"), dataDir, null);
            List<AccessRecord> sent = List.of(record(200, "/ok", "a"), record(302, "/moved", "b"),
                    record(404, "/missing", "c"), record(503, "/down", "d"), record(0, "/gone", "e"));
            sent.forEach(log::log);
            List<String> got = receive(udp, sent.size());
            log.close();

            int[] severities = {6, 6, 5, 3, 4};
            for (int i = 0; i < sent.size(); i++) {
                Matcher m = RFC5424.matcher(got.get(i));
                assertThat(m.matches()).as(got.get(i)).isTrue();
                assertThat(Integer.parseInt(m.group(1))).isEqualTo(19 * 8 + severities[i]);
                assertThat(m.group(2)).isEqualTo("2026-11-22T05:56:50.123Z");
                assertThat(m.group(3)).isEqualTo("web1");
                assertThat(m.group(4)).isEqualTo("edge");
                assertThat(m.group(5)).isEqualTo(Long.toString(PID));
                assertThat(m.group(6)).isEqualTo("-");
                assertThat(m.group(7)).isEqualTo("-");
                assertThat(m.group(8)).isEqualTo(combined(sent.get(i)));
            }
            assertThat(log.dropped()).isZero();
            assertThat(log.path()).isNull();
        }
    }

    // RFC 3164 over UDP, JSON lines: priority, local-time timestamp with a space-padded day, host name, tag[pid],
    // and the JSON object; a message longer than maxLength is cut there, on a UTF-8 character boundary.
    @Test
    void rfc3164OverUdpAndCutAtMaxLength() throws Exception {
        try (DatagramChannel udp = DatagramChannel.open()) {
            udp.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) udp.getLocalAddress()).getPort();
            AccessLog config = new AccessLog(true, "json", null,
                    new Syslog("udp://127.0.0.1:" + port, "rfc3164", "daemon", null, 480, "node-a"));
            AccessLogWriter log = AccessLogWriter.open(config, dataDir, null);
            log.log(record(200, "/short", "s"));
            log.log(record(500, "/" + "\u00e9".repeat(400), "long"));
            List<String> got = receive(udp, 2);
            log.close();

            String stamp = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH)
                    .withZone(ZoneId.systemDefault()).format(Instant.ofEpochMilli(T));
            Matcher m = RFC3164.matcher(got.get(0));
            assertThat(m.matches()).as(got.get(0)).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(3 * 8 + 6);
            assertThat(m.group(2)).isEqualTo(stamp);
            assertThat(m.group(3)).isEqualTo("node-a");
            assertThat(m.group(4)).isEqualTo("duet");
            assertThat(m.group(5)).isEqualTo(Long.toString(PID));
            assertThat(m.group(6)).startsWith("{\"time\":\"2026-11-22T05:56:50.123Z\"").endsWith("\"listener\":\"main\"}")
                    .contains("\"request_id\":\"s\"");

            byte[] cut = got.get(1).getBytes(StandardCharsets.UTF_8);
            assertThat(cut.length).isBetween(479, 480); // the two-byte é is never split
            Matcher c = RFC3164.matcher(got.get(1));
            assertThat(c.matches()).isTrue();
            assertThat(Integer.parseInt(c.group(1))).isEqualTo(3 * 8 + 3);
            assertThat(c.group(6)).startsWith("{\"time\":").doesNotContain("\ufffd");
            assertThat(log.dropped()).isZero();
        }
    }

    // A unix datagram socket (as /dev/log): records arrive one per datagram; when the daemon goes away the records
    // are dropped and counted, and once it is back the writer connects again on its own.
    @Test
    void unixDatagramSocketWithDaemonRestart() throws Exception {
        Path socket = dataDir.resolve("log.sock");
        MetricRegistry registry = new MetricRegistry();
        AFUNIXDatagramChannel daemon = bindUnix(socket);
        AccessLogWriter log = AccessLogWriter.open(
                syslog("unix://" + socket, "rfc3164", null, null, null, null), dataDir, registry);
        try {
            log.log(record(200, "/one", "one"));
            String first = receiveUnix(daemon);
            Matcher m = Pattern.compile("<134>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d duet\\[(\\d+)]: (.*)")
                    .matcher(first);
            assertThat(m.matches()).as(first).isTrue(); // RFC 3164 without a configured host name sends none
            assertThat(m.group(2)).isEqualTo(combined(record(200, "/one", "one")));

            daemon.close();
            Files.delete(socket);
            // With nobody on the socket every record is lost, and counted.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                log.log(record(200, "/lost", "lost"));
                return log.dropped() > 0;
            });
            assertThat(registry.counter(AccessLogWriter.DROPPED_METRIC).getCount()).isEqualTo(log.dropped());

            daemon = bindUnix(socket);
            AFUNIXDatagramChannel restarted = daemon;
            restarted.configureBlocking(false);
            ByteBuffer buf = ByteBuffer.allocate(4096);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                log.log(record(200, "/back", "back"));
                for (buf.clear(), restarted.receive(buf); buf.position() > 0; buf.clear(), restarted.receive(buf)) {
                    if (new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).contains("rid=back ")) {
                        return true;
                    }
                }
                return false;
            });
        } finally {
            log.close();
            daemon.close();
        }
    }

    // A daemon that does not read: the non-blocking socket fills up, and the writer drops and counts the rest
    // instead of waiting; everything logged is either received or counted as dropped.
    @Test
    void fullUnixSocketDropsAndCounts() throws Exception {
        Path socket = dataDir.resolve("slow.sock");
        try (AFUNIXDatagramChannel daemon = bindUnix(socket)) {
            AccessLogWriter log = AccessLogWriter.open(
                    syslog("unix://" + socket, "rfc5424", null, null, 2048, null), dataDir, null);
            int n = 3000;
            String big = "/" + "x".repeat(1500);
            for (int i = 0; i < n; i++) {
                log.log(record(200, big, "r" + i));
            }
            log.close(); // writes (or drops) everything queued; it must not hang on the full socket

            daemon.configureBlocking(false);
            ByteBuffer buf = ByteBuffer.allocate(4096);
            int received = 0;
            for (daemon.receive(buf); buf.position() > 0; buf.clear(), daemon.receive(buf)) {
                received++; // receive() answers null (the sender has no name); a datagram shows as data
            }
            assertThat(log.dropped()).isPositive();
            assertThat(received).isPositive();
            assertThat(received + log.dropped()).isEqualTo(n);
        }
    }

    // A socket path nobody listens on: nothing can be sent, every record is counted as dropped.
    @Test
    void absentUnixSocketDropsEverything() {
        AccessLogWriter log = AccessLogWriter.open(
                syslog("unix://" + dataDir.resolve("nobody.sock"), null, null, null, null, null), dataDir, null);
        for (int i = 0; i < 5; i++) {
            log.log(record(200, "/" + i, "r" + i));
        }
        log.close();
        assertThat(log.dropped()).isEqualTo(5);
    }

    private static AFUNIXDatagramChannel bindUnix(Path path) throws IOException {
        AFUNIXDatagramChannel ch = AFUNIXDatagramChannel.open();
        ch.bind(AFUNIXSocketAddress.of(path.toFile()));
        return ch;
    }

    private static String receiveUnix(AFUNIXDatagramChannel ch) throws IOException {
        ch.socket().setSoTimeout(10_000);
        ByteBuffer buf = ByteBuffer.allocate(4096);
        ch.receive(buf); // the sender's socket has no name, so receive() answers null: the data is what counts
        if (buf.position() == 0) {
            throw new SocketTimeoutException("no datagram");
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }
}
