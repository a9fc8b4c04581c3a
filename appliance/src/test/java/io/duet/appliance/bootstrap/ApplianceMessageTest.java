package io.duet.appliance.bootstrap;

import io.duet.cluster.message.ClusterMessage;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalogue's shape; that each id has its Markdown row and one constant is MessageIdsTest's (config). */
class ApplianceMessageTest {
    @Test
    void aMessageReadsAsItsIdInLogLinesAndMessages() {
        assertThat(ApplianceMessage.IO_FAILURE.id()).isEqualTo("DUET-NODE-0004");
        assertThat(ApplianceMessage.IO_FAILURE).hasToString("DUET-NODE-0004");
        assertThat(new StartupException(ApplianceMessage.IO_FAILURE.id(), ExitCodes.STARTUP, "cannot create x"))
                .hasMessage("DUET-NODE-0004 cannot create x");
    }

    @Test
    void everyConstantHasAWellFormedIdThatNoOtherCatalogueOfThePairDeclares() {
        assertThat(ApplianceMessage.values()).allSatisfy(m -> {
            assertThat(m.id()).matches("DUET-(NODE|CLI|CLUSTER)-\\d{4}");
            assertThat(m.meaning()).isNotBlank().doesNotContain("\n");
        });
        assertThat(Stream.concat(Arrays.stream(ApplianceMessage.values()).map(ApplianceMessage::id),
                Arrays.stream(ClusterMessage.values()).map(ClusterMessage::id))).doesNotHaveDuplicates();
    }
}
