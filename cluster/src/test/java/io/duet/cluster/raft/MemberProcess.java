package io.duet.cluster.raft;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The test's side of {@link MemberMain}: a member JVM on this JVM's class path; {@link #kill9} is SIGKILL. */
final class MemberProcess implements AutoCloseable {
    private final String id;
    private final Process process;
    private final Writer stdin;
    private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicLong tags = new AtomicLong();

    private MemberProcess(String id, Process process) {
        this.id = id;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::read, "member-" + id);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts member {@code id}; its log goes to {@code <dataDir>.log}. */
    static MemberProcess start(String id, Path dataDir, String members) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), MemberMain.class.getName(), id, dataDir.toString(),
                members));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling(id + ".log").toFile()));
        return new MemberProcess(id, pb.start());
    }

    String id() {
        return id;
    }

    void awaitReady() throws Exception {
        ready.get(60, TimeUnit.SECONDS);
    }

    CompletableFuture<String> send(String command, String args) {
        String tag = Long.toString(tags.incrementAndGet());
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.put(tag, answer);
        try {
            synchronized (stdin) {
                stdin.write(command + " " + tag + (args.isEmpty() ? "" : " " + args) + "\n");
                stdin.flush();
            }
        } catch (IOException e) {
            pending.remove(tag);
            answer.completeExceptionally(e);
        }
        return answer;
    }

    String ask(String command, String args) throws Exception {
        return send(command, args).get(30, TimeUnit.SECONDS);
    }

    /** Sends a signal to the member's JVM ({@code STOP}, {@code CONT}) with the kill command. */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.startsWith("@@ ")) {
                    continue;
                }
                String[] w = line.split(" ", 3);
                if (w[1].equals("ready")) {
                    ready.complete(null);
                    continue;
                }
                CompletableFuture<String> f = pending.remove(w[1]);
                if (f != null) {
                    f.complete(w.length > 2 ? w[2] : "");
                }
            }
        } catch (IOException e) {
            // the process died
        }
        IOException gone = new IOException("member " + id + " exited");
        ready.completeExceptionally(gone);
        pending.values().forEach(f -> f.completeExceptionally(gone));
    }

    @Override
    public void close() throws InterruptedException {
        kill9();
    }
}
