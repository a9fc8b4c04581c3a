package io.duet.appliance.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A JVM (the test's own classpath) running a main class inside a lab namespace. Its output goes to a log file and
 * to {@link #lines}; {@link #kill9} sends SIGKILL ({@code ip netns exec} execs the JVM, so the pid is the JVM's).
 */
public final class LabProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private LabProcess(String name, Process process, Path log, Consumer<String> onLine) throws IOException {
        this.name = name;
        this.process = process;
        PrintWriter file = new PrintWriter(Files.newBufferedWriter(log), true);
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    file.println(l);
                    if (onLine != null) {
                        onLine.accept(l);
                    } else {
                        lines.add(l);
                    }
                }
            } catch (IOException e) {
                // the process ended
            } finally {
                file.close();
            }
        }, "lab-out-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} in a namespace with the test's classpath.
     *
     * @param onLine receives each output line (on the reader thread); null keeps them in {@link #lines}
     */
    public static LabProcess start(String name, List<String> nsPrefix, List<String> jvmOptions, String mainClass,
                                   List<String> args, Map<String, String> env, Path log, Consumer<String> onLine)
            throws IOException {
        List<String> cmd = new ArrayList<>(nsPrefix);
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Files.createDirectories(log.getParent());
        return new LabProcess(name, pb.start(), log, onLine);
    }

    /** Wraps a process started elsewhere (its output is read the same way). */
    public static LabProcess wrap(String name, Process process, Path log, Consumer<String> onLine) throws IOException {
        Files.createDirectories(log.getParent());
        return new LabProcess(name, process, log, onLine);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Output lines so far (when no line consumer was given). */
    public List<String> lines() {
        return lines;
    }

    /** True once a line containing {@code text} was printed. */
    public boolean printed(String text) {
        return lines.stream().anyMatch(l -> l.contains(text));
    }

    /** Closes the process's standard input (end of input tells lab mains to finish). */
    public void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    /** SIGKILL, then waits (bounded) until the process is gone. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP (true) or SIGCONT (false). */
    public void pause(boolean stop) throws IOException {
        Lab.sh("kill", stop ? "-STOP" : "-CONT", Long.toString(process.pid()));
    }

    /**
     * SIGSTOP (true) or SIGCONT (false) to the process and every process it started, in one {@code kill}: a freeze
     * of the whole process tree, as a cgroup freeze of the service or {@code docker pause} makes it (the VIP guardian
     * and any command the node is running stop with the JVM).
     */
    public void pauseTree(boolean stop) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("kill", stop ? "-STOP" : "-CONT", Long.toString(process.pid())));
        process.descendants().forEach(h -> cmd.add(Long.toString(h.pid())));
        try {
            Lab.sh(cmd.toArray(String[]::new));
        } catch (IOException e) {
            // A short-lived command (an `ip` run) ended between the listing and the signal: kill signalled the
            // others. The JVM itself must have been signalled.
            if (!process.isAlive() || !e.getMessage().contains("No such process")
                    || e.getMessage().contains("(" + process.pid() + ")")) {
                throw e;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                pause(false);
            } catch (IOException e) {
                // gone
            }
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
