package io.duet.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigMessageTest {

    // Ids are unique and every one of them is documented in the table of this module's README (config/README.md,
    // "Message ids"; docs/troubleshooting.md links there).
    @Test
    void idsAreUniqueAndDocumented() throws Exception {
        assertThat(Arrays.stream(ConfigMessage.values()).map(ConfigMessage::id)).doesNotHaveDuplicates();
        String readme = Files.readString(Path.of("README.md"));
        for (ConfigMessage m : ConfigMessage.values()) {
            assertThat(readme).as(m.name()).contains("| " + m.id() + " |");
        }
        assertThat(readme).contains("| DUET-CONFIG-0409 |");
    }

    // A violation built from a message carries its id, severity and formatted text.
    @Test
    void violationsCarryIdAndSeverity() {
        Violation v = ConfigMessage.OUT_OF_RANGE.at("$.listeners[0].port", "port", 70000, "1-65535");
        assertThat(v).isEqualTo(Violation.error("$.listeners[0].port", "DUET-CONFIG-0012", "port: 70000 (expected: 1-65535)"));
        assertThat(ConfigMessage.UNUSED_POOL.at("$.pools[0]", "p").isError()).isFalse();
    }
}
