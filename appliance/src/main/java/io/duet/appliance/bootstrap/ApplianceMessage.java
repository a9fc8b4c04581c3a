package io.duet.appliance.bootstrap;

/**
 * Every message id the appliance writes that no lower module catalogues, with its one meaning: the node's start and
 * run ({@code DUET-NODE}), the commands ({@code DUET-CLI}) and the cluster commands' own lines. Ids the membership
 * steps write are in {@code io.duet.cluster.message.ClusterMessage}. Each id leads one row of docs/troubleshooting.md
 * or cluster/README.md (MessageIdsTest checks both ways); an id never changes meaning. {@link #toString()} is the id.
 */
public enum ApplianceMessage {
    // The commands, docs/troubleshooting.md.
    CHECK_UNREADABLE("DUET-CLI-0001", "`check`: the file cannot be read (missing, not a file, not UTF-8); exit 2"),
    NO_EXAMPLE("DUET-CLI-0002", "`example`: this build has no example document; exit 3"),
    TLS_FILE_UNREADABLE("DUET-CLI-0003", "`tls check`: a file cannot be read; exit 2"),
    CLUSTER_UNREACHABLE("DUET-CLI-0004", "`config export/import`, `cluster handoff`: the cluster did not "
            + "answer or commit within 10 s (no quorum, no member reachable); exit 3. Every cluster "
            + "command answers within that: `cluster status` and `status` then show what each member said "
            + "of itself and \"no quorum answered\""),
    IMPORT_CONFLICT("DUET-CLI-0005",
            "`config import`: another revision was committed first (nothing changed; repeat the import); exit 1"),
    RELEASE_VIPS_FAILED("DUET-CLI-0008",
            "`cluster release-vips` could not run `ip` (the message has the command and its output); exit 3"),
    RESET_PASSWORD_INVALID("DUET-CLI-0014",
            "`admin reset-password`: the change would make the document invalid; exit 1"),
    BAD_ROLE("DUET-CLI-0015", "`admin reset-password --role` is not admin, operator or viewer; exit 2"),
    BACKUP_FAILED("DUET-CLI-0016", "`backup`: the file could not be written; exit 3 (an unreadable configuration is "
            + "`DUET-CLI-0001`, an unreachable cluster `DUET-CLI-0004`)"),
    RESTORE_REFUSED("DUET-CLI-0017",
            "`restore` refused: the node runs (exit 3), or keys/identity exist without `--force` (exit 2)"),
    NOT_A_BACKUP("DUET-CLI-0018",
            "`restore`: the file is not a Duet backup (or has an entry outside the data directory); exit 2"),
    INTERNAL_ERROR("DUET-CLI-0070", "internal error; exit 70"),

    // Lines of the cluster commands, cluster/README.md.
    LEFTOVER_VIP_RELEASED("DUET-CLUSTER-0048", "`duet cluster release-vips` removed a VIP left on the interface"),
    CLUSTER_CREATED("DUET-CLUSTER-0052", "(appliance, CLI) `duet cluster init` created the cluster CA"),
    CLUSTER_JOINED("DUET-CLUSTER-0053", "(appliance, CLI) `duet cluster join` succeeded"),

    // The node: bootstrap, start, the document, the pair, docs/troubleshooting.md.
    INVALID_BOOTSTRAP_VALUE("DUET-NODE-0001", "a bootstrap value is invalid; names the key and where it was set "
            + "(file or environment variable); every invalid key is listed; exit 2"),
    BOOTSTRAP_UNREADABLE("DUET-NODE-0002", "the bootstrap file cannot be read or parsed; exit 2"),
    UNKNOWN_BOOTSTRAP_KEY("DUET-NODE-0003", "(warning) unknown key in the bootstrap file; ignored"),
    IO_FAILURE("DUET-NODE-0004", "the data directory or a document in it cannot be created, written or opened; exit 3"),
    INVALID_DOCUMENT("DUET-NODE-0005", "the stored configuration document is invalid; its violations follow; exit 1"),
    LISTENER_BIND("DUET-NODE-0006", "a listener could not bind (port in use); exit 3"),
    MANAGEMENT_BIND("DUET-NODE-0007", "the management server could not listen; exit 3"),
    APPLY_FAILED("DUET-NODE-0008", "(log, node keeps running) a committed revision could not be applied; the data "
            + "plane keeps the previous one"),
    DATA_PLANE_FAILED("DUET-NODE-0010", "the data plane failed to start for another reason; exit 3"),
    DEMO_FAILED("DUET-NODE-0011", "the demo backends could not start; exit 3"),
    KEYS_SEALED("DUET-NODE-0012", "(log) private keys or affinity signing keys given in clear were sealed under the "
            + "data key; a new revision was committed"),
    SEAL_FAILED("DUET-NODE-0013",
            "(log) sealing failed, or a certificate's key does not load and stays as given (the data plane says why)"),
    TLS_MATERIAL("DUET-NODE-0014",
            "the data key or the node's self-signed certificate cannot be read or written; exit 3"),
    CLUSTER_FAILED("DUET-NODE-0015", "the cluster member could not start (cluster.members, Raft port in use); exit 3"),
    WITNESS_WITHOUT_MEMBERS("DUET-NODE-0016", "`witness` without cluster.members; exit 2"),
    COMMIT_FAILED("DUET-NODE-0020", "(log/API) the cluster did not commit a revision (no quorum within 10 s)"),
    REVISION_UNDECODABLE("DUET-NODE-0021",
            "(log) a revision from the cluster does not decode; the node keeps serving the previous one"),
    DUTIES_STARTED("DUET-NODE-0022",
            "(log) cluster member duties started: heartbeat period, lease, margin, VIP interface"),
    RETRY_COMMITTED("DUET-NODE-0023", "(log) a proposal whose retry was refused as stale had in fact committed once: "
            + "that revision is this proposal"),
    ADMIN_BIND("DUET-NODE-0024", "the admin listener could not listen (admin.port in use); exit 3"),
    FIRST_ADMIN("DUET-NODE-0025", "(log) the first admin user was created; its password is printed once and is in "
            + "`<data.dir>/admin-password`"),
    NOT_APPLIED_IN_TIME("DUET-NODE-0026",
            "(log) a revision this node proposed was committed but not applied here within 5 s"),
    DATA_DIR_IN_USE("DUET-NODE-0027",
            "another node runs with this data directory (it holds `<data.dir>/node.lock`); exit 3"),
    PRIVATE_FILE_SHARED("DUET-NODE-0040", "(log, warning at start) a file holding the document (password and token "
            + "hashes, sealed keys) can be read by its group or others: `config.file`, its `.orig` and "
            + "`.before-restore-*` copies, the cluster's `last-applied.bin` and `raft/` directory, "
            + "`admin-password`, the backups; says the `chmod` to run (Duet writes them 0600, the Raft directory "
            + "0700; it does not change modes it did not set)"),
    RATE_SHARE_FALLBACK("DUET-NODE-0041", "(log, warning) rate limits: another proxy serves but has not reported its "
            + "admissions for 1 s (partition, overload, its process stopped): this node enforces its share of every "
            + "limit (the limit divided by the proxies serving) until it reports again; also: one period's exchange "
            + "failed"),
    RATE_SHARE_RESTORED("DUET-NODE-0042", "(log) rate limits: every proxy that serves reports again, the limits are "
            + "enforced together");

    private final String id;
    private final String meaning;

    ApplianceMessage(String id, String meaning) {
        this.id = id;
        this.meaning = meaning;
    }

    /** The stable id, e.g. {@code DUET-CLI-0001}. */
    public String id() {
        return id;
    }

    /** What the id means, one line: the meaning cell of its Markdown row. */
    public String meaning() {
        return meaning;
    }

    /** The id, so that a log line or a message starts with it: {@code LOG.info("{} ...", CHECK_UNREADABLE, ...)}. */
    @Override
    public String toString() {
        return id;
    }
}
