package io.duet.cluster.message;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalogue's shape; that each id has its Markdown row and one constant is MessageIdsTest's (config). */
class ClusterMessageTest {
    @Test
    void aMessageReadsAsItsIdInLogLinesAndMessages() {
        assertThat(ClusterMessage.VIP_CLAIMED.id()).isEqualTo("DUET-CLUSTER-0042");
        assertThat(ClusterMessage.VIP_CLAIMED).hasToString("DUET-CLUSTER-0042");
        assertThat(ClusterMessage.VIP_COMMAND_FAILED + " `ip` failed").isEqualTo("DUET-CLUSTER-0040 `ip` failed");
        assertThat(org.slf4j.helpers.MessageFormatter.arrayFormat("{} node {} claimed VIP {}",
                new Object[] {ClusterMessage.VIP_CLAIMED, "a", "10.0.0.1"}).getMessage())
                .isEqualTo("DUET-CLUSTER-0042 node a claimed VIP 10.0.0.1");
    }

    @Test
    void everyConstantHasAWellFormedUniqueIdAndOneLineOfMeaning() {
        assertThat(ClusterMessage.values()).allSatisfy(m -> {
            assertThat(m.id()).matches("DUET-(CLUSTER|JOIN|NODE|CLI)-\\d{4}");
            assertThat(m.meaning()).isNotBlank().doesNotContain("\n");
        });
        assertThat(Arrays.stream(ClusterMessage.values()).map(ClusterMessage::id)).doesNotHaveDuplicates();
    }
}
