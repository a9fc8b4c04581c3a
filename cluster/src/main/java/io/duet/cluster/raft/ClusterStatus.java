package io.duet.cluster.raft;

import java.util.List;

/**
 * One member's view of the group, for `duet cluster status` and metrics.
 *
 * @param node            this member
 * @param role            LEADER, FOLLOWER, CANDIDATE (or LISTENER)
 * @param leader          the leader's id, or null while there is none
 * @param term            the current Raft term
 * @param commitIndex     the last committed log index this member knows
 * @param appliedIndex    the last log index it applied
 * @param appliedRevision the document revision it serves
 * @param members         every voter
 */
public record ClusterStatus(String node, String role, String leader, long term, long commitIndex, long appliedIndex,
                            long appliedRevision, List<String> members) {
}
