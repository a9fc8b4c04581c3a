package io.duet.admin.api;

import java.util.Locale;

/** The roles of the admin API, weakest first: each may do what the ones before it may. */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    /** The role of a user or token in the document ({@code viewer}, {@code operator}, {@code admin}). */
    public static Role of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The name as the document and the API write it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
