package io.duet.cluster.message;

/**
 * Every message id the cluster module writes, with its one meaning: the Raft member and its clients
 * ({@code DUET-CLUSTER}), VIP ownership and actuation, and the membership steps (identity {@code DUET-NODE-0017..0019},
 * the join protocol {@code DUET-JOIN}, the cluster commands' {@code DUET-CLI} failures). Each id leads one row of
 * cluster/README.md or docs/troubleshooting.md (MessageIdsTest checks both ways); an id never changes meaning.
 * {@link #toString()} is the id, so log lines and messages are written {@code LOG.info("{} ...", VIP_CLAIMED, ...)}.
 */
public enum ClusterMessage {
    // The cluster commands (the membership steps behind them), docs/troubleshooting.md.
    STANDALONE("DUET-CLI-0006", "a `cluster` command on a standalone node; exit 2"),
    NOT_ANOTHER_MEMBER("DUET-CLI-0007", "`cluster handoff --node`, `cluster token --node` or `cluster init "
            + "--witness` names a node that is not (another) member; exit 2"),
    ALREADY_MEMBER("DUET-CLI-0010",
            "`cluster init/join` on a node that already has a cluster identity (nothing done); exit 2"),
    OLD_RAFT_LOG("DUET-CLI-0011",
            "`cluster init/join` over a Raft log from before (move `<data.dir>/cluster/raft` away); exit 2"),
    NO_CA_KEY("DUET-CLI-0012", "`cluster token` on the witness (it holds no CA key); exit 2"),
    IDENTITY_WRITE_FAILED("DUET-CLI-0013", "the cluster identity or a token could not be written; exit 3"),

    // The Raft member, its clients, VIP ownership and actuation, the join endpoint, cluster/README.md.
    GROUP_SIZE("DUET-CLUSTER-0001", "a group of another size than 1, 3 or 5 voters"),
    NOT_IN_MEMBERS("DUET-CLUSTER-0002", "this node is not one of the members"),
    MEMBER_STARTED("DUET-CLUSTER-0003",
            "member started (its endpoint, the group, the revision it serves until the cluster answers)"),
    MEMBER_CLOSE_FAILED("DUET-CLUSTER-0004", "a member did not close cleanly"),
    MEMBER_START_FAILED("DUET-CLUSTER-0005",
            "the Raft member could not start (port in use); Ratis's System.exit is disarmed, so the process lives on"),
    LEADER_LEARNED("DUET-CLUSTER-0006",
            "this member learned a new Raft leader: heartbeats (or proposals) go there directly from now on"),
    STALE_REVISION("DUET-CLUSTER-0010", "a proposal based on a revision that is no longer current: nothing committed"),
    SNAPSHOT_LOADED("DUET-CLUSTER-0011", "a snapshot was loaded (term, index, revision)"),
    LAST_APPLIED_WRITE_FAILED("DUET-CLUSTER-0012",
            "the last-applied file could not be written (the revision is committed in the Raft log anyway)"),
    SUBSCRIBER_FAILED("DUET-CLUSTER-0013", "a subscriber failed on a revision (later revisions are still delivered)"),
    LAST_APPLIED_UNREADABLE("DUET-CLUSTER-0014",
            "the last-applied file does not load; the member waits for the cluster"),
    PROPOSAL_FAILED("DUET-CLUSTER-0020",
            "a proposal failed (no quorum within the client's retries, or another Raft error)"),
    NO_ANSWER("DUET-CLUSTER-0021",
            "a read of the cluster (status, the current document) got no answer within the client's bounded retries"),
    VIP_HOLDER_CHANGED("DUET-CLUSTER-0030",
            "the replicated table gave a VIP a new holder, or none (the VIP, from and to, the Raft term and why)"),
    HANDOFF("DUET-CLUSTER-0031", "a node hands its VIPs off (`duet cluster handoff`) or takes VIPs again (`--undo`)"),
    VIP_COMMAND_FAILED("DUET-CLUSTER-0040",
            "an `ip`/`arping` command failed or timed out (5 s); the message has the command and its output"),
    IPV6_NOT_ANNOUNCED("DUET-CLUSTER-0041", "an IPv6 VIP cannot be announced: set "
            + "`net.ipv6.conf.IFACE.ndisc_notify=1` (or install `ndsend`); neighbours learn the move when "
            + "their cache entry expires"),
    VIP_CLAIMED("DUET-CLUSTER-0042", "this node claimed a VIP (Raft term, reason)"),
    VIP_RELEASED("DUET-CLUSTER-0043", "this node released a VIP (Raft term, reason)"),
    FENCED("DUET-CLUSTER-0044",
            "this node fenced itself: its heartbeat was not committed within the lease; its VIPs are dropped"),
    VIP_DRIFT_REPAIRED("DUET-CLUSTER-0045",
            "drift repaired: a VIP removed by hand was added back, or one that should not be here was removed"),
    LEFTOVER_VIP_REMOVED("DUET-CLUSTER-0046", "a VIP left from before this start was removed"),
    AGENT_CHECK_FAILED("DUET-CLUSTER-0047",
            "the agent's periodic check failed unexpectedly (a bug; the next check runs anyway)"),
    GUARDIAN_NOT_STARTED("DUET-CLUSTER-0049", "the VIP guardian could not be started (bash missing?): a killed or "
            + "frozen node's VIPs stay until its next start"),
    NODE_JOINED("DUET-CLUSTER-0050",
            "(appliance, join endpoint) a node joined: its id, role, address, token id, certificate serial"),
    JOIN_REFUSED("DUET-CLUSTER-0051", "(appliance, join endpoint) a join request was refused, with the reason "
            + "(unknown, used, expired or foreign token; malformed; member list differs)"),
    NO_DRAIN_GATE("DUET-CLUSTER-0054",
            "new connections to a VIP cannot be held back (no `nft`): planned moves release without draining"),
    MOVE_UNDONE("DUET-CLUSTER-0055", "a planned move was undone while the VIP drained or was handed over: it stays "
            + "(a VIP handed over answers ARP again and is announced)"),
    VIP_DRAINS("DUET-CLUSTER-0056", "a VIP drains before its planned release (new connections held back, open ones "
            + "end after their response, at most 0.5 s)"),
    VIP_STALLED("DUET-CLUSTER-0057", "a VIP's add or renewal was applied too late to be safe (the node stalled or "
            + "froze in between) and was undone; it is claimed again with the next timely heartbeat"),
    NO_END_NOTICES("DUET-CLUSTER-0058", "the guardian cannot send end notices (no `flock` or no `curl`): after a "
            + "kill -9 this node's VIPs move after lease + margin"),
    NODE_ENDED("DUET-CLUSTER-0059",
            "a node's end was committed (its guardian removed its VIPs and proved it): its VIPs move now"),
    END_NOTICE_RECEIVED("DUET-CLUSTER-0060",
            "(appliance, join endpoint) an end notice was received and is being committed; or its commit failed"),
    END_NOTICE_REFUSED("DUET-CLUSTER-0061", "(appliance, join endpoint) an end notice was refused (malformed, or its "
            + "secret proves nothing; at most one line per 10 s)"),
    LEADERSHIP_ASKED("DUET-CLUSTER-0062",
            "the witness asked the leader to hand leadership over, or the leader did not"),
    STANDS_FOR_ELECTION("DUET-CLUSTER-0063", "after 150 ms of silence the leader's Raft endpoint refused a "
            + "connection (its process is gone), accepted one and did not answer a TLS handshake within "
            + "150 ms (frozen), or accepted none within 100 ms while another member's did (cut off): this "
            + "member stands for election now"),
    CANNOT_HOLD_VIPS("DUET-CLUSTER-0064", "this node cannot hold VIPs: `nft` (nftables) is missing, or the kernel "
            + "refused the VIP gate; it claims none"),
    STUCK_FOLLOWER("DUET-CLUSTER-0065", "a live follower has not caught up for 5 s (its log repair is stuck): the "
            + "leader hands leadership to a caught-up member"),
    VIP_HANDED_OVER("DUET-CLUSTER-0066", "this node hands a VIP over in a planned move: quiet (no ARP) from now, "
            + "serving what reaches it, released 0.5 s after the table names the next holder (at most 3 s)"),
    VIP_RELAYED("DUET-CLUSTER-0067", "this node, the next holder of a VIP handed over, relays to the old holder the "
            + "connections that began there"),
    RELAY_FAILED("DUET-CLUSTER-0068", "the relay of a VIP handed over could not be set up (nftables "
            + "refused, an unusable hardware address): connections that began on the old holder are reset "
            + "when they reach this node"),
    PEER_MESSAGE_REFUSED("DUET-CLUSTER-0069", "a message on the members' peer channel (outside the Raft log) was "
            + "refused or could not be handled: malformed, from a sender its certificate does not name, or a handler "
            + "failed"),

    // The join protocol, docs/troubleshooting.md.
    TOKEN_MALFORMED("DUET-JOIN-0001", "the join token is not a whole `duet-join-v1.` token; exit 2"),
    JOIN_UNREACHABLE("DUET-JOIN-0002",
            "the join endpoint cannot be reached (is the node running, is its join port open?); exit 3"),
    JOIN_WRONG_CLUSTER("DUET-JOIN-0003",
            "the endpoint is not the cluster the token pins (another CA): nothing was sent; exit 3"),
    JOIN_TOKEN_INVALID("DUET-JOIN-0004", "the token is not valid there: unknown, used, expired or for another node "
            + "(the endpoint's log says which); exit 3"),
    JOIN_MEMBERS_DIFFER("DUET-JOIN-0005", "the joining node's cluster.members differ from the cluster's, or it is "
            + "not a member; the token is not used up; exit 3"),
    JOIN_REQUEST_MALFORMED("DUET-JOIN-0006", "(endpoint) malformed join request"),
    JOIN_ANSWER_UNFIT("DUET-JOIN-0008", "the join endpoint's answer does not fit (nothing written); exit 3"),
    JOIN_WRONG_PATH("DUET-JOIN-0009",
            "(endpoint) wrong path (404) or method (405): the join endpoint serves `POST /duet/cluster/join/v1` only"),

    // The node's cluster identity and join endpoint, docs/troubleshooting.md.
    IDENTITY_MISSING("DUET-NODE-0017", "cluster mode without a cluster identity: run `duet cluster init` (first "
            + "node) or `duet cluster join`; exit 2"),
    IDENTITY_UNUSABLE("DUET-NODE-0018", "the cluster identity does not load or does not fit (another node id, not "
            + "from the CA, expired), or `run` on a node that joined as witness; exit 3 (2 for the witness case)"),
    JOIN_BIND_FAILED("DUET-NODE-0019", "the join endpoint could not listen (cluster.join.port in use); exit 3");

    private final String id;
    private final String meaning;

    ClusterMessage(String id, String meaning) {
        this.id = id;
        this.meaning = meaning;
    }

    /** The stable id, e.g. {@code DUET-CLI-0006}. */
    public String id() {
        return id;
    }

    /** What the id means, one line: the meaning cell of its Markdown row. */
    public String meaning() {
        return meaning;
    }

    /** The id, so that a log line or a message starts with it: {@code LOG.info("{} ...", STANDALONE, ...)}. */
    @Override
    public String toString() {
        return id;
    }
}
