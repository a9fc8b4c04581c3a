package io.duet.cluster.raft;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Test-only: one Raft member in its own JVM, driven over stdin/stdout, so a test can kill it with SIGKILL. Production
 * settings (elections 300-600 ms). Arguments: {@code nodeId dataDir id=host:port,...}. Commands, one per line, each
 * answered by one line {@code @@ <tag> <answer>}:
 * <ul>
 *   <li>{@code P <tag> <base> <text>}: propose {@code text} on {@code base}: {@code ok <rev>}, {@code stale <cur>} or
 *       {@code fail <why>};</li>
 *   <li>{@code S <tag>}: {@code <role> <leader or -> <revision>};</li>
 *   <li>{@code H <tag>}: the history, {@code <rev>=<text>} words, newest first;</li>
 *   <li>{@code N <tag>}: {@code <revision served at start> <revisions the subscriber heard, in order>}.</li>
 * </ul>
 */
public final class MemberMain {
    private MemberMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> members = new TreeMap<>();
        for (String m : args[2].split(",")) {
            String[] kv = m.split("=", 2);
            members.put(kv[0], kv[1]);
        }
        List<Long> heard = new CopyOnWriteArrayList<>();
        // What the node serves at start: the disk revision (read before the start: the replay may pass it at once).
        long servedAtStart = ClusterNode.lastApplied(Path.of(args[1])).revision();
        ClusterNode node = ClusterNode.start(new ClusterSettings(args[0], members, Path.of(args[1])),
                r -> heard.add(r.revision()));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        ExecutorService workers = Executors.newCachedThreadPool();
        out.println("@@ ready " + args[0]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.split(" ", 4);
            workers.execute(() -> {
                String answer;
                try {
                    answer = switch (w[0]) {
                        case "P" -> propose(node, Long.parseLong(w[2]), w[3]);
                        case "S" -> {
                            ClusterStatus s = node.status();
                            yield s.role() + " " + (s.leader() == null ? "-" : s.leader()) + " "
                                    + s.appliedRevision();
                        }
                        case "H" -> node.history().stream().map(r -> r.revision() + "="
                                + new String(r.document(), StandardCharsets.UTF_8)).collect(Collectors.joining(" "));
                        case "N" -> servedAtStart + " " + heard.stream().map(String::valueOf)
                                .collect(Collectors.joining(","));
                        default -> "fail unknown command";
                    };
                } catch (RuntimeException e) {
                    answer = "fail " + String.valueOf(e.getMessage()).replace('\n', ' ');
                }
                synchronized (out) {
                    out.println("@@ " + w[1] + " " + answer);
                }
            });
        }
        node.close();
        workers.shutdownNow();
    }

    private static String propose(ClusterNode node, long base, String text) {
        try {
            Revision r = node.propose(base, text.getBytes(StandardCharsets.UTF_8), "stream", text)
                    .get(20, TimeUnit.SECONDS);
            return "ok " + r.revision();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StaleRevisionException s) {
                return "stale " + s.current();
            }
            return "fail " + String.valueOf(e.getCause().getMessage()).replace('\n', ' ');
        } catch (Exception e) {
            return "fail " + e;
        }
    }
}
