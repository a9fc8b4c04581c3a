package io.duet.admin.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.admin.api.ApiError;
import io.duet.admin.api.Http;
import io.duet.admin.api.Request;
import io.duet.admin.change.Change;
import io.duet.admin.change.Changes;
import io.duet.admin.document.JsonDiff;
import io.duet.admin.document.Redaction;
import io.duet.admin.message.AdminMessage;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;
import io.duet.config.SourceLines;
import io.duet.config.Violation;
import io.duet.config.store.ConfigStore;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The configuration document as a whole: read, validate (with the diff), replace, history, one revision, diff of
 * two, rollback, export and import. Every answer is redacted ({@link Redaction}). Thread-safe.
 */
final class ConfigService {
    private final ConfigStore store;
    private final Committer committer;

    ConfigService(ConfigStore store, Committer committer) {
        this.store = store;
        this.committer = committer;
    }

    void get(Request r) throws Exception {
        DuetConfig cur = store.current();
        Http.etag(r.exchange(), cur.revision());
        DocumentFormat.send(r.exchange(), Redaction.shown(cur));
    }

    /** PUT: the whole document (but users and tokens), against the revision of If-Match (required). */
    void put(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        String ifMatch = Http.ifMatch(ex);
        if (ifMatch == null) {
            throw new ApiError(428, AdminMessage.IF_MATCH, "If-Match is required: send the ETag of the revision you "
                    + "edited (GET " + Http.PREFIX + "/config), so a concurrent edit is never overwritten");
        }
        long base = Http.revisionOf(ifMatch);
        DuetConfig proposed = decode(ex);
        Committer.Committed c = committer.at(new Change.ReplaceDocument(proposed, Http.summary(ex,
                "edited through the API")), base, r.caller());
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("revision", c.revision());
        // Warnings do not block a commit; the caller sees them here as well as at validate.
        o.set("warnings", Http.JSON.valueToTree(store.validate(c.document()).stream()
                .filter(v -> !v.isError()).toList()));
        Http.etag(ex, c.revision());
        Http.send(ex, 200, o);
    }

    /** What a PUT would find (certificate material included) and the diff against the current document. */
    void validate(Request r) throws Exception {
        DuetConfig cur = store.current();
        String text = text(r.exchange());
        ConfigCodec.Format format = DocumentFormat.ofBody(r.exchange());
        DuetConfig proposed = Changes.apply(cur, new Change.ReplaceDocument(decode(text, format), null)).document();
        List<Violation> v = store.validate(proposed);
        SourceLines lines = ConfigCodec.lines(text, format);
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("valid", v.stream().noneMatch(Violation::isError));
        ArrayNode violations = o.putArray("violations");
        for (Violation x : v) {
            // The line of the sent text where the path (or the nearest object holding it) starts, for an editor.
            violations.add(Http.JSON.<ObjectNode>valueToTree(x).put("line", lines.lineOf(x.path())));
        }
        o.set("diff", Http.JSON.valueToTree(JsonDiff.diff(Redaction.shown(store.current()),
                Redaction.shown(proposed.withRevision(store.current().revision())))));
        Http.send(r.exchange(), 200, o);
    }

    void history(Request r) throws Exception {
        ArrayNode out = Http.JSON.createArrayNode();
        for (ConfigStore.Commit k : store.commits()) {
            ObjectNode o = out.addObject();
            o.put("revision", k.config().revision());
            o.put("author", k.author());
            o.put("timeMs", k.timeMs());
            o.put("summary", k.summary());
        }
        Http.send(r.exchange(), 200, out);
    }

    void revision(Request r) throws Exception {
        long n;
        try {
            n = Long.parseLong(r.param("revision"));
        } catch (NumberFormatException e) {
            throw new ApiError(404, AdminMessage.NOT_FOUND, "no such revision");
        }
        DocumentFormat.send(r.exchange(), Redaction.shown(revision(n)));
    }

    void diff(Request r) throws Exception {
        long from = Http.longParam(r.exchange(), "from");
        long to = Http.longParam(r.exchange(), "to");
        // The revision number itself always differs: not a change worth a line.
        Http.send(r.exchange(), 200, Http.JSON.valueToTree(JsonDiff.diff(Redaction.shown(revision(from)),
                Redaction.shown(revision(to).withRevision(from)))));
    }

    void rollback(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        JsonNode body = Http.body(ex);
        if (body.get("revision") == null || !body.get("revision").canConvertToLong()) {
            throw new ApiError(400, AdminMessage.MALFORMED, "expected {\"revision\": N}");
        }
        long to = body.get("revision").asLong();
        DuetConfig target = revision(to);
        String ifMatch = Http.ifMatch(ex);
        long base = ifMatch == null ? store.current().revision() : Http.revisionOf(ifMatch);
        // The users and tokens stay as they are now: a rollback is about the traffic configuration.
        Committer.Committed c = committer.at(new Change.Rollback(to, target), base, r.caller());
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("revision", c.revision());
        o.put("rolledBackTo", to);
        Http.etag(ex, c.revision());
        Http.send(ex, 200, o);
    }

    /** The whole document for a backup: keys only in their sealed form, no users and tokens. */
    void export(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        DuetConfig cur = store.current();
        Http.etag(ex, cur.revision());
        ex.getResponseHeaders().put(Headers.CONTENT_DISPOSITION, "attachment; filename=\"duet-revision-"
                + cur.revision() + ".json\"");
        Http.send(ex, 200, Redaction.redact(cur, Redaction.Mode.EXPORTED));
    }

    void importDocument(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        DuetConfig proposed = decode(ex);
        String ifMatch = Http.ifMatch(ex);
        long base = ifMatch == null ? store.current().revision() : Http.revisionOf(ifMatch);
        Committer.Committed c = committer.at(new Change.ImportDocument(proposed, Http.summary(ex, "imported")), base,
                r.caller());
        Http.etag(ex, c.revision());
        Http.send(ex, 200, Http.JSON.createObjectNode().put("revision", c.revision()));
    }

    private DuetConfig revision(long n) throws ApiError {
        for (ConfigStore.Commit k : store.commits()) {
            if (k.config().revision() == n) {
                return k.config();
            }
        }
        throw new ApiError(404, AdminMessage.NOT_FOUND, "revision " + n + " is not in the history (it keeps the last "
                + store.commits().size() + ")");
    }

    /** The body as a document, in the syntax its Content-Type names ({@link DocumentFormat}). */
    private static DuetConfig decode(HttpServerExchange ex) throws ApiError {
        return decode(text(ex), DocumentFormat.ofBody(ex));
    }

    private static String text(HttpServerExchange ex) throws ApiError {
        return new String(Http.bytes(ex), StandardCharsets.UTF_8);
    }

    private static DuetConfig decode(String text, ConfigCodec.Format format) throws ApiError {
        try {
            return ConfigCodec.decode(text, format);
        } catch (InvalidConfigException e) {
            throw new ApiError(422, AdminMessage.INVALID_DOCUMENT, "the document does not read: nothing was changed",
                    e.violations());
        }
    }
}
