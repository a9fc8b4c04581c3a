package io.duet.cluster.raft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Real Raft members in one JVM for tests: member ids get free loopback ports, each member its data directory under
 * one temp directory and its settings from a per-member function; members start, stop (and start again from their
 * storage) one at a time, and {@link #close()} stops all that run.
 *
 * <p>Setup and stops from the test thread; {@link #node} and {@link #nodes} may be read from any thread.
 */
final class MiniCluster implements AutoCloseable {
    private final Path dir;
    private final Map<String, String> members = new HashMap<>();
    private final Map<String, ClusterNode> nodes = new ConcurrentHashMap<>();
    private Function<String, ClusterSettings> settings;

    MiniCluster(Path dir) {
        this.dir = dir;
        this.settings = id -> new ClusterSettings(id, members, dir(id));
    }

    /** Adds members with free ports on 127.0.0.1. */
    MiniCluster add(String... ids) {
        for (String id : ids) {
            members.put(id, "127.0.0.1:" + freePort());
        }
        return this;
    }

    /** The settings {@link #start(String)} uses for a member (default: members, {@link #dir(String)}, defaults). */
    MiniCluster settings(Function<String, ClusterSettings> perMember) {
        this.settings = perMember;
        return this;
    }

    /** The member table (id to host:port), live: a test may set an address or forget the members. */
    Map<String, String> members() {
        return members;
    }

    /** A member's data directory. */
    Path dir(String id) {
        return dir.resolve(id);
    }

    /** Starts a member with its settings. */
    ClusterNode start(String id) throws IOException {
        return adopt(id, ClusterNode.start(settings.apply(id)));
    }

    /** Starts a member with its settings and a subscriber to its committed revisions. */
    ClusterNode start(String id, Consumer<Revision> subscriber) throws IOException {
        return adopt(id, ClusterNode.start(settings.apply(id), subscriber));
    }

    /** Starts a member with these settings instead of its own. */
    ClusterNode start(String id, ClusterSettings these) throws IOException {
        return adopt(id, ClusterNode.start(these));
    }

    private ClusterNode adopt(String id, ClusterNode n) {
        nodes.put(id, n);
        return n;
    }

    /** A running member, or null. */
    ClusterNode node(String id) {
        return nodes.get(id);
    }

    /** The running members by id (live, unordered). */
    Map<String, ClusterNode> nodes() {
        return nodes;
    }

    /** Stops one member (its storage stays for a restart). */
    void stop(String id) {
        ClusterNode n = nodes.remove(id);
        if (n != null) {
            n.close();
        }
    }

    @Override
    public void close() {
        nodes.values().forEach(ClusterNode::close);
        nodes.clear();
    }

    /** A port free on loopback now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
