package io.duet.cluster.vip;

import io.duet.testkit.Requirements;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces a test builds for itself (root only: the constructor skips the test, saying why, where they cannot
 * be made): names with a unique prefix per run, 192.0.2.0/24 (TEST-NET-1) addresses inside them only, nothing in the
 * root namespace, everything deleted by {@link #close}.
 */
final class NetNamespaces implements AutoCloseable {
    final String prefix;
    private final List<String> created = new ArrayList<>();

    NetNamespaces() {
        Requirements.requireNetworkNamespaces();
        this.prefix = "dt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff)) + "-";
    }

    /** Creates namespace {@code prefix + name} with loopback up; returns its full name. */
    String add(String name) throws Exception {
        String ns = prefix + name;
        sh("ip", "netns", "add", ns);
        created.add(ns);
        sh("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** A veth pair {@code eth0} in {@code a} and {@code eth0} in {@code b}, both up, with these addresses. */
    void link(String a, String addrA, String b, String addrB) throws Exception {
        String tmpB = "v" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        sh("ip", "-n", a, "link", "add", "eth0", "type", "veth", "peer", "name", tmpB, "netns", b);
        sh("ip", "-n", b, "link", "set", tmpB, "name", "eth0");
        sh("ip", "-n", a, "addr", "add", addrA, "dev", "eth0");
        sh("ip", "-n", b, "addr", "add", addrB, "dev", "eth0");
        sh("ip", "-n", a, "link", "set", "eth0", "up");
        sh("ip", "-n", b, "link", "set", "eth0", "up");
    }

    /** A namespace holding bridge {@code br0} (up): a switch the hosts are {@link #attach}ed to. */
    String addSwitch(String name) throws Exception {
        String sw = add(name);
        sh("ip", "-n", sw, "link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
        sh("ip", "-n", sw, "link", "set", "br0", "up");
        return sw;
    }

    /** {@code eth0} in {@code host} with this address, its peer a port of {@code sw}'s bridge; both up. */
    void attach(String sw, String host, String address) throws Exception {
        String port = "p" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        sh("ip", "-n", host, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", sw);
        sh("ip", "-n", sw, "link", "set", port, "master", "br0");
        sh("ip", "-n", sw, "link", "set", port, "up");
        sh("ip", "-n", host, "addr", "add", address, "dev", "eth0");
        sh("ip", "-n", host, "link", "set", "eth0", "up");
    }

    /** Runs a command; its output; fails on a non-zero exit or after 10 s. */
    static String sh(String... command) throws Exception {
        Result r = exec(command);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.exit() + "): " + r.output());
        }
        return r.output();
    }

    record Result(int exit, String output) {
    }

    static Result exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 10 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        for (String ns : created) {
            try {
                for (String pid : exec("ip", "netns", "pids", ns).output().split("\\s+")) {
                    if (!pid.isBlank()) {
                        exec("kill", "-9", pid.trim());
                    }
                }
                exec("ip", "netns", "del", ns);
            } catch (IOException | InterruptedException e) {
                // best effort; the unique prefix keeps other runs apart
            }
        }
    }
}
