package io.duet.cluster.vip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only mains run inside a test's namespaces (VipHandoverNamespaceTest). {@code server NAME PORT}: answers every
 * line of every connection with {@code NAME line}; prints {@code LISTENING}. {@code client HOST PORT}: keeps TCP
 * connections open and obeys its standard input: {@code open} (prints {@code OPENED n}) and {@code send n text} (prints
 * {@code REPLY n answer} or {@code FAIL n exception}); each answer within 3 s. Both end with their input or after 120 s.
 */
public final class HandoverEcho {
    private HandoverEcho() {
    }

    public static void main(String[] args) throws Exception {
        Thread bound = new Thread(() -> {
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                return;
            }
            System.exit(2);
        });
        bound.setDaemon(true);
        bound.start();
        if (args[0].equals("server")) {
            server(args[1], Integer.parseInt(args[2]));
        } else {
            client(args[1], Integer.parseInt(args[2]));
        }
    }

    private static void server(String name, int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            System.out.println("LISTENING");
            System.out.flush();
            while (true) {
                Socket c = s.accept();
                Thread t = new Thread(() -> {
                    try (c; BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(),
                            StandardCharsets.US_ASCII));
                         PrintWriter out = new PrintWriter(c.getOutputStream(), true, StandardCharsets.US_ASCII)) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            out.println(name + " " + line);
                        }
                    } catch (IOException e) {
                        // the client went away
                    }
                });
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void client(String host, int port) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        List<Socket> conns = new ArrayList<>();
        BufferedReader cmd = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = cmd.readLine()) != null) {
            String[] f = line.split(" ", 3);
            if (f[0].equals("open")) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(host, port), 3000);
                    s.setSoTimeout(3000);
                    conns.add(s);
                    out.println("OPENED " + (conns.size() - 1));
                } catch (IOException e) {
                    out.println("FAIL open " + e);
                }
            } else if (f[0].equals("send")) {
                int n = Integer.parseInt(f[1]);
                try {
                    Socket s = conns.get(n);
                    s.getOutputStream().write((f[2] + "\n").getBytes(StandardCharsets.US_ASCII));
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.US_ASCII), 1);
                    String reply = in.readLine();
                    out.println(reply == null ? "FAIL " + n + " closed" : "REPLY " + n + " " + reply);
                } catch (IOException e) {
                    out.println("FAIL " + n + " " + e);
                }
            }
        }
    }
}
