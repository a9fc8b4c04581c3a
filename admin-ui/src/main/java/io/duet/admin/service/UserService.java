package io.duet.admin.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.admin.api.ApiError;
import io.duet.admin.api.Http;
import io.duet.admin.api.Request;
import io.duet.admin.auth.Passwords;
import io.duet.admin.change.Change;
import io.duet.admin.message.AdminMessage;
import io.duet.config.AdminUser;
import io.duet.config.Violation;
import io.duet.config.store.ConfigStore;
import io.undertow.server.HttpServerExchange;

import java.util.List;

/**
 * The users of the admin API: list, create (with a one-time password when none is given), change role or reset the
 * password, delete (not oneself). Password hashes never leave. Thread-safe.
 */
final class UserService {
    private final ConfigStore store;
    private final Committer committer;

    UserService(ConfigStore store, Committer committer) {
        this.store = store;
        this.committer = committer;
    }

    void list(Request r) throws Exception {
        ArrayNode out = Http.JSON.createArrayNode();
        for (AdminUser u : store.current().admin().users()) {
            out.addObject().put("name", u.name()).put("role", u.role()).put("mustChangePassword",
                    u.mustChangePassword());
        }
        Http.send(r.exchange(), 200, out);
    }

    void create(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        JsonNode body = Http.body(ex);
        String name = Http.text(body, "name");
        String role = Http.text(body, "role");
        String given = Http.optionalText(body, "password");
        String password = given != null ? given : Passwords.generate();
        if (given != null) {
            refuseWeak(name, given);
        }
        Committer.Committed c = committer.targeted(r, new Change.AddUser(name, role, Passwords.hash(password)));
        ObjectNode o = Http.JSON.createObjectNode().put("name", name).put("role", role).put("mustChangePassword", true)
                .put("revision", c.revision());
        if (given == null) {
            o.put("password", password); // shown this once; the user must change it at the first login
        }
        Http.send(ex, 201, o);
    }

    void update(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        String name = r.param("name");
        JsonNode body = Http.body(ex);
        String role = Http.optionalText(body, "role");
        String password = Http.optionalText(body, "password");
        if (password != null) {
            refuseWeak(name, password);
        }
        String hash = password == null ? null : Passwords.hash(password);
        Committer.Committed c = committer.targeted(r, new Change.UpdateUser(name, role, hash));
        AdminUser u = c.document().admin().user(name);
        Http.send(ex, 200, Http.JSON.createObjectNode().put("name", u.name()).put("role", u.role())
                .put("mustChangePassword", u.mustChangePassword()).put("revision", c.revision()));
    }

    void delete(Request r) throws Exception {
        String name = r.param("name");
        if (name.equals(r.caller().name())) {
            throw new ApiError(409, AdminMessage.SELF_DELETE, "you cannot delete yourself: another admin can");
        }
        committer.targeted(r, new Change.DeleteUser(name));
        Http.noContent(r.exchange());
    }

    private static void refuseWeak(String name, String password) throws ApiError {
        String weak = Passwords.weakness(name, password, null);
        if (weak != null) {
            throw new ApiError(422, AdminMessage.WEAK_PASSWORD, "the password is too weak (expected: " + weak + ")",
                    List.of(Violation.error("$.password", AdminMessage.WEAK_PASSWORD.id(), "password: expected "
                            + weak)));
        }
    }
}
