package io.duet.proxy.resolve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production resolver against the JDK's own name service, in a JVM of its own whose hosts file the test rewrites
 * ({@code -Djdk.net.hosts.file}; the JDK reads that property and its cache settings once per JVM).
 */
class SystemHostResolverTest {
    @TempDir
    Path dir;

    /** A JVM running {@link JdkLookupChild}; ask() sends one line and returns the answer line. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final PrintWriter out;
        private final BufferedReader in;

        Child(Path hosts, String... args) throws Exception {
            this(hosts, List.of(), args);
        }

        Child(Path hosts, List<String> jvmOptions, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), "-Djdk.net.hosts.file=" + hosts));
            command.addAll(jvmOptions);
            command.add(JdkLookupChild.class.getName());
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            out = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        String ask(String line) throws Exception {
            out.println(line);
            String answer = in.readLine();
            assertThat(answer).as("the child JVM answered").isNotNull();
            return answer;
        }

        @Override
        public void close() throws Exception {
            out.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    // With the JDK's cache turned off (as Duet's main does first thing), every lookup reads the name service again:
    // a changed or removed name is seen at the next lookup, so the pool's resolve.intervalMs alone decides.
    @Test
    void withTheCacheOffEveryLookupSeesTheNameServiceNow() throws Exception {
        HostsFile hosts = new HostsFile(dir.resolve("hosts")).write("127.0.0.2 api.test");
        try (Child child = new Child(hosts.path(), "disable-cache")) {
            assertThat(child.ask("warning")).isEqualTo("none");
            assertThat(child.ask("api.test")).isEqualTo("127.0.0.2");
            hosts.write("127.0.0.3 api.test", "127.0.0.4 api.test");
            assertThat(child.ask("api.test")).isEqualTo("127.0.0.3,127.0.0.4");
            hosts.write("# api.test removed");
            assertThat(child.ask("api.test")).isEqualTo("unknown");
            hosts.write("127.0.0.5 api.test");
            assertThat(child.ask("api.test")).isEqualTo("127.0.0.5"); // no negative caching either
        }
    }

    // Why: left alone, the JDK keeps an answer for 30 s (and a failure for 10 s), so the change is not seen, and the
    // resolver says so (DUET-PROXY-0968).
    @Test
    void theJdkCacheLeftAloneHidesChanges() throws Exception {
        HostsFile hosts = new HostsFile(dir.resolve("hosts")).write("127.0.0.2 api.test");
        try (Child child = new Child(hosts.path())) {
            assertThat(child.ask("warning")).startsWith("the JDK keeps answers for 30 s");
            assertThat(child.ask("api.test")).isEqualTo("127.0.0.2");
            hosts.write("127.0.0.3 api.test");
            assertThat(child.ask("api.test")).isEqualTo("127.0.0.2");
        }
    }

    // An operator's own setting (here a java.security override of 60 s) is kept, and warned about.
    @Test
    void anOperatorsTtlIsKeptAndWarnedAbout() throws Exception {
        HostsFile hosts = new HostsFile(dir.resolve("hosts")).write("127.0.0.2 api.test");
        Path security = dir.resolve("java.security");
        java.nio.file.Files.writeString(security, "networkaddress.cache.ttl=60\n");
        try (Child child = new Child(hosts.path(), List.of("-Djava.security.properties=" + security),
                "disable-cache")) {
            assertThat(child.ask("warning")).startsWith("the JDK keeps answers for 60 s (networkaddress.cache.ttl=60)");
            assertThat(child.ask("api.test")).isEqualTo("127.0.0.2");
            hosts.write("127.0.0.3 api.test");
            assertThat(child.ask("api.test")).isEqualTo("127.0.0.2");
        }
    }
}
