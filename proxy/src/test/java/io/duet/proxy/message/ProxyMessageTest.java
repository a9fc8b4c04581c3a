package io.duet.proxy.message;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyMessageTest {
    @Test
    void theIdIsWhatALogLineOrAMessageShows() {
        assertThat(ProxyMessage.REVISION_APPLIED).hasToString("DUET-PROXY-0100");
        assertThat(ProxyMessage.EDGE_CONNECTION_REJECTED + " connection rejected by the edge")
                .isEqualTo("DUET-EDGE-0001 connection rejected by the edge");
        assertThat(ProxyMessage.HEALTH_UP.id()).isEqualTo("DUET-HEALTH-0001");
    }

    @Test
    void everyConstantHasItsOwnIdOfTheProxysAreasAndAMeaning() {
        assertThat(Arrays.stream(ProxyMessage.values()).map(ProxyMessage::id)).doesNotHaveDuplicates()
                .allMatch(id -> id.matches("DUET-(PROXY|EDGE|HEALTH)-\\d{4}"));
        assertThat(ProxyMessage.values()).allMatch(m -> !m.meaning().isBlank());
    }
}
