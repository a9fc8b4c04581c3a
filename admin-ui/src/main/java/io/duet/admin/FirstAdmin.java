package io.duet.admin;

import io.duet.admin.auth.Passwords;
import io.duet.admin.message.AdminMessage;
import io.duet.config.Admin;
import io.duet.config.AdminRole;
import io.duet.config.AdminUser;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.store.ConfigStore;
import io.duet.config.store.RevisionConflictException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * No default password: when the document has no admin user, the first node to notice creates user {@code admin}
 * with a random password that must be changed at the first login, shows it once and writes it to a file only the
 * service's user can read. Two nodes starting together race with optimistic concurrency: exactly one commit wins,
 * and only the winner shows a password. Blocking (commits); call it off I/O threads.
 */
public final class FirstAdmin {
    public static final String USER = "admin";

    private FirstAdmin() {
    }

    /** What was created: the password (shown once) and the revision that holds its hash. */
    public record Created(String password, long revision, Path file) {
    }

    /**
     * Creates the first admin if nobody exists yet.
     *
     * @return what was created, or null when users exist already (or another node created them first)
     * @throws IllegalStateException the store could not commit (no quorum yet): try again later
     */
    public static Created ensure(ConfigStore store, Path passwordFile) throws IOException {
        DuetConfig cur = store.current();
        if (!cur.admin().users().isEmpty() || cur.revision() == 0) {
            return null;
        }
        String password = Passwords.generate();
        AdminUser admin = new AdminUser(USER, AdminRole.ADMIN.wire(), Passwords.hash(password), true);
        DuetConfig committed;
        try {
            committed = store.propose(cur.withAdmin(new Admin(List.of(admin), cur.admin().apiTokens())),
                    cur.revision(), "duet", "first admin user created (password must be changed at first login)");
        } catch (RevisionConflictException e) {
            return null; // someone else changed the document first: look again next time
        } catch (InvalidConfigException e) {
            throw new IllegalStateException(AdminMessage.FIRST_ADMIN_FAILED.id() + " the first admin user could not be "
                    + "added: " + e.violations(), e);
        }
        io.duet.config.store.PrivateFile.write(passwordFile, ("# The first password of the Duet admin user 'admin' "
                + "(revision " + committed.revision() + "). It must be changed at the first login; delete this file "
                + "afterwards.\n" + password + "\n").getBytes(StandardCharsets.UTF_8));
        return new Created(password, committed.revision(), passwordFile);
    }
}
