package io.duet.proxy.resolve;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The JVM {@link SystemHostResolverTest} starts with {@code -Djdk.net.hosts.file}: with the argument
 * {@code disable-cache} it calls {@link SystemHostResolver#disableJdkCache()} first, as Duet's main does. Then it
 * answers each line read with one line: {@code warning} with the resolver's caching warning (or {@code none}), any
 * other line, a name, with its addresses (comma-separated) or {@code unknown}.
 */
public final class JdkLookupChild {
    private JdkLookupChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("disable-cache")) {
            SystemHostResolver.disableJdkCache();
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String q = line.trim();
            String answer;
            if (q.equals("warning")) {
                String w = SystemHostResolver.INSTANCE.cachingWarning();
                answer = w == null ? "none" : w;
            } else {
                try {
                    answer = SystemHostResolver.INSTANCE.lookup(q).stream().map(InetAddress::getHostAddress)
                            .collect(Collectors.joining(","));
                } catch (UnknownHostException e) {
                    answer = "unknown";
                }
            }
            System.out.println(answer);
            System.out.flush();
        }
    }
}
