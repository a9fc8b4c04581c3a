package io.duet.appliance.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A failover lab in network namespaces this test builds and always removes: a "switch" namespace holding a bridge,
 * and one namespace per host plugged into it by a veth pair. Nothing is added to the root namespace; 192.0.2.0/24
 * (TEST-NET-1) exists only inside these namespaces. Names carry a random suffix, so runs never collide.
 *
 * <pre>
 *   {p}a  eth0 192.0.2.11 ─┐
 *   {p}b  eth0 192.0.2.12 ─┤
 *   {p}w  eth0 192.0.2.13 ─┼── br0 in {p}sw (ports named after the host)
 *   {p}c  eth0 192.0.2.20 ─┤
 *   {p}be eth0 192.0.2.30 ─┘
 * </pre>
 * Needs root, iproute2 and network namespaces (callers check with {@code Requirements.requireNetworkNamespaces()}).
 */
public final class Lab implements AutoCloseable {
    public static final String NET = "192.0.2.";
    private final String prefix;
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();

    private Lab(String prefix) {
        this.prefix = prefix;
    }

    /** Builds the switch and one namespace per host id (host id -> last octet of its address). */
    public static Lab build(Map<String, Integer> hosts) throws IOException {
        String prefix = "dl" + Long.toHexString(System.nanoTime() & 0xffffffL) + "-";
        Lab lab = new Lab(prefix);
        try {
            lab.add("sw");
            sh("ip", "-n", lab.ns("sw"), "link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
            sh("ip", "-n", lab.ns("sw"), "link", "set", "br0", "up");
            for (Map.Entry<String, Integer> h : hosts.entrySet()) {
                String id = h.getKey();
                lab.add(id);
                sh("ip", "link", "add", "eth0", "netns", lab.ns(id), "type", "veth", "peer", "name", "p-" + id,
                        "netns", lab.ns("sw"));
                sh("ip", "-n", lab.ns("sw"), "link", "set", "p-" + id, "master", "br0", "up");
                sh("ip", "-n", lab.ns(id), "link", "set", "eth0", "up");
                String address = NET + h.getValue();
                sh("ip", "-n", lab.ns(id), "addr", "add", address + "/24", "dev", "eth0");
                lab.addresses.put(id, address);
            }
            return lab;
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void add(String id) throws IOException {
        sh("ip", "netns", "add", ns(id));
        namespaces.add(ns(id));
        sh("ip", "-n", ns(id), "link", "set", "lo", "up");
    }

    /** The namespace name of a host. */
    public String ns(String id) {
        return prefix + id;
    }

    /** The address of a host on the lab network. */
    public String address(String id) {
        return addresses.get(id);
    }

    /** The command prefix that runs a program inside a host's namespace. */
    public List<String> in(String id) {
        return List.of("ip", "netns", "exec", ns(id));
    }

    /** Cuts (false) or restores (true) a host's cable at the switch: it can reach nobody, nobody reaches it. */
    public void cable(String id, boolean connected) throws IOException {
        sh("ip", "-n", ns("sw"), "link", "set", "p-" + id, connected ? "up" : "down");
    }

    /** The floating addresses present on a host's eth0 now. */
    public List<String> vipsOn(String id, List<String> vips) throws IOException {
        String out = sh("ip", "-n", ns(id), "-o", "-4", "addr", "show", "dev", "eth0");
        List<String> present = new ArrayList<>();
        for (String v : vips) {
            if (out.contains(" " + v + "/32 ")) {
                present.add(v);
            }
        }
        return present;
    }

    /** Kills every process left in the namespaces, then deletes them (which removes the veths and the bridge). */
    @Override
    public void close() {
        for (String n : namespaces) {
            try {
                for (String pid : sh("ip", "netns", "pids", n).split("\\s+")) {
                    if (!pid.isBlank()) {
                        new ProcessBuilder("kill", "-9", pid.trim()).start().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the namespace may be gone already
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                sh("ip", "netns", "del", namespaces.get(i));
            } catch (IOException | RuntimeException e) {
                // keep removing the others
            }
        }
        namespaces.clear();
    }

    /** Runs a command (bounded to 10 s); returns its output; fails with the output when it exits non-zero. */
    public static String sh(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", cmd));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out.trim());
        }
        return out;
    }

    /** Writes text to a file (for documents handed to processes). */
    public static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
