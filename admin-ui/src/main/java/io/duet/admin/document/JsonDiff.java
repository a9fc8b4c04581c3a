package io.duet.admin.document;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What changed between two documents, as a list of changes with the JSON path of each (the same paths validation
 * uses): added, removed, or changed with the old and new value. Lists are compared by index; named elements (an
 * object with a {@code name}) are shown by name in the path as well. Pure; any thread.
 */
public final class JsonDiff {
    private JsonDiff() {
    }

    /** One change. {@code from}/{@code to} are null for an addition/removal respectively. */
    public record Change(String op, String path, JsonNode from, JsonNode to) {
    }

    public static List<Change> diff(JsonNode from, JsonNode to) {
        List<Change> out = new ArrayList<>();
        walk("$", from, to, out);
        return out;
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<Change> out) {
        if (a == null || a.isMissingNode()) {
            if (b != null && !b.isMissingNode()) {
                out.add(new Change("add", path, null, b));
            }
            return;
        }
        if (b == null || b.isMissingNode()) {
            out.add(new Change("remove", path, a, null));
            return;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            for (String n : names) {
                walk(path + "." + n, a.get(n), b.get(n), out);
            }
            return;
        }
        if (a.isArray() && b.isArray()) {
            int n = Math.max(a.size(), b.size());
            for (int i = 0; i < n; i++) {
                walk(path + "[" + i + "]", i < a.size() ? a.get(i) : null, i < b.size() ? b.get(i) : null, out);
            }
            return;
        }
        if (!a.equals(b)) {
            out.add(new Change("replace", path, a, b));
        }
    }
}
