package io.duet.admin.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.admin.document.Redaction;
import io.duet.admin.message.AdminMessage;
import io.duet.config.Admin;
import io.duet.config.AdminUser;
import io.duet.config.ApiToken;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.Pool;
import io.duet.config.Server;
import io.duet.config.TlsCertificate;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link Change} to a document: the one place where the admin API edits the configuration. Pure: the
 * same document and change give the same result, nothing is committed or recorded here (the caller validates and
 * commits the result). Any thread.
 */
public final class Changes {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The document after a change, whether the change created its element (for 201 against 200), and the summary
     * the history and the audit trail show.
     */
    public record Applied(DuetConfig document, boolean created, String summary) {
    }

    private Changes() {
    }

    /**
     * {@code change} applied to {@code current} (the revision is left as it was: the store numbers commits).
     *
     * @throws ChangeRefused the change does not apply to this document: its element is missing, exists already, or
     *                       the edited document does not read
     */
    public static Applied apply(DuetConfig current, Change change) throws ChangeRefused {
        if (change instanceof Change.SetServerState c) {
            return new Applied(setServerState(current, c), false, "server " + c.pool()
                    + "/" + c.server() + " " + c.state() + (c.drainUntil() == null ? "" : " until " + c.drainUntil()));
        }
        if (change instanceof Change.PutCertificate c) {
            return new Applied(putCertificate(current, c), !c.replace(), "certificate "
                    + c.certificate().name() + (c.replace() ? " replaced" : " added") + " (" + c.subject()
                    + ", until " + c.notAfter() + ")");
        }
        if (change instanceof Change.DeleteCertificate c) {
            List<TlsCertificate> certs = new ArrayList<>(current.certificates());
            if (!certs.removeIf(t -> t != null && c.name().equals(t.name()))) {
                throw notFound("no certificate " + c.name());
            }
            return new Applied(current.withCertificates(certs), false, "certificate " + c.name() + " removed");
        }
        if (change instanceof Change.AddUser c) {
            Admin a = current.admin();
            if (a.user(c.name()) != null) {
                throw new ChangeRefused(ChangeRefused.Reason.EXISTS, AdminMessage.EXISTS, "user " + c.name()
                        + " exists already");
            }
            List<AdminUser> users = new ArrayList<>(a.users());
            users.add(new AdminUser(c.name(), c.role(), c.passwordHash(), true));
            return new Applied(current.withAdmin(new Admin(users, a.apiTokens())), true, "user " + c.name()
                    + " added (" + c.role() + ")");
        }
        if (change instanceof Change.UpdateUser c) {
            return new Applied(replaceUser(current, c.name(), u -> new AdminUser(u.name(),
                    c.role() == null ? u.role() : c.role(), c.passwordHash() == null ? u.passwordHash()
                    : c.passwordHash(), c.passwordHash() != null || u.mustChangePassword())), false, "user "
                    + c.name() + " changed" + (c.role() == null ? "" : " (role " + c.role() + ")")
                    + (c.passwordHash() == null ? "" : " (password reset)"));
        }
        if (change instanceof Change.ChangeOwnPassword c) {
            return new Applied(replaceUser(current, c.name(), u -> new AdminUser(
                    u.name(), u.role(), c.passwordHash(), false)), false, "password of " + c.name() + " changed");
        }
        if (change instanceof Change.DeleteUser c) {
            Admin a = current.admin();
            List<AdminUser> users = new ArrayList<>(a.users());
            if (!users.removeIf(u -> u != null && c.name().equals(u.name()))) {
                throw notFound("no user " + c.name());
            }
            return new Applied(current.withAdmin(new Admin(users, a.apiTokens())), false, "user " + c.name()
                    + " deleted");
        }
        if (change instanceof Change.PutApiToken c) {
            ApiToken t = c.token();
            List<ApiToken> list = new ArrayList<>(current.admin().apiTokens());
            list.add(t);
            return new Applied(current.withAdmin(new Admin(current.admin().users(), list)), true, "API token "
                    + t.id() + " (" + t.name() + ", " + t.role() + ") created, expires "
                    + Instant.ofEpochMilli(t.expiresAt()));
        }
        if (change instanceof Change.RevokeApiToken c) {
            List<ApiToken> list = new ArrayList<>(current.admin().apiTokens());
            if (!list.removeIf(t -> t != null && c.id().equals(t.id()))) {
                throw notFound("no API token " + c.id());
            }
            return new Applied(current.withAdmin(new Admin(current.admin().users(), list)), false, "API token "
                    + c.id() + " revoked");
        }
        if (change instanceof Change.ReplaceDocument c) {
            return new Applied(keepHidden(c.document(), current).withAdmin(
                    current.admin()), false, c.summary());
        }
        if (change instanceof Change.ImportDocument c) {
            return new Applied(keepHidden(c.document(), current).withAdmin(
                    current.admin()), false, c.summary());
        }
        if (change instanceof Change.Rollback c) {
            return new Applied(c.target().withAdmin(current.admin()), false, "rollback to revision "
                    + c.revision());
        }
        if (change instanceof Change.PutPart c) {
            return patch(current, c.path(), c.body().deepCopy());
        }
        if (change instanceof Change.DeletePart c) {
            return patch(current, c.path(), null);
        }
        throw new IllegalArgumentException("not a known change: " + change);
    }

    private static DuetConfig setServerState(DuetConfig cur, Change.SetServerState c) throws ChangeRefused {
        List<Pool> pools = new ArrayList<>();
        boolean found = false;
        for (Pool p : cur.pools()) {
            if (p != null && c.pool().equals(p.name())) {
                List<Server> servers = new ArrayList<>();
                for (Server s : p.servers()) {
                    if (s != null && c.server().equals(s.id())) {
                        found = true;
                        servers.add(new Server(s.id(), s.address(), s.port(), s.weight(), s.backup(), c.state(),
                                c.drainUntil()));
                    } else {
                        servers.add(s);
                    }
                }
                pools.add(p.withServers(servers));
            } else {
                pools.add(p);
            }
        }
        if (!found) {
            throw notFound("no server " + c.server() + " in pool " + c.pool());
        }
        return cur.withPools(pools);
    }

    private static DuetConfig putCertificate(DuetConfig cur, Change.PutCertificate c) throws ChangeRefused {
        String name = c.certificate().name();
        List<TlsCertificate> certs = new ArrayList<>();
        boolean found = false;
        for (TlsCertificate t : cur.certificates()) {
            if (t != null && name.equals(t.name())) {
                found = true;
                certs.add(c.certificate());
            } else {
                certs.add(t);
            }
        }
        if (!c.replace() && found) {
            throw new ChangeRefused(ChangeRefused.Reason.EXISTS, AdminMessage.EXISTS, "certificate " + name
                    + " exists already: PUT /api/v1/certificates/" + name + " replaces it");
        }
        if (c.replace() && !found) {
            throw notFound("no certificate " + name);
        }
        if (!found) {
            certs.add(c.certificate());
        }
        return cur.withCertificates(certs);
    }

    private interface UserEdit {
        AdminUser apply(AdminUser u);
    }

    private static DuetConfig replaceUser(DuetConfig cur, String name, UserEdit edit) throws ChangeRefused {
        AdminUser u = cur.admin().user(name);
        if (u == null) {
            throw notFound("no user " + name);
        }
        List<AdminUser> users = new ArrayList<>();
        for (AdminUser x : cur.admin().users()) {
            users.add(x != u ? x : edit.apply(u));
        }
        return cur.withAdmin(new Admin(users, cur.admin().apiTokens()));
    }

    private static Applied patch(DuetConfig cur, DocumentPath path, JsonNode body)
            throws ChangeRefused {
        boolean exists = body == null || path.existsIn(Redaction.shown(cur));
        ObjectNode doc;
        try {
            doc = (ObjectNode) JSON.readTree(ConfigCodec.encode(cur, ConfigCodec.Format.JSON));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        boolean created = path.patch(doc, body);
        DuetConfig next;
        try {
            next = keepHidden(ConfigCodec.decode(doc.toString(), ConfigCodec.Format.JSON), cur).withAdmin(cur.admin());
        } catch (InvalidConfigException e) {
            throw unreadable(e);
        }
        return new Applied(next, created, path + (body == null ? " removed" : exists ? " changed" : " added"));
    }

    /** A document sent back as it was shown keeps the stored secrets ({@link Redaction#keepHidden}). */
    public static DuetConfig keepHidden(DuetConfig proposed, DuetConfig current) throws ChangeRefused {
        try {
            return Redaction.keepHidden(proposed, current);
        } catch (InvalidConfigException e) {
            throw unreadable(e);
        }
    }

    private static ChangeRefused unreadable(InvalidConfigException e) {
        return new ChangeRefused(ChangeRefused.Reason.INVALID, AdminMessage.INVALID_DOCUMENT, "the document does not "
                + "read: nothing was changed", e.violations());
    }

    private static ChangeRefused notFound(String message) {
        return new ChangeRefused(ChangeRefused.Reason.NOT_FOUND, AdminMessage.NOT_FOUND, message);
    }
}
