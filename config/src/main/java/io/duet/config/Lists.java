package io.duet.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Copies lists into records: null becomes empty; null elements are kept so the validator can name them. */
final class Lists {
    private Lists() {
    }

    static <T> List<T> copy(List<T> in) {
        if (in == null || in.isEmpty()) {
            return List.of();
        }
        // List.copyOf rejects null elements; the validator must see them to report their paths.
        return Collections.unmodifiableList(new ArrayList<>(in));
    }
}
