package io.duet.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of admin users and API tokens: names, roles, password hashes, token ids and expiry.
 * Pure; any thread (the {@link ValidationRun} it is given is the caller's alone).
 */
final class AdminRules {
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern ARGON2ID = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=\\d+,t=\\d+,p=\\d+\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+");
    private static final Pattern HEX16 = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private AdminRules() {
    }

    static void admin(ValidationRun run, Admin a) {
        Map<String, String> names = new HashMap<>();
        boolean anAdmin = false;
        for (int i = 0; i < a.users().size(); i++) {
            String p = "$.admin.users[" + i + "]";
            AdminUser u = a.users().get(i);
            if (u == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(p, "users[" + i + "]", "a user"));
                continue;
            }
            if (u.name() == null || !USER_NAME.matcher(u.name()).matches()) {
                run.add(ConfigMessage.INVALID_TOKEN.at(p + ".name", "name", String.valueOf(u.name()),
                        "1-64 of A-Z a-z 0-9 . _ @ -"));
            } else {
                String other = names.putIfAbsent(u.name().toLowerCase(Locale.ROOT), p);
                if (other != null) {
                    run.add(ConfigMessage.DUPLICATE_NAME.at(p + ".name", "name", u.name(), other,
                            "user names (case-insensitive)"));
                }
            }
            AdminRole role = AdminRole.from(u.role());
            if (role == null) {
                run.add(ConfigMessage.NOT_ONE_OF.at(p + ".role", "role", u.role(),
                        String.join(", ", AdminRole.wires())));
            } else if (role == AdminRole.ADMIN) {
                anAdmin = true;
            }
            if (u.passwordHash() == null || !ARGON2ID.matcher(u.passwordHash()).matches()) {
                run.add(ConfigMessage.NOT_ARGON2ID.at(p + ".passwordHash"));
            }
        }
        if (!a.users().isEmpty() && !anAdmin) {
            run.add(ConfigMessage.NO_ADMIN_USER.at("$.admin.users"));
        }
        Map<String, String> ids = new HashMap<>();
        for (int i = 0; i < a.apiTokens().size(); i++) {
            String p = "$.admin.apiTokens[" + i + "]";
            ApiToken t = a.apiTokens().get(i);
            if (t == null) {
                run.add(ConfigMessage.NULL_ELEMENT.at(p, "apiTokens[" + i + "]", "an API token"));
                continue;
            }
            if (t.id() == null || !HEX16.matcher(t.id()).matches()) {
                run.add(ConfigMessage.INVALID_TOKEN.at(p + ".id", "id", String.valueOf(t.id()), "16 hex digits"));
            } else {
                String other = ids.putIfAbsent(t.id(), p);
                if (other != null) {
                    run.add(ConfigMessage.DUPLICATE_NAME.at(p + ".id", "id", t.id(), other, "token ids"));
                }
            }
            if (AdminRole.from(t.role()) == null) {
                run.add(ConfigMessage.NOT_ONE_OF.at(p + ".role", "role", t.role(),
                        String.join(", ", AdminRole.wires())));
            }
            if (t.sha256() == null || !HEX64.matcher(t.sha256()).matches()) {
                run.add(ConfigMessage.INVALID_TOKEN.at(p + ".sha256", "sha256", "(hidden)",
                        "the hex SHA-256 of the token"));
            }
            if (t.expires() != null && t.created() != null && (t.expires() <= t.created()
                    || t.expires() - t.created() > ApiToken.MAX_DAYS * ApiToken.DAY_MS)) {
                run.add(ConfigMessage.TOKEN_EXPIRY.at(p + ".expires", ApiToken.MAX_DAYS));
            }
        }
    }
}
