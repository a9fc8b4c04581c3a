package io.duet.admin.message;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalogue's ids are well formed and each is used by one constant (one id, one meaning). */
class AdminMessageTest {
    @Test
    void idsAreUniqueAndWellFormed() {
        Set<String> ids = Arrays.stream(AdminMessage.values()).map(AdminMessage::id).collect(Collectors.toSet());
        assertThat(ids).hasSize(AdminMessage.values().length);
        for (AdminMessage m : AdminMessage.values()) {
            assertThat(m.id()).matches("DUET-ADMIN-\\d{4}");
            assertThat(m.text()).isNotBlank();
        }
    }
}
