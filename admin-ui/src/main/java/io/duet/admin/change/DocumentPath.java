package io.duet.admin.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.admin.message.AdminMessage;
import io.duet.config.Violation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A part of the configuration document addressed as a resource: a singleton ({@code limits}), a top-level list or
 * one of its elements ({@code pools}, {@code pools/api}), or a list inside an element or one of its elements
 * ({@code pools/api/servers}, {@code pools/api/servers/s1}); and how to find it in, or put it into, the document's
 * JSON tree. Immutable; its tree operations are pure (they change only the tree they are given).
 */
public final class DocumentPath {
    /** Top-level lists of the document and the field that names their elements. */
    public static final Map<String, String> COLLECTIONS = Map.of("listeners", "name", "virtualHosts", "name",
            "pools", "name", "vips", "address");
    /** Lists inside an element: virtualHosts/{vh}/routes/{name}, pools/{pool}/servers/{id}. */
    public static final Map<String, List<String>> NESTED = Map.of("virtualHosts", List.of("routes", "name"),
            "pools", List.of("servers", "id"));
    /** Top-level objects of the document. */
    public static final Set<String> SINGLETONS = Set.of("limits", "forwarding", "accessLog");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> parts;
    private final boolean singleton;
    private final boolean nested;

    private DocumentPath(List<String> parts, boolean singleton, boolean nested) {
        this.parts = List.copyOf(parts);
        this.singleton = singleton;
        this.nested = nested;
    }

    /** The part that {@code parts} (decoded path segments) address, or empty when they address none. */
    public static Optional<DocumentPath> of(List<String> parts) {
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        String head = parts.get(0);
        boolean singleton = parts.size() == 1 && SINGLETONS.contains(head);
        boolean top = COLLECTIONS.containsKey(head) && (parts.size() == 1 || parts.size() == 2);
        boolean nested = NESTED.containsKey(head) && (parts.size() == 3 || parts.size() == 4)
                && parts.get(2).equals(NESTED.get(head).get(0));
        if (!singleton && !top && !nested) {
            return Optional.empty();
        }
        return Optional.of(new DocumentPath(parts, singleton, nested));
    }

    /** True for a whole list ({@code pools}, {@code pools/api/servers}): it can be read only. */
    public boolean collection() {
        return !singleton && parts.size() % 2 == 1;
    }

    /** True for a singleton ({@code limits}): it can be read and replaced, not removed. */
    public boolean singleton() {
        return singleton;
    }

    /** The segments, e.g. {@code [pools, api, servers, s1]}. */
    public List<String> parts() {
        return parts;
    }

    @Override
    public String toString() {
        return String.join("/", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DocumentPath p && p.parts.equals(parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }

    /** The part in {@code doc} (a missing list reads as an empty one). */
    public JsonNode locate(JsonNode doc) throws ChangeRefused {
        if (singleton) {
            return doc.path(parts.get(0));
        }
        JsonNode list = doc.path(parts.get(0));
        boolean collectionOnly = collection();
        if (collectionOnly && !nested) {
            return list.isMissingNode() ? JSON.createArrayNode() : list;
        }
        JsonNode element = find(list, COLLECTIONS.get(parts.get(0)), parts.get(1));
        if (element == null) {
            throw notFound("no " + parts.get(0) + " element '" + parts.get(1) + "'");
        }
        if (!nested) {
            return element;
        }
        JsonNode inner = element.path(parts.get(2));
        if (collectionOnly) {
            return inner.isMissingNode() ? JSON.createArrayNode() : inner;
        }
        JsonNode x = find(inner, NESTED.get(parts.get(0)).get(1), parts.get(3));
        if (x == null) {
            throw notFound("no " + parts.get(2) + " element '" + parts.get(3) + "' in " + parts.get(0) + "/"
                    + parts.get(1));
        }
        return x;
    }

    /** True when the element is in {@code doc}. */
    public boolean existsIn(JsonNode doc) {
        try {
            locate(doc);
            return true;
        } catch (ChangeRefused e) {
            return false;
        }
    }

    /**
     * Puts {@code body} (a PUT) at this element of {@code doc}, or removes the element ({@code body} null: a DELETE).
     * The element's name field is set from the path.
     *
     * @return true when the PUT created the element
     */
    boolean patch(ObjectNode doc, JsonNode body) throws ChangeRefused {
        if (body != null && !body.isObject()) {
            throw new ChangeRefused(ChangeRefused.Reason.MALFORMED, AdminMessage.MALFORMED, "expected a JSON object");
        }
        if (singleton) {
            doc.set(parts.get(0), body);
            return false;
        }
        ArrayNode list = doc.has(parts.get(0)) ? (ArrayNode) doc.get(parts.get(0)) : doc.putArray(parts.get(0));
        String key = COLLECTIONS.get(parts.get(0));
        String name = parts.get(1);
        if (nested) {
            JsonNode outer = find(list, key, name);
            if (outer == null) {
                throw notFound("no " + parts.get(0) + " element '" + name + "'");
            }
            ObjectNode o = (ObjectNode) outer;
            list = o.has(parts.get(2)) ? (ArrayNode) o.get(parts.get(2)) : o.putArray(parts.get(2));
            key = NESTED.get(parts.get(0)).get(1);
            name = parts.get(3);
        }
        if (body != null) {
            JsonNode given = body.get(key);
            if (given != null && !name.equals(given.asText())) {
                throw new ChangeRefused(ChangeRefused.Reason.INVALID, AdminMessage.NAME_MISMATCH, key + ": '"
                        + given.asText() + "' differs from the path's '" + name + "'", List.of(Violation.error("$."
                        + key, AdminMessage.NAME_MISMATCH.id(), key + ": expected '" + name + "' as in the path")));
            }
            ((ObjectNode) body).put(key, name);
        }
        for (int i = 0; i < list.size(); i++) {
            if (name.equals(list.get(i).path(key).asText(null))) {
                if (body == null) {
                    list.remove(i);
                } else {
                    list.set(i, body);
                }
                return false;
            }
        }
        if (body == null) {
            throw notFound("no element '" + name + "' to remove");
        }
        list.add(body);
        return true;
    }

    private static ChangeRefused notFound(String message) {
        return new ChangeRefused(ChangeRefused.Reason.NOT_FOUND, AdminMessage.NOT_FOUND, message);
    }

    private static JsonNode find(JsonNode list, String key, String value) {
        for (JsonNode e : list) {
            if (value.equals(e.path(key).asText(null))) {
                return e;
            }
        }
        return null;
    }
}
