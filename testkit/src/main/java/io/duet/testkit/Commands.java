package io.duet.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program (openssl, curl, ...) for a test in a given directory, with a 20 s timeout, and returns
 * its exit code and combined output. Skips the calling test, saying why, when the program is a known {@link Tool}
 * that is missing. Stateless.
 */
public final class Commands {
    /** What a program did: its exit code and its stdout and stderr together. */
    public record Result(int exit, String output) {
    }

    private Commands() {
    }

    /** Runs {@code command} in {@code dir}; its combined output. Fails on a non-zero exit. */
    public static String run(Path dir, List<String> command) throws Exception {
        Result r = exec(dir, command, null);
        if (r.exit() != 0) {
            throw new AssertionError(command + " failed (" + r.exit() + "): " + r.output());
        }
        return r.output();
    }

    /** Runs {@code command} in {@code dir} with stdin from {@code input} (or closed); exit code and combined output. */
    public static Result exec(Path dir, List<String> command, String input) throws Exception {
        for (Tool tool : Tool.values()) {
            if (tool.command().equals(command.get(0))) {
                Requirements.requireTool(tool);
            }
        }
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
        }
        p.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        reader.start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within 20 s");
        }
        reader.join(5000);
        return new Result(p.exitValue(), new String(out[0] == null ? new byte[0] : out[0], StandardCharsets.UTF_8));
    }
}
