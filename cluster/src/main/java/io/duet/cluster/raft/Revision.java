package io.duet.cluster.raft;

/**
 * One committed revision of the replicated document.
 *
 * @param revision  1, 2, ... (0: nothing committed yet)
 * @param document  the document's bytes, opaque here (JSON for the appliance)
 * @param author    who proposed it
 * @param time      when the Raft leader accepted the proposal (the leader's clock, epoch ms)
 * @param summary   a one-line description for history and audit
 */
public record Revision(long revision, byte[] document, String author, long time, String summary) {
    public static final Revision NONE = new Revision(0, new byte[0], "", 0, "");

    @Override
    public String toString() {
        return "Revision[" + revision + " by " + author + ", " + document.length + " bytes: " + summary + "]";
    }
}
