package io.duet.appliance.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lab's client, run inside the client namespace: every {@code interval} ms it sends one HTTP request to each
 * VIP on a new connection (as a browser arriving fresh would) and prints one line per probe when it ends:
 * {@code PROBE <start epoch ms> <vip> ok <backend-seen source> <ms>} or
 * {@code PROBE <start epoch ms> <vip> fail <reason> <ms>}. A probe fails when it is not answered 200 within
 * {@code timeout} ms (connect, request and response together). Test-only main; runs until killed or for
 * {@code maxSeconds} (bounded).
 */
public final class LabProber {
    private LabProber() {
    }

    /** Arguments: port intervalMs timeoutMs maxSeconds vip [vip...]. */
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        long interval = Long.parseLong(args[1]);
        int timeout = Integer.parseInt(args[2]);
        long maxSeconds = Long.parseLong(args[3]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        ExecutorService probes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "probe");
            t.setDaemon(true);
            return t;
        });
        for (int i = 4; i < args.length; i++) {
            String vip = args[i];
            clock.scheduleAtFixedRate(() -> probes.execute(() -> {
                long start = System.currentTimeMillis();
                long t0 = System.nanoTime();
                String result = probe(vip, port, timeout);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                synchronized (out) {
                    out.println("PROBE " + start + " " + vip + " " + result + " " + ms);
                }
            }), 0, interval, TimeUnit.MILLISECONDS);
        }
        out.println("PROBING");
        Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds)); // bounded run; the test normally kills it first
        System.exit(0);
    }

    private static String probe(String vip, int port, int timeout) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        String phase = "connect";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(vip, port), timeout);
            phase = "response";
            s.setSoTimeout(remaining(deadline));
            OutputStream o = s.getOutputStream();
            o.write(("GET /probe HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            byte[] buf = new byte[1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                s.setSoTimeout(remaining(deadline));
            }
            String r = sb.toString();
            if (!r.startsWith("HTTP/1.1 200")) {
                int eol = r.indexOf('\r');
                return "fail status:" + (eol > 0 ? r.substring(9, eol).replace(' ', '_') : "none");
            }
            String body = r.substring(r.indexOf("\r\n\r\n") + 4).trim();
            return "ok " + body;
        } catch (IOException | RuntimeException e) {
            return "fail " + phase + ":" + e.getClass().getSimpleName();
        }
    }

    private static int remaining(long deadline) throws IOException {
        long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (ms <= 0) {
            throw new java.net.SocketTimeoutException("deadline");
        }
        return (int) ms;
    }
}
