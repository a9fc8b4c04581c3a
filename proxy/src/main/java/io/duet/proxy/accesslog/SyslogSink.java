package io.duet.proxy.accesslog;

import io.duet.config.Syslog;
import io.duet.config.SyslogAddress;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.ZoneId;

import static io.duet.proxy.message.ProxyMessage.ACCESS_LOG_OPEN_FAILED;
import static io.duet.proxy.message.ProxyMessage.ACCESS_LOG_WRITE_FAILED;

/**
 * Syslog: one datagram per record, over UDP or a local unix datagram socket such as {@code /dev/log} (through
 * junixsocket: the JDK has no unix datagram sockets). The socket is non-blocking: a datagram the kernel does not
 * take at once (a full socket buffer: the daemon is behind) is dropped and counted, never waited for.
 *
 * <p>UDP is fire-and-forget: what the network or an absent receiver loses is not seen; a "port unreachable" the
 * kernel reports for an earlier datagram makes the next send fail, and that record is counted as dropped. A unix
 * socket whose daemon is gone or restarted (a refused or failed send) is closed and connected again by
 * {@link #maintain} about a second later; records meanwhile are dropped and counted. Writer thread only.
 */
final class SyslogSink implements Sink {
    private static final String SEND_FAILED = "{} cannot send the access log to {}: {}; records are dropped until"
            + " it can (check that the syslog daemon listens there)";

    private final SyslogAddress address;
    private final Syslog config;
    private final LineFormat format;
    private final FailureLog failures;
    private final LineBuffer line = new LineBuffer(4096);
    private final LineBuffer datagram;
    private final ZoneId zone;
    private SyslogFramer framer;
    private DatagramChannel channel;
    private boolean sentSinceCheck;
    private boolean failedSinceCheck;

    /** @param zone the time zone of RFC 3164 timestamps (the system's in production) */
    SyslogSink(Syslog config, LineFormat format, ZoneId zone) {
        this.config = config;
        this.address = SyslogAddress.parse(config.address())
                .orElseThrow(() -> new IllegalArgumentException("syslog address: " + config.address()));
        this.format = format;
        this.zone = zone;
        this.failures = new FailureLog("syslog " + config.address());
        this.datagram = new LineBuffer(config.maxLength() + 64);
    }

    @Override
    public void open() {
        if (framer == null) {
            boolean rfc3164 = Syslog.RFC3164.equals(config.format());
            String host = config.hostname() != null || rfc3164 ? config.hostname() : machineName();
            framer = new SyslogFramer(rfc3164, config.facilityCode(), config.tag(), host, config.maxLength(),
                    ProcessHandle.current().pid(), zone);
        }
        DatagramChannel c = null;
        try {
            if (address.unix()) {
                c = AFUNIXDatagramChannel.open();
                c.configureBlocking(false);
                c.connect(AFUNIXSocketAddress.of(new File(address.path())));
            } else {
                InetSocketAddress to = new InetSocketAddress(address.host(), address.port());
                if (to.isUnresolved()) {
                    throw new UnknownHostException(address.host());
                }
                c = DatagramChannel.open();
                c.configureBlocking(false);
                c.connect(to);
            }
            channel = c;
            c = null;
            failures.recovered();
        } catch (IOException | RuntimeException | LinkageError e) {
            // RuntimeException, LinkageError: junixsocket's native library did not load (an unsupported platform, a
            // temporary directory that forbids executables); the writer thread must survive it like a closed socket.
            failures.failed("{} cannot open the access log {}: {}; records are dropped until it can be opened"
                    + " (check the address and that the syslog daemon listens there)", ACCESS_LOG_OPEN_FAILED, e);
        } finally {
            close(c); // a socket that did not connect
        }
    }

    @Override
    public int add(AccessRecord r) {
        if (channel == null) {
            return 1;
        }
        line.clear();
        try {
            format.append(line, r);
        } catch (RuntimeException e) {
            return 1;
        }
        framer.frame(datagram, r, line);
        try {
            int sent = channel.write(ByteBuffer.wrap(datagram.array(), 0, datagram.length()));
            if (sent == 0) {
                return 1; // the socket buffer is full: drop rather than wait
            }
            sentSinceCheck = true;
            return 0;
        } catch (PortUnreachableException e) {
            failedSinceCheck = true;
            failures.failed(SEND_FAILED, ACCESS_LOG_WRITE_FAILED, e);
            return 1;
        } catch (IOException e) {
            failedSinceCheck = true;
            failures.failed(SEND_FAILED, ACCESS_LOG_WRITE_FAILED, e);
            closeChannel();
            return 1;
        }
    }

    @Override
    public int flush() {
        return 0; // every record went out as its own datagram in add()
    }

    @Override
    public int maintain(boolean reopenRequested) {
        if (channel == null || reopenRequested) {
            closeChannel();
            open();
        } else if (sentSinceCheck && !failedSinceCheck) {
            failures.recovered(); // judged per second, so that alternating UDP errors do not log every record
        }
        sentSinceCheck = false;
        failedSinceCheck = false;
        return 0;
    }

    @Override
    public int close() {
        closeChannel();
        return 0;
    }

    private void closeChannel() {
        DatagramChannel c = channel;
        channel = null;
        close(c);
    }

    private static void close(DatagramChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do with a socket we are dropping
            }
        }
    }

    /** This machine's host name for RFC 5424's HOSTNAME, or null ({@code -}) when it has none. */
    private static String machineName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isEmpty() || name.chars().anyMatch(ch -> ch <= ' ' || ch > '~') ? null : name;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
