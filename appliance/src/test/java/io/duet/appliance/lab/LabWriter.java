package io.duet.appliance.lab;

import io.duet.cluster.raft.ClusterClient;
import io.duet.cluster.raft.Revision;
import io.duet.cluster.raft.StaleRevisionException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab's configuration writer, run in the client namespace: a chain of edits, each based on the last acknowledged
 * revision (an operator's edits), every one a valid document (the lab virtual host gains the name {@code wN.lab}).
 * Prints {@code ACK <revision> <n>} for each acknowledged write and {@code LOST ...} when the cluster's current
 * revision is ever older than one it acknowledged. On stdin "stop" it prints {@code FINAL <revision> <marker>}.
 * Test-only main.
 */
public final class LabWriter {
    private static final Pattern HOSTS = Pattern.compile("\"hostnames\"\\s*:\\s*\\[\\s*\"lab\"[^\\]]*\\]");
    private static final Pattern MARK = Pattern.compile("\"(w\\d+)\\.lab\"");

    private LabWriter() {
    }

    /**
     * The member identity of the node whose data directory is given (an operator's tool on that node uses it):
     * the cluster accepts only clients with a certificate of its CA.
     */
    static io.duet.cluster.raft.ClusterSettings.Tls identity(java.nio.file.Path dataDir) throws IOException {
        java.nio.file.Path tls = dataDir.resolve("cluster").resolve("tls");
        io.duet.tls.KeyVault vault = io.duet.tls.KeyVault.open(dataDir.resolve("keys"));
        return new io.duet.cluster.raft.ClusterSettings.Tls(
                vault.open(java.nio.file.Files.readString(tls.resolve("member.key")).trim()),
                io.duet.tls.CertificateImport.readCertificates(java.nio.file.Files.readString(
                        tls.resolve("member.pem"))).get(0),
                io.duet.tls.CertificateImport.readCertificates(java.nio.file.Files.readString(
                        tls.resolve("ca.pem"))).get(0));
    }

    /** Arguments: members (id=host:port,...) maxSeconds dataDirOfAMember. */
    public static void main(String[] args) throws Exception {
        Map<String, String> members = new LinkedHashMap<>();
        for (String m : args[0].split(",")) {
            String[] kv = m.split("=", 2);
            members.put(kv[0], kv[1]);
        }
        long deadline = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);
        Thread stopper = new Thread(() -> {
            try {
                System.in.read();
            } catch (IOException e) {
                // ends anyway
            }
        });
        stopper.setDaemon(true);
        stopper.start();
        long maxAcked = 0;
        int n = 0;
        try (ClusterClient c = ClusterClient.connect(members, identity(java.nio.file.Path.of(args[2])))) {
            Revision cur = current(c, deadline);
            out.println("START " + cur.revision());
            while (stopper.isAlive() && System.nanoTime() < deadline) {
                n++;
                String doc = new String(cur.document(), StandardCharsets.UTF_8);
                String next = HOSTS.matcher(doc).replaceFirst("\"hostnames\":[\"lab\",\"w" + n + ".lab\"]");
                try {
                    long r = c.propose(cur.revision(), next.getBytes(StandardCharsets.UTF_8), "lab-writer", "w" + n);
                    out.println("ACK " + r + " " + n);
                    maxAcked = Math.max(maxAcked, r);
                    cur = new Revision(r, next.getBytes(StandardCharsets.UTF_8), "lab-writer", 0, "w" + n);
                } catch (StaleRevisionException | IOException e) {
                    out.println("FAIL " + n + " " + e.getClass().getSimpleName());
                    cur = current(c, deadline);
                    if (cur.revision() < maxAcked) {
                        out.println("LOST current " + cur.revision() + " < acknowledged " + maxAcked);
                    }
                    if (("w" + n).equals(marker(cur))) {
                        out.println("ACK " + cur.revision() + " " + n + " (committed although the reply failed)");
                        maxAcked = Math.max(maxAcked, cur.revision());
                    }
                }
                Thread.sleep(100); // pacing of the load, not synchronisation
            }
            Revision last = current(c, deadline + 60_000_000_000L);
            if (last.revision() < maxAcked) {
                out.println("LOST current " + last.revision() + " < acknowledged " + maxAcked);
            }
            out.println("FINAL " + last.revision() + " " + marker(last));
        }
        System.exit(0);
    }

    static String marker(Revision r) {
        Matcher m = MARK.matcher(new String(r.document(), StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : "none";
    }

    private static Revision current(ClusterClient c, long deadline) throws InterruptedException {
        while (true) {
            try {
                return c.current();
            } catch (IOException | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no answer from the cluster", e);
                }
                Thread.sleep(200); // retry pacing
            }
        }
    }
}
