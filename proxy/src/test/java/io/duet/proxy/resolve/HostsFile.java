package io.duet.proxy.resolve;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A hosts file the test rewrites (the format of {@code /etc/hosts} and of the JDK's {@code jdk.net.hosts.file}), and a
 * {@link HostResolver} that reads it at every lookup, as the system's resolver reads {@code /etc/hosts}: a name with
 * no line is an unknown host. Rewrites are atomic (a temporary file moved over the old one).
 */
final class HostsFile implements HostResolver {
    private final Path file;

    HostsFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** Replaces the file's content with these lines ({@code "127.0.0.2 api.test"}). */
    HostsFile write(String... lines) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return this;
    }

    @Override
    public List<InetAddress> lookup(String host) throws UnknownHostException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnknownHostException(host + ": hosts file unreadable: " + e.getMessage());
        }
        List<InetAddress> out = new ArrayList<>();
        String wanted = host.toLowerCase(Locale.ROOT);
        for (String line : lines) {
            String[] f = line.replaceFirst("#.*", "").trim().split("\\s+");
            for (int i = 1; i < f.length; i++) {
                if (f[i].toLowerCase(Locale.ROOT).equals(wanted)) {
                    out.add(NameResolution.literal(f[0]).orElseThrow(() -> new IllegalStateException(line)));
                }
            }
        }
        if (out.isEmpty()) {
            throw new UnknownHostException(host + ": Name or service not known");
        }
        return out;
    }
}
