package io.duet.admin.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.duet.admin.api.Http;
import io.duet.admin.api.Request;
import io.duet.admin.change.Change;
import io.duet.admin.change.DocumentPath;
import io.duet.admin.document.Redaction;
import io.duet.config.DuetConfig;
import io.duet.config.store.ConfigStore;
import io.undertow.server.HttpServerExchange;

/**
 * The document's parts as resources ({@link DocumentPath}): {@code GET} of each list, element and singleton; a PUT
 * creates or replaces (201/200), a DELETE removes (204); each is one committed revision, validated as a whole (a
 * pool still used by a route: 422 with the route's path). With If-Match the edit applies to that revision only
 * (409 when stale). Thread-safe.
 */
final class PartsService {
    private final ConfigStore store;
    private final Committer committer;

    PartsService(ConfigStore store, Committer committer) {
        this.store = store;
        this.committer = committer;
    }

    void get(Request r) throws Exception {
        DocumentPath path = path(r);
        JsonNode found = path.locate(Redaction.shown(store.current()));
        Http.etag(r.exchange(), store.current().revision());
        Http.send(r.exchange(), 200, found);
    }

    void put(Request r) throws Exception {
        HttpServerExchange ex = r.exchange();
        DocumentPath path = path(r);
        JsonNode body = Http.body(ex);
        Committer.Committed c = committer.targeted(r, new Change.PutPart(path, body));
        Http.etag(ex, c.revision());
        DuetConfig committed = c.document();
        Http.send(ex, c.applied().created() ? 201 : 200, path.locate(Redaction.shown(committed)));
    }

    void delete(Request r) throws Exception {
        Committer.Committed c = committer.targeted(r, new Change.DeletePart(path(r)));
        Http.etag(r.exchange(), c.revision());
        Http.noContent(r.exchange());
    }

    private static DocumentPath path(Request r) {
        return DocumentPath.of(r.decodedSegments()).orElseThrow(() -> new IllegalStateException("route "
                + r.route().pattern() + " is not a part of the document"));
    }
}
