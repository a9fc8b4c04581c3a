package io.duet.appliance.cli;

import io.duet.appliance.bootstrap.ApplianceMessage;
import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.bootstrap.ExitCodes;
import io.duet.appliance.bootstrap.Membership;
import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.StartupException;
import io.duet.appliance.bootstrap.Version;
import io.duet.appliance.node.DataDirLock;
import io.duet.cluster.membership.ClusterIdentity;
import io.duet.cluster.raft.ClusterClient;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** The operator's everyday commands: {@code duet version}, {@code duet status}, {@code duet backup}, {@code duet restore}. */
final class OpsCommands {
    static final String BACKUP_FAILED = ApplianceMessage.BACKUP_FAILED.id();
    static final String RESTORE_REFUSED = ApplianceMessage.RESTORE_REFUSED.id();
    static final String NOT_A_BACKUP = ApplianceMessage.NOT_A_BACKUP.id();
    /** What a backup holds under the data directory: the data key and the cluster identity (CA, member keys). */
    static final List<String> DATA_PARTS = List.of("keys", "cluster/tls");
    static final String FORMAT = "duet-backup-v1";
    private static final long MAX_BACKUP_ENTRY = 64L * 1024 * 1024;

    private OpsCommands() {
    }

    static NodeBootstrap bootstrap(DuetCommand root, Path config) throws StartupException {
        return BootstrapReader.read(config, root.defaultBootstrapFile(), root.environment());
    }

    /** {@code duet version}. */
    @Command(name = "version", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Print the version of Duet and of the Java runtime it runs on.")
    static final class VersionCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (String line : new Version().getVersion()) {
                out.println(line);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code duet status}: is this node running, what does it serve, and (cluster mode) how is the cluster. */
    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Show whether this node runs, the configuration revision it has, and the cluster's state.",
            description = {"%nAsks the node's management server (management.address:management.port /healthz) "
                    + "whether the node answers, reads the configuration revision (the cluster's, through its "
                    + "leader, in cluster mode; else config.file), and in cluster mode prints `duet cluster status`. "
                    + "Exit code 0 when the node answers (and the cluster has a leader), 3 otherwise."})
    static final class StatusCommand implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "The node bootstrap file.")
        Path config;
        @ParentCommand
        DuetCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException {
            NodeBootstrap b = bootstrap(parent, config);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("node %s (%s); data in %s; bootstrap: %s%n", b.nodeId(), b.clustered() ? "cluster member of "
                    + b.clusterMembers().keySet() : "standalone", b.dataDir(), b.source());
            String health = health(b);
            boolean running = health == null;
            ClusterClient.View view = null;
            String clusterProblem = null;
            if (b.clustered()) {
                try (ClusterClient c = ClusterClient.connect(b.clusterMembers(), Membership.step(() -> ClusterIdentity.forTools(b.site())))) {
                    view = c.status(b.clusterMembers());
                } catch (IOException | RuntimeException e) {
                    clusterProblem = e.getMessage();
                }
            }
            // A witness runs only its Raft member: no data plane, no management server. Its member answering is its
            // sign of life.
            // A witness sends no heartbeats (it holds no VIPs): a member that answers without any is one.
            boolean memberAnswers = view != null && view.problem() == null
                    && !view.heartbeatAgeMs().containsKey(b.nodeId())
                    && view.members().stream().anyMatch(m -> m.id().equals(b.nodeId()) && m.reachable());
            if (running) {
                out.println("process: running (management server answered on port " + b.managementPort() + ")");
            } else if (memberAnswers) {
                out.println("process: running (a witness: its Raft member answered on "
                        + b.clusterMembers().get(b.nodeId()) + "; a witness has no management server)");
            } else {
                out.println("process: not answering (" + health + ")");
            }
            boolean ok = running || memberAnswers;
            if (b.clustered()) {
                if (view != null) {
                    out.println(view.problem() == null ? "configuration: revision " + view.revision()
                            + " (the cluster's)" : "configuration: the cluster did not answer");
                    ClusterCommand.Status.print(view, out);
                    ok &= view.leader() != null;
                } else {
                    out.println("cluster: did not answer (" + clusterProblem + ")");
                    ok = false;
                }
            } else {
                try {
                    out.println("configuration: revision " + ConfigCommand.inForce(b).revision() + " in "
                            + b.configFile());
                } catch (StartupException e) {
                    out.println("configuration: " + e.getMessage());
                    ok = false;
                }
            }
            out.flush();
            return ok ? ExitCodes.OK : ExitCodes.STARTUP;
        }

        /** Null when the node's management server answers /healthz with 200; else why not. */
        static String health(NodeBootstrap b) {
            String host = b.managementAddress();
            if (NodeBootstrap.isWildcard(host)) {
                host = "127.0.0.1";
            }
            if (host.contains(":") && !host.startsWith("[")) {
                host = "[" + host + "]";
            }
            try {
                HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                        HttpRequest.newBuilder(URI.create("http://" + host + ":" + b.managementPort() + "/healthz"))
                                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 ? null : "HTTP " + r.statusCode() + " from " + host + ":"
                        + b.managementPort();
            } catch (IOException e) {
                return "nothing answered on " + host + ":" + b.managementPort() + ": " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
    }

    /** {@code duet backup}: configuration, keys and cluster identity in one file. */
    @Command(name = "backup", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Write this node's configuration, keys and cluster identity to one file (0600).",
            description = {"%nThe file (a zip) holds: the configuration document in force (the cluster's in cluster "
                    + "mode), the node bootstrap file, <data.dir>/keys (the data key that seals private keys) and "
                    + "<data.dir>/cluster/tls (the cluster CA and this member's certificate and sealed keys). It "
                    + "contains secrets: keep it like a private key. The node may run. `duet restore FILE` puts it "
                    + "back on a stopped node (a rebuilt machine)."})
    static final class Backup implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE",
                description = "Where to write it. Default: <data.dir>/backups/duet-backup-<node>-<UTC time>.zip.")
        Path output;
        @Option(names = "--config", paramLabel = "FILE", description = "The node bootstrap file.")
        Path config;
        @ParentCommand
        DuetCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException {
            NodeBootstrap b = bootstrap(parent, config);
            PrintWriter out = spec.commandLine().getOut();
            DuetConfig inForce = ConfigCommand.inForce(b);
            String document = ConfigCodec.encode(inForce, ConfigCodec.Format.JSON);
            long revision = inForce.revision();
            Instant now = Instant.now();
            Path file = output != null ? output : b.dataDir().resolve("backups").resolve("duet-backup-" + b.nodeId()
                    + "-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now)
                    + ".zip");
            Path bootstrapFile = config != null ? config : parent.defaultBootstrapFile();
            boolean withBootstrap = Files.isReadable(bootstrapFile);
            int files = 0;
            try {
                Path dir = file.toAbsolutePath().getParent();
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, ".duet-backup", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                    Properties meta = new Properties();
                    meta.setProperty("format", FORMAT);
                    meta.setProperty("node.id", b.nodeId());
                    meta.setProperty("mode", b.clustered() ? "cluster" : "standalone");
                    meta.setProperty("revision", Long.toString(revision));
                    meta.setProperty("created", now.toString());
                    meta.setProperty("duet.version", Version.current());
                    zip.putNextEntry(new ZipEntry("duet-backup.properties"));
                    meta.store(zip, "Duet backup: configuration, keys, cluster identity");
                    zip.closeEntry();
                    zip.putNextEntry(new ZipEntry("config.json"));
                    zip.write(document.getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                    if (withBootstrap) {
                        zip.putNextEntry(new ZipEntry("bootstrap/duet.properties"));
                        Files.copy(bootstrapFile, zip);
                        zip.closeEntry();
                    }
                    for (String part : DATA_PARTS) {
                        Path from = b.dataDir().resolve(part);
                        if (!Files.isDirectory(from)) {
                            continue;
                        }
                        List<Path> all;
                        try (Stream<Path> walk = Files.walk(from)) {
                            all = walk.filter(Files::isRegularFile).sorted().toList();
                        }
                        for (Path f : all) {
                            zip.putNextEntry(new ZipEntry("data/" + b.dataDir().relativize(f).toString()
                                    .replace('\\', '/')));
                            Files.copy(f, zip);
                            zip.closeEntry();
                            files++;
                        }
                    }
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new StartupException(BACKUP_FAILED, ExitCodes.STARTUP, "cannot write " + file + ": " + e, e);
            }
            out.println("backup of node " + b.nodeId() + " written to " + file + " (0600): configuration revision "
                    + revision + ", " + files + " key and identity files" + (withBootstrap ? ", bootstrap "
                    + bootstrapFile : "") + ". It holds secrets: keep it like a private key.");
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code duet restore FILE}: puts a backup back on a stopped node. */
    @Command(name = "restore", mixinStandardHelpOptions = true, versionProvider = Version.class,
            header = "Restore a backup (keys, cluster identity, configuration) onto this stopped node.",
            description = {"%nFor a rebuilt machine: install the package, restore, start. Writes <data.dir>/keys and "
                    + "<data.dir>/cluster/tls from the backup (files 0600). Standalone, the backup's configuration "
                    + "becomes config.file; in cluster mode the cluster keeps the document (the node catches up "
                    + "when it starts), and the backup's copy is written to <data.dir>/restored-config.json for "
                    + "`duet config import` should every member have lost it. The backup's bootstrap file is written "
                    + "to <data.dir>/restored-duet.properties to compare with yours. Refused while the node runs; "
                    + "refused over existing keys or identity unless --force (they are then kept as "
                    + "*.before-restore-<time>)."})
    static final class Restore implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The backup written by `duet backup`.")
        Path file;
        @Option(names = "--force", description = "Replace existing keys and cluster identity (kept aside).")
        boolean force;
        @Option(names = "--config", paramLabel = "FILE", description = "The node bootstrap file.")
        Path config;
        @ParentCommand
        DuetCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws StartupException {
            NodeBootstrap b = bootstrap(parent, config);
            PrintWriter out = spec.commandLine().getOut();
            List<Entry> entries = read(file);
            Entry meta = entries.stream().filter(e -> e.name().equals("duet-backup.properties")).findFirst()
                    .orElseThrow(() -> new StartupException(NOT_A_BACKUP, ExitCodes.USAGE, file
                            + " is not a Duet backup (no duet-backup.properties)"));
            Properties p = new Properties();
            try {
                p.load(new java.io.ByteArrayInputStream(meta.bytes()));
            } catch (IOException e) {
                throw new StartupException(NOT_A_BACKUP, ExitCodes.USAGE, file + ": " + e.getMessage(), e);
            }
            if (!FORMAT.equals(p.getProperty("format"))) {
                throw new StartupException(NOT_A_BACKUP, ExitCodes.USAGE, file + " has format "
                        + p.getProperty("format") + "; this Duet reads " + FORMAT);
            }
            try {
                Files.createDirectories(b.dataDir());
            } catch (IOException e) {
                throw new StartupException(RESTORE_REFUSED, ExitCodes.STARTUP, "cannot create " + b.dataDir(), e);
            }
            try (DataDirLock lock = lockOrRefuse(b)) {
                String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                        .format(Instant.now());
                for (String part : DATA_PARTS) {
                    Path existing = b.dataDir().resolve(part);
                    boolean inBackup = entries.stream().anyMatch(e -> e.name().startsWith("data/" + part + "/"));
                    if (inBackup && Files.exists(existing)) {
                        if (!force) {
                            throw new StartupException(RESTORE_REFUSED, ExitCodes.USAGE, existing + " exists: this "
                                    + "node has keys or a cluster identity already; add --force to replace them "
                                    + "(the current ones are kept aside)");
                        }
                        Files.move(existing, existing.resolveSibling(existing.getFileName() + ".before-restore-"
                                + stamp));
                    }
                }
                int files = 0;
                for (Entry e : entries) {
                    if (e.name().startsWith("data/")) {
                        writePrivate(b.dataDir().resolve(e.name().substring("data/".length())), e.bytes());
                        files++;
                    }
                }
                Entry doc = entries.stream().filter(e -> e.name().equals("config.json")).findFirst().orElse(null);
                String where = "";
                if (doc != null) {
                    if (b.clustered()) {
                        writePrivate(b.dataDir().resolve("restored-config.json"), doc.bytes());
                        where = "; the configuration (revision " + p.getProperty("revision") + ") is in "
                                + b.dataDir().resolve("restored-config.json") + ": the cluster keeps its own, `duet "
                                + "config import` it only if every member lost theirs";
                    } else {
                        if (Files.exists(b.configFile())) {
                            // The copy is as private as the document (Files.copy would give it the umask's mode).
                            writePrivate(b.configFile().resolveSibling(b.configFile().getFileName()
                                    + ".before-restore-" + stamp), Files.readAllBytes(b.configFile()));
                        }
                        writePrivate(b.configFile(), doc.bytes());
                        where = "; configuration revision " + p.getProperty("revision") + " is " + b.configFile();
                    }
                }
                Entry boot = entries.stream().filter(e -> e.name().equals("bootstrap/duet.properties")).findFirst()
                        .orElse(null);
                if (boot != null) {
                    writePrivate(b.dataDir().resolve("restored-duet.properties"), boot.bytes());
                    where += "; the backup's bootstrap file is " + b.dataDir().resolve("restored-duet.properties")
                            + " (compare it with yours)";
                }
                out.println("restored the backup of node " + p.getProperty("node.id") + " (" + p.getProperty("created")
                        + ", Duet " + p.getProperty("duet.version") + "): " + files + " key and identity files under "
                        + b.dataDir() + where + ". Start the node now.");
                if (!p.getProperty("node.id", "").equals(b.nodeId())) {
                    out.println("note: this node is " + b.nodeId() + ", the backup is of " + p.getProperty("node.id")
                            + ": set node.id to match before starting, or its cluster identity will not fit");
                }
                out.flush();
                return ExitCodes.OK;
            } catch (IOException e) {
                throw new StartupException(RESTORE_REFUSED, ExitCodes.STARTUP, "restoring into " + b.dataDir()
                        + " failed: " + e, e);
            }
        }

        private static DataDirLock lockOrRefuse(NodeBootstrap b) throws StartupException, IOException {
            DataDirLock lock = DataDirLock.tryAcquire(b.dataDir());
            if (lock == null) {
                throw new StartupException(RESTORE_REFUSED, ExitCodes.STARTUP, "a Duet node is running with "
                        + b.dataDir() + ": stop it first (systemctl stop duet)");
            }
            return lock;
        }
    }

    record Entry(String name, byte[] bytes) {
    }

    /** Reads every entry; refuses names that would leave the data directory and oversized entries. */
    static List<Entry> read(Path file) throws StartupException {
        List<Entry> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String n = e.getName();
                if (e.isDirectory()) {
                    continue;
                }
                if (n.startsWith("/") || n.contains("\\") || Path.of(n).normalize().startsWith("..")
                        || List.of(n.split("/")).contains("..")) {
                    throw new StartupException(NOT_A_BACKUP, ExitCodes.USAGE, file + " has an entry outside the "
                            + "data directory: " + n);
                }
                byte[] bytes = zip.readNBytes((int) MAX_BACKUP_ENTRY + 1);
                if (bytes.length > MAX_BACKUP_ENTRY) {
                    throw new StartupException(NOT_A_BACKUP, ExitCodes.USAGE, file + ": entry " + n + " is too large");
                }
                out.add(new Entry(n, bytes));
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new StartupException(CheckCommand.UNREADABLE, ExitCodes.USAGE, "cannot read " + file
                    + ": no such file");
        } catch (IOException e) {
            throw new StartupException(NOT_A_BACKUP, ExitCodes.USAGE, file + " is not a readable backup: " + e, e);
        }
        return out;
    }

    private static void writePrivate(Path target, byte[] bytes) throws IOException {
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        }
        io.duet.config.store.PrivateFile.write(target, bytes);
    }
}
