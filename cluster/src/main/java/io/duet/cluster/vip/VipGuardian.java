package io.duet.cluster.vip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.duet.cluster.message.ClusterMessage.GUARDIAN_NOT_STARTED;
import static io.duet.cluster.message.ClusterMessage.NO_END_NOTICES;

/**
 * The VIP guardian: a small bash child whose standard input is a pipe from this JVM. It remembers the VIPs it was last
 * told about ({@code vips ...} lines), closes their gates and removes them from the interface when
 * <ul>
 *   <li>the pipe closes, which the kernel does the instant this JVM ends, however it ends (kill -9, OOM killer). Then,
 *       when it was given an {@linkplain EndNotice end notice}, it also tells the other proxies, so that they take
 *       the VIPs over at once instead of after lease + margin (below);</li>
 *   <li>or no line arrived for {@value #SILENCE_S} s: the agent sends {@link #alive} every tick while its lease runs,
 *       so a JVM that is stopped (SIGSTOP), frozen or starved loses its VIPs before its peer's lease + margin runs
 *       out, although it cannot act itself. No notice then: the JVM may still run.</li>
 * </ul>
 * Without it, the kernel of a dead or frozen node keeps answering ARP for VIPs its peer has taken over.
 *
 * <p><b>The end notice is safe to act on</b> because the guardian sends it only after it has removed the VIPs and
 * checked that none is left, and nothing can add one afterwards: the only other thing that adds VIPs is the hold
 * script ({@link IpCommandActuator}), a child of the dead JVM that may still be running. Every hold script takes the
 * {@linkplain #lockFile lock file} and gives up when the file says {@code ended}; the guardian takes the same lock,
 * writes {@code ended}, then removes the VIPs. So a hold script either finished before the removal or changes nothing.
 * The notice proves itself with the process's end secret, which only this JVM and its guardian ever had (given
 * through the pipe, never on a command line): the receiver checks it against the lifetime number of this process's
 * heartbeats ({@link Heartbeat#lifetimeOf}). A partition or a frozen node sends no notice, so nothing a partition
 * does can make a peer claim early.
 *
 * <p>Thread-safe: every method is synchronized.
 */
final class VipGuardian {
    private static final Logger LOG = LoggerFactory.getLogger(VipGuardian.class);
    /** How long the guardian waits for a sign of life before it removes the VIPs itself. */
    static final String SILENCE_S = "0.5";
    /** How long a notice may take to reach a peer (curl's --max-time, seconds). */
    static final int NOTICE_TIMEOUT_S = 2;

    /**
     * Tells the other proxies this process has ended once its VIPs are gone: {@code POST} of "NODE SECRET" to each
     * target (HTTPS, checked against {@code caFile}).
     *
     * @param node    this node's id
     * @param secret  this process's end secret, hex
     * @param targets the peers' end-notice URLs
     * @param caFile  the CA certificate the peers' endpoints are checked against
     */
    record EndNotice(String node, String secret, List<String> targets, Path caFile) {
        EndNotice {
            targets = List.copyOf(targets);
        }
    }

    private final String iface;
    private final List<String> prefix;
    private final Path lockFile;
    private Process process;
    private Writer input;
    private String lastVips;
    private String noticeLine;
    private boolean failureReported;

    /**
     * @param lockFile shared with the hold scripts (see the class comment); null: no lock, and no notice is sent
     */
    VipGuardian(String iface, List<String> prefix, Path lockFile) {
        this.iface = iface;
        this.prefix = List.copyOf(prefix);
        this.lockFile = lockFile;
    }

    /**
     * A new lock file for one guardian and its hold scripts ({@code duet-vip-PID-*.lock} in the temporary directory,
     * 0600), after removing those of processes that are gone; null when {@code flock} is missing or the file cannot be
     * made (then no notice is sent: the peers wait for lease + margin, as without a guardian).
     */
    static Path createLock() {
        if (!onPath("flock")) {
            return null;
        }
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"));
            try (var old = java.nio.file.Files.newDirectoryStream(dir, "duet-vip-*.lock")) {
                for (Path f : old) {
                    String[] parts = f.getFileName().toString().split("-");
                    try {
                        if (parts.length > 3 && ProcessHandle.of(Long.parseLong(parts[2])).isEmpty()) {
                            java.nio.file.Files.deleteIfExists(f);
                        }
                    } catch (NumberFormatException | IOException e) {
                        // not ours, or gone meanwhile
                    }
                }
            }
            return java.nio.file.Files.createTempFile(dir, "duet-vip-" + ProcessHandle.current().pid() + "-", ".lock");
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} no lock file for the VIP guardian ({}): after a kill -9 this node's VIPs move "
                    + "after lease + margin instead of at once", NO_END_NOTICES, e.toString());
            return null;
        }
    }

    static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!d.isEmpty() && java.nio.file.Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

    /** The lock file the hold scripts take, or null. */
    Path lockFile() {
        return lockFile;
    }

    // SIGTERM ignored (and so by ip and curl too): when the JVM dies, systemd stops the rest of the unit's processes
    // with SIGTERM at once, and the guardian must finish (the removal, the notice) first; it exits by itself when the
    // pipe has closed, and a stop that hangs ends with SIGKILL after the unit's TimeoutStopSec.
    private static final String SCRIPT = "trap '' TERM; dev=$1; lock=$2; table=$3; gate=$4; last=; notice=; "
            // The gates first (one transaction: the VIPs stop answering at once), then the addresses.
            + "drop() { nft \"flush set inet $gate live4; flush set inet $gate live6\" >/dev/null 2>&1; "
            + "nft flush set arp \"$gate\" live4 >/dev/null 2>&1; for a in $last; do case $a in "
            + "*:*) ip -6 addr del \"$a/128\" dev \"$dev\" >/dev/null 2>&1 ;; "
            + "*) ip -4 addr del \"$a/32\" dev \"$dev\" >/dev/null 2>&1 ;; esac; done; "
            + "nft delete table inet \"$table\" >/dev/null 2>&1; }; "
            // After the JVM ended: hold scripts stopped (lock + mark), VIPs removed, none left, then the notice.
            + "ended() { [ -n \"$lock\" ] || { drop; return; }; "
            + "exec 9<>\"$lock\" && flock -w 2 9 && echo ended >&9 || { drop; return; }; drop; "
            + "[ -n \"$notice\" ] || return; "
            + "for a in $last; do on=$(ip -o addr show dev \"$dev\" to \"$a\" 2>/dev/null) && [ -z \"$on\" ] || return; done; "
            + "set -- $notice; node=$1; secret=$2; ca=$3; shift 3; "
            + "for u in \"$@\"; do curl -sS -o /dev/null --max-time " + NOTICE_TIMEOUT_S + " --cacert \"$ca\" "
            + "-H 'content-type: text/plain' --data-binary @- \"$u\" <<<\"$node $secret\" & done; wait; }; "
            + "while :; do if IFS= read -r -t " + SILENCE_S + " line; then "
            + "case $line in vips*) last=${line#vips} ;; notice\\ *) notice=${line#notice } ;; esac; "
            + "else rc=$?; if [ $rc -le 128 ]; then ended; exit 0; fi; drop; fi; done";

    /** The VIPs to remove if this process ends or stops: every configured one (called with each change). */
    synchronized void guard(Set<String> addresses) {
        send("vips " + String.join(" ", new TreeSet<>(addresses)));
    }

    /** The agent's sign of life (its lease runs): keeps the guardian from removing the VIPs. */
    synchronized void alive() {
        if (process != null) {
            send("ok");
        }
    }

    /** From now on, the end of this process is announced to the peers (see the class comment). */
    synchronized void notice(EndNotice n) {
        if (lockFile == null || !onPath("curl")) {
            LOG.warn("{} the VIP guardian cannot tell the peers when this process ends ({}): after a "
                    + "kill -9 its VIPs move after lease + margin instead of at once", NO_END_NOTICES,
                    lockFile == null ? "no lock file; needs flock" : "needs curl");
            return;
        }
        noticeLine = "notice " + n.node() + " " + n.secret() + " " + n.caFile() + " " + String.join(" ", n.targets());
        if (process != null) {
            send(noticeLine);
        }
    }

    private void send(String line) {
        try {
            if (process == null || !process.isAlive()) {
                List<String> cmd = new ArrayList<>(prefix);
                cmd.addAll(List.of("bash", "-c", SCRIPT, "duet-vip-guard", iface,
                        lockFile == null ? "" : lockFile.toString(), IpCommandActuator.NFT_TABLE,
                        IpCommandActuator.GATE_TABLE));
                process = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                input = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
                if (noticeLine != null) {
                    input.write(noticeLine + "\n");
                }
                if (!line.startsWith("vips") && lastVips != null) {
                    input.write(lastVips + "\n");
                }
            }
            if (line.startsWith("vips")) {
                lastVips = line;
            }
            input.write(line + "\n");
            input.flush();
        } catch (IOException e) {
            if (!failureReported) {
                failureReported = true;
                LOG.warn("{} cannot run the VIP guardian ({}; needs bash): if this process is killed or "
                        + "frozen, its VIPs stay on {} until the next start or `duet cluster release-vips`",
                        GUARDIAN_NOT_STARTED, e.toString(), iface);
            }
            process = null;
        }
    }

    /** Ends the guardian as if this process had ended (tests of what it does then). */
    synchronized void closeForTest() throws IOException {
        if (input != null) {
            input.close();
        }
    }

    /** The guardian's process, or null (tests). */
    synchronized Process processForTest() {
        return process;
    }
}
