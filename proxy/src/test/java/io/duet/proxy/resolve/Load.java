package io.duet.proxy.resolve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Several client threads sending GET requests through the proxy back to back (keep-alive), counting what each
 * backend answered and every failure: an exception or a status other than 200.
 */
final class Load implements AutoCloseable {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder sent = new LongAdder();
    private final Map<String, AtomicInteger> byBackend = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    private Load(URI uri, int clients) {
        this.uri = uri;
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(this::run, "load-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    static Load start(int port, int clients) {
        return new Load(URI.create("http://127.0.0.1:" + port + "/x"), clients);
    }

    private void run() {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
        while (running) {
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    failures.add(r.statusCode() + " " + r.body());
                } else {
                    byBackend.computeIfAbsent(r.headers().firstValue("X-Backend").orElse("?"),
                            k -> new AtomicInteger()).incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failures.add(e.toString());
            }
            sent.increment();
        }
    }

    /** Requests completed (answered or failed). */
    long sent() {
        return sent.sum();
    }

    /** Requests answered 200 by this backend. */
    int answeredBy(String backend) {
        AtomicInteger n = byBackend.get(backend);
        return n == null ? 0 : n.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops the clients and waits for their last requests. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(15_000);
        }
    }
}
