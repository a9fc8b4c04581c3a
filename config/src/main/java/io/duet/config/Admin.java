package io.duet.config;

import java.util.List;

/**
 * Who may administer the appliance: users (password login to the admin UI and API) and API tokens (automation).
 * Replicated with the rest of the document, so every node accepts the same logins.
 */
public record Admin(List<AdminUser> users, List<ApiToken> apiTokens) {
    public Admin {
        users = Lists.copy(users);
        apiTokens = Lists.copy(apiTokens);
    }

    public static Admin empty() {
        return new Admin(null, null);
    }

    /** The user with this name, or null. */
    public AdminUser user(String name) {
        for (AdminUser u : users) {
            if (u != null && u.name() != null && u.name().equals(name)) {
                return u;
            }
        }
        return null;
    }
}
