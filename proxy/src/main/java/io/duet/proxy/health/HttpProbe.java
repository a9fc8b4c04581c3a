package io.duet.proxy.health;

import io.duet.config.ConfigValidator;
import io.duet.config.HealthCheck;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static io.duet.proxy.message.ProxyMessage.HEALTH_CHECK_BUG;

/**
 * An HTTP/1.1 check over a plain or TLS socket: one request with {@code Connection: close}, the status checked
 * against the expected set and, when a regex is set, the first {@link HealthCheck#BODY_LIMIT_BYTES} bytes of the
 * (de-chunked) body searched for it. Every step is bounded by one deadline ({@code timeoutMs} from the start); the
 * head is read up to 16 KiB. Our own client rather than the JDK's, which refuses to set the Host header and pools
 * connections.
 *
 * <p>TLS: with {@code verifyTls: false} (default) any certificate is accepted, for checks only (forwarded traffic
 * is not affected); with true, the JVM's trust store and host name verification apply. SNI is sent when the Host
 * is a name.
 */
final class HttpProbe implements Probe {
    static final int MAX_HEAD_BYTES = 16 * 1024;

    private final HealthCheck spec;
    private final int[][] statuses;
    private final Pattern body;
    private final SSLSocketFactory tls;
    private final boolean verify;
    private final String serverName;

    /**
     * @param poolTls the pool's TLS to its servers: when enabled the check uses it (its trust, verification and
     *                server name) whatever {@code https} says; else {@code https}/{@code verifyTls} decide
     */
    HttpProbe(HealthCheck spec) {
        this(spec, null);
    }

    HttpProbe(HealthCheck spec, io.duet.config.BackendTls poolTls) {
        this.spec = spec;
        List<String> expect = spec.expectStatus();
        this.statuses = new int[expect.size()][];
        for (int i = 0; i < statuses.length; i++) {
            int[] r = ConfigValidator.parseStatusRange(expect.get(i));
            if (r == null) {
                throw new IllegalArgumentException("expectStatus: '" + expect.get(i) + "' (validated documents only)");
            }
            statuses[i] = r;
        }
        this.body = spec.bodyRegex() == null ? null : Pattern.compile(spec.bodyRegex());
        if (poolTls != null && poolTls.enabled()) {
            this.tls = io.duet.proxy.pool.BackendTlsContext.context(poolTls).getSocketFactory();
            this.verify = poolTls.verify();
            this.serverName = poolTls.serverName();
        } else {
            this.tls = spec.https() ? tlsFactory(spec.verifyTls()) : null;
            this.verify = spec.verifyTls();
            this.serverName = null;
        }
    }

    @Override
    public ProbeResult check(String host, InetAddress address, int port) {
        int p = spec.port() != null ? spec.port() : port;
        long start = System.nanoTime();
        long deadline = start + spec.timeoutMs() * 1_000_000L;
        String hostHeader = spec.host() != null ? spec.host() : hostHeader(host, p, tls != null);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, p), remainingMs(deadline));
            Socket s = plain;
            if (tls != null) {
                String peer = serverName != null ? serverName : host;
                SSLSocket ssl = (SSLSocket) tls.createSocket(plain, peer, p, true);
                SSLParameters params = ssl.getSSLParameters();
                String sni = serverName != null ? serverName : hostHeader.replaceFirst(":[0-9]+$", "");
                if (!sni.isEmpty() && !Character.isDigit(sni.charAt(sni.length() - 1)) && !sni.startsWith("[")) {
                    params.setServerNames(List.of(new SNIHostName(sni)));
                }
                if (verify) {
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                }
                ssl.setSSLParameters(params);
                ssl.setSoTimeout(remainingMs(deadline));
                ssl.startHandshake();
                s = ssl;
            }
            OutputStream out = s.getOutputStream();
            out.write((spec.method() + " " + spec.path() + " HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nUser-Agent: duet-health-check\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String head = readHead(s, in, deadline);
            int status = parseStatus(head);
            if (status < 0) {
                return fail(start, "malformed response: " + firstLine(head));
            }
            if (!expected(status)) {
                return fail(start, "HTTP " + status + " not in " + spec.expectStatus());
            }
            if (body != null && !"HEAD".equals(spec.method())) {
                String text = readBody(s, in, head, deadline);
                if (!body.matcher(text).find()) {
                    return fail(start, "HTTP " + status + ", body does not match /" + body.pattern() + "/");
                }
            }
            return new ProbeResult(Instant.now(), true, "HTTP " + status, elapsedMs(start));
        } catch (IOException e) {
            return fail(start, describe(e, spec.timeoutMs()));
        } catch (RuntimeException e) {
            return fail(start, "check error: " + e);
        }
    }

    private static ProbeResult fail(long start, String detail) {
        return new ProbeResult(Instant.now(), false, detail, elapsedMs(start));
    }

    boolean expected(int status) {
        for (int[] r : statuses) {
            if (status >= r[0] && status <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /** Reads up to the end of the head (CRLF CRLF); bounded by size and deadline. */
    private static String readHead(Socket s, InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int state = 0;
        while (state < 4) {
            s.setSoTimeout(remainingMs(deadline));
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("response head larger than " + MAX_HEAD_BYTES + " bytes");
            }
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The first {@link HealthCheck#BODY_LIMIT_BYTES} bytes of the body, de-chunked when chunked. */
    private static String readBody(Socket s, InputStream in, String head, long deadline) throws IOException {
        boolean chunked = head.toLowerCase(Locale.ROOT).matches("(?s).*\r\ntransfer-encoding:[^\r]*chunked.*");
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        int limit = HealthCheck.BODY_LIMIT_BYTES;
        if (!chunked) {
            copy(s, in, out, limit, deadline);
        } else {
            while (out.size() < limit) {
                String sizeLine = readLine(s, in, deadline);
                if (sizeLine == null) {
                    break;
                }
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
                if (size == 0) {
                    break;
                }
                copy(s, in, out, Math.min(limit, out.size() + size), deadline);
                readLine(s, in, deadline);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void copy(Socket s, InputStream in, ByteArrayOutputStream out, int upTo, long deadline)
            throws IOException {
        byte[] buf = new byte[1024];
        while (out.size() < upTo) {
            s.setSoTimeout(remainingMs(deadline));
            int n = in.read(buf, 0, Math.min(buf.length, upTo - out.size()));
            if (n < 0) {
                return;
            }
            out.write(buf, 0, n);
        }
    }

    private static String readLine(Socket s, InputStream in, long deadline) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 1024) {
            s.setSoTimeout(remainingMs(deadline));
            int b = in.read();
            if (b < 0) {
                return sb.length() == 0 ? null : sb.toString();
            }
            if (b == '\n') {
                return sb.toString().trim();
            }
            sb.append((char) b);
        }
        throw new IOException("chunk size line too long");
    }

    static int parseStatus(String head) {
        if (!head.startsWith("HTTP/1.") || head.length() < 12 || head.charAt(8) != ' ') {
            return -1;
        }
        try {
            int status = Integer.parseInt(head.substring(9, 12));
            return status >= 100 && status <= 599 ? status : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String firstLine(String head) {
        int i = head.indexOf('\r');
        String line = i >= 0 ? head.substring(0, i) : head;
        return line.length() > 80 ? line.substring(0, 80) + "..." : line.isEmpty() ? "(empty)" : line;
    }

    static String hostHeader(String host, int port, boolean https) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return port == (https ? 443 : 80) ? h : h + ":" + port;
    }

    /** Milliseconds left before the deadline, at least 1; throws when it passed. */
    static int remainingMs(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000L;
    }

    /** A short operator-facing description of a failed check. */
    static String describe(IOException e, long timeoutMs) {
        if (e instanceof SocketTimeoutException) {
            return "timeout after " + timeoutMs + " ms";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return "TLS failure: " + e.getMessage();
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static SSLSocketFactory tlsFactory(boolean verify) {
        try {
            if (verify) {
                return SSLContext.getDefault().getSocketFactory();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{new AcceptAny()}, null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HEALTH_CHECK_BUG + " no TLS support in this JVM: " + e.getMessage(), e);
        }
    }

    /** Accepts any server certificate: health checks only, never forwarded traffic. */
    private static final class AcceptAny implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
