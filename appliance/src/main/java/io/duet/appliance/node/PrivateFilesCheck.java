package io.duet.appliance.node;

import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.config.store.PrivateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.duet.appliance.bootstrap.ApplianceMessage.PRIVATE_FILE_SHARED;

/**
 * The start-up check of the files that hold the configuration document (password hashes, API token hashes, sealed
 * keys): the document, its kept original and pre-restore copies, the cluster's copy of it and its Raft log, the
 * first admin's password and the backups. Duet writes all of them 0600 (the Raft directory 0700); one that its group
 * or others may read was made so by someone else, and the node says so once per file at start
 * ({@code DUET-NODE-0040}, a warning: the node does not change modes it did not set).
 *
 * <p>Reads file attributes only; call it off I/O threads.
 */
public final class PrivateFilesCheck {
    private static final Logger log = LoggerFactory.getLogger(PrivateFilesCheck.class);

    private PrivateFilesCheck() {
    }

    /** One file open to others, and what it holds. */
    record Finding(Path path, String mode, boolean directory, String holds) {
        String message() {
            return PRIVATE_FILE_SHARED + " " + path + " is readable by others (mode " + mode + "): it holds " + holds
                    + "; chmod "
                    + (directory ? "700" : "600") + " " + path + " (Duet writes it " + (directory ? "0700" : "0600")
                    + ")";
        }
    }

    /** Logs a warning for every finding; returns them (for tests). */
    public static List<Finding> warn(NodeBootstrap b) {
        List<Finding> found = check(b);
        for (Finding f : found) {
            log.warn(f.message());
        }
        return found;
    }

    /** The files of this node that group or others may read. */
    static List<Finding> check(NodeBootstrap b) {
        String document = "password hashes, API token hashes and sealed keys";
        List<Finding> out = new ArrayList<>();
        Path config = b.configFile();
        file(out, config, document);
        file(out, config.resolveSibling(config.getFileName() + ".orig"), document + " (maybe keys in clear)");
        siblings(out, config, config.getFileName() + ".before-restore-*", document);
        file(out, b.demoConfigFile(), document);
        file(out, b.dataDir().resolve("restored-config.json"), document);
        file(out, b.dataDir().resolve("admin-password"), "the first admin password");
        Path cluster = b.dataDir().resolve("cluster");
        file(out, cluster.resolve("last-applied.bin"), document);
        directory(out, cluster.resolve("raft"), "the Raft log and snapshots: every revision's " + document);
        siblings(out, b.dataDir().resolve("backups").resolve("x"), "*", "the configuration, the data key and "
                + "the cluster identity");
        return out;
    }

    private static void file(List<Finding> out, Path p, String holds) {
        if (Files.isRegularFile(p)) {
            String mode = PrivateFile.sharedMode(p);
            if (mode != null) {
                out.add(new Finding(p, mode, false, holds));
            }
        }
    }

    private static void directory(List<Finding> out, Path p, String holds) {
        if (Files.isDirectory(p)) {
            String mode = PrivateFile.sharedMode(p);
            if (mode != null) {
                out.add(new Finding(p, mode, true, holds));
            }
        }
    }

    /** Files beside {@code sibling} whose names match {@code glob}. */
    private static void siblings(List<Finding> out, Path sibling, String glob, String holds) {
        Path dir = sibling.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path p : files) {
                file(out, p, holds);
            }
        } catch (IOException e) {
            log.debug("cannot list {}: {}", dir, e.toString());
        }
    }
}
