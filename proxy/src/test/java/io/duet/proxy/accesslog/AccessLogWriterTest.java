package io.duet.proxy.accesslog;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.config.AccessLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class AccessLogWriterTest {
    @TempDir
    Path dataDir;

    private static final long T = 1795327010123L; // 2026-11-22T05:56:50.123Z

    private static AccessRecord record(String uri, String requestId) {
        return new AccessRecord(T, "127.0.0.1", "GET", uri, "HTTP/1.1", 200, 123, 0, 1234, "api.example",
                "api", "users", "web", "b1", "https://ref/", "curl/8.0", requestId, "main");
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    // The combined line has the documented exact layout, including the key=value tail.
    @Test
    void combinedFormatIsExact() throws IOException {
        AccessLogWriter log = AccessLogWriter.open(new AccessLog(true, "combined", "logs/access.log"), dataDir, null);
        log.log(record("/x?a=1", "abc"));
        log.log(new AccessRecord(T, "::1", "GET", "/q\"uo\\te\u0001", "HTTP/1.1", 404, -1, 0, 7, null,
                null, null, null, null, "", "Mozilla \"x\"", "id with space", null));
        log.log(new AccessRecord(T, "10.0.0.1", null, null, null, 400, 0, 0, 1, null,
                "api", null, null, null, null, null, null, "main"));
        log.close();

        assertThat(log.path()).isEqualTo(dataDir.resolve("logs/access.log"));
        assertThat(lines(log.path())).containsExactly(
                "127.0.0.1 - - [22/Nov/2026:05:56:50 +0000] \"GET /x?a=1 HTTP/1.1\" 200 123 \"https://ref/\" \"curl/8.0\""
                        + " rid=abc dur_us=1234 route=api/users pool=web server=b1 listener=main",
                "::1 - - [22/Nov/2026:05:56:50 +0000] \"GET /q\\x22uo\\x5Cte\\x01 HTTP/1.1\" 404 - \"-\""
                        + " \"Mozilla \\x22x\\x22\" rid=id\\x20with\\x20space dur_us=7 route=- pool=- server=- listener=-",
                "10.0.0.1 - - [22/Nov/2026:05:56:50 +0000] \"-\" 400 0 \"-\" \"-\""
                        + " rid=- dur_us=1 route=api/- pool=- server=- listener=main");
    }

    // The JSON format writes one object per line with every field, properly escaped, nulls as null.
    @Test
    void jsonFormatIsExact() throws IOException {
        Path file = dataDir.resolve("access.json");
        AccessLogWriter log = AccessLogWriter.open(new AccessLog(true, "json", file.toString()), dataDir, null);
        log.log(record("/x", "abc"));
        log.log(new AccessRecord(T, "::1", "POST", "/\"q\"\n\u00e9", "HTTP/2.0", 0, -1, 42, 7, null,
                null, null, null, null, null, "ua\\x", null, null));
        log.close();

        List<String> lines = lines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("{\"time\":\"2026-11-22T05:56:50.123Z\",\"client\":\"127.0.0.1\","
                + "\"method\":\"GET\",\"uri\":\"/x\",\"protocol\":\"HTTP/1.1\",\"status\":200,\"bytes_sent\":123,"
                + "\"bytes_received\":0,\"duration_us\":1234,\"host\":\"api.example\",\"vhost\":\"api\","
                + "\"route\":\"users\",\"pool\":\"web\",\"server\":\"b1\",\"referer\":\"https://ref/\","
                + "\"user_agent\":\"curl/8.0\",\"request_id\":\"abc\",\"listener\":\"main\"}");
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertThat(second.get("uri").asText()).isEqualTo("/\"q\"\n\u00e9");
        assertThat(second.get("user_agent").asText()).isEqualTo("ua\\x");
        assertThat(second.get("host").isNull()).isTrue();
        assertThat(second.get("bytes_received").asLong()).isEqualTo(42);
    }

    // 10k records from several threads all arrive, each thread's records in the order it logged them.
    @Test
    void concurrentProducersKeepPerThreadOrder() throws Exception {
        AccessLogWriter log = AccessLogWriter.open(new AccessLog(true, "combined", "access.log"), dataDir, null);
        int threads = 4;
        int perThread = 2_500;
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "t" + t;
            producers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    log.log(record("/" + name + "/" + i, name + "-" + i));
                }
            }));
        }
        producers.forEach(Thread::start);
        for (Thread p : producers) {
            p.join();
        }
        log.close();

        assertThat(log.dropped()).isZero();
        List<String> lines = lines(log.path());
        assertThat(lines).hasSize(threads * perThread);
        Map<String, Integer> next = new HashMap<>();
        for (String line : lines) {
            String rid = line.substring(line.indexOf("rid=") + 4, line.indexOf(" dur_us="));
            String thread = rid.substring(0, rid.indexOf('-'));
            int seq = Integer.parseInt(rid.substring(rid.indexOf('-') + 1));
            assertThat(seq).as("next record of " + thread).isEqualTo(next.getOrDefault(thread, 0));
            next.put(thread, seq + 1);
        }
        assertThat(next).hasSize(threads).allSatisfy((k, v) -> assertThat(v).isEqualTo(perThread));
    }

    // With the writer stalled, a full queue drops and counts the excess and log() returns at once every time.
    @Test
    void fullQueueDropsWithoutBlocking() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MetricRegistry registry = new MetricRegistry();
        int capacity = 100;
        AccessLogWriter log = AccessLogWriter.open(new AccessLog(true, "combined", "access.log"), dataDir, registry,
                capacity, () -> {
                    stalled.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();

        // If log() ever waited for space this would never finish, since the writer stays stalled.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < capacity + 250; i++) {
                log.log(record("/" + i, "r" + i));
            }
        });
        assertThat(log.dropped()).isEqualTo(250);
        assertThat(registry.counter(AccessLogWriter.DROPPED_METRIC).getCount()).isEqualTo(250);

        release.countDown();
        log.close();
        assertThat(lines(log.path())).hasSize(capacity).first().asString().contains("rid=r0 ");
    }

    // Moving the file away (logrotate create mode) makes the writer create a new file and write there.
    @Test
    void reopensAfterFileIsMovedAway() throws Exception {
        AccessLogWriter log = AccessLogWriter.open(new AccessLog(true, "combined", "access.log"), dataDir, null);
        Path file = log.path();
        log.log(record("/before", "before"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines(file).size() == 1);

        Path rotated = dataDir.resolve("access.log.1");
        Files.move(file, rotated);
        // Keep logging until a record lands in a new file at the original path.
        int[] n = {0};
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            log.log(record("/after", "after" + n[0]++));
            return Files.exists(file) && !lines(file).isEmpty();
        });
        log.close();

        assertThat(lines(rotated).get(0)).contains("rid=before ");
        assertThat(lines(file)).isNotEmpty().allMatch(l -> l.contains("rid=after"));
        assertThat(lines(rotated).size() + lines(file).size()).isEqualTo(1 + n[0]);
        assertThat(log.dropped()).isZero();
    }

    // A deleted file is recreated too, and reopen() forces a reopen without waiting for the check.
    @Test
    void recreatesDeletedFileAndHonoursReopen() throws Exception {
        AccessLogWriter log = AccessLogWriter.open(new AccessLog(true, "json", "sub/dir/access.log"), dataDir, null);
        Path file = log.path();
        log.log(record("/1", "one"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines(file).size() == 1);
        Files.delete(file);
        log.reopen();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
        log.log(record("/2", "two"));
        log.close();
        assertThat(lines(file)).hasSize(1).first().asString().contains("\"request_id\":\"two\"");
    }

    // A disabled access log starts no thread and ignores records.
    @Test
    void disabledLogIgnoresRecords() {
        AccessLogWriter log = AccessLogWriter.open(new AccessLog(false, null, null), dataDir, null);
        log.log(record("/x", "x"));
        log.close();
        assertThat(log.dropped()).isZero();
        assertThat(dataDir.resolve(AccessLog.DEFAULT_PATH)).doesNotExist();
    }
}
