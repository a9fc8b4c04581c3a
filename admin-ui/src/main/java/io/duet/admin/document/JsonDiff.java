package io.duet.admin.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What changed between two documents, as a list of changes with the JSON path of each (the same paths validation
 * uses): added, removed, changed with the old and new value, or moved. Pure; any thread.
 *
 * <p>A list whose elements are all objects with an identity ({@link #IDENTITY_KEYS}: the first of {@code name},
 * {@code id}, {@code address} that every element of both lists has, as text, without duplicates) is compared element
 * by identity: inserting a route first is one addition, not a change of every route below it. Paths use the index in
 * the new document (in the old one for a removal). An element whose place among the others changed (order matters:
 * the first matching route wins) is reported once as {@code move}, with {@code from}/{@code to} its old and new path.
 * Other lists are compared by index.
 */
public final class JsonDiff {
    /** The fields that name an element of a list, in the order tried (servers have an id, VIPs an address). */
    static final List<String> IDENTITY_KEYS = List.of("name", "id", "address");

    private JsonDiff() {
    }

    /**
     * One change: {@code op} is {@code add}, {@code remove}, {@code replace} or {@code move}. {@code from}/{@code to}
     * are null for an addition/removal respectively; for a move they are the old and the new path.
     */
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
            String key = identityKey(a, b);
            if (key == null) {
                byIndex(path, a, b, out);
            } else {
                byIdentity(path, key, a, b, out);
            }
            return;
        }
        if (!a.equals(b)) {
            out.add(new Change("replace", path, a, b));
        }
    }

    private static void byIndex(String path, JsonNode a, JsonNode b, List<Change> out) {
        int n = Math.max(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            walk(path + "[" + i + "]", i < a.size() ? a.get(i) : null, i < b.size() ? b.get(i) : null, out);
        }
    }

    private static void byIdentity(String path, String key, JsonNode a, JsonNode b, List<Change> out) {
        Map<String, Integer> oldIndex = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            oldIndex.put(a.get(i).get(key).asText(), i);
        }
        Set<String> kept = new HashSet<>();
        List<Integer> keptOld = new ArrayList<>();
        List<Integer> keptNew = new ArrayList<>();
        for (int j = 0; j < b.size(); j++) {
            Integer i = oldIndex.get(b.get(j).get(key).asText());
            if (i != null) {
                kept.add(b.get(j).get(key).asText());
                keptOld.add(i);
                keptNew.add(j);
            }
        }
        for (int i = 0; i < a.size(); i++) {
            if (!kept.contains(a.get(i).get(key).asText())) {
                out.add(new Change("remove", path + "[" + i + "]", a.get(i), null));
            }
        }
        Set<Integer> inOrder = longestIncreasing(keptOld);
        int k = 0;
        for (int j = 0; j < b.size(); j++) {
            if (k < keptNew.size() && keptNew.get(k) == j) {
                int i = keptOld.get(k);
                if (!inOrder.contains(k)) {
                    out.add(new Change("move", path + "[" + j + "]", TextNode.valueOf(path + "[" + i + "]"),
                            TextNode.valueOf(path + "[" + j + "]")));
                }
                walk(path + "[" + j + "]", a.get(i), b.get(j), out);
                k++;
            } else {
                out.add(new Change("add", path + "[" + j + "]", null, b.get(j)));
            }
        }
    }

    /** The positions in {@code xs} of one longest strictly increasing subsequence (the elements that kept their order). */
    private static Set<Integer> longestIncreasing(List<Integer> xs) {
        int n = xs.size();
        int[] length = new int[n];
        int[] previous = new int[n];
        int best = -1;
        for (int i = 0; i < n; i++) {
            length[i] = 1;
            previous[i] = -1;
            for (int j = 0; j < i; j++) {
                if (xs.get(j) < xs.get(i) && length[j] + 1 > length[i]) {
                    length[i] = length[j] + 1;
                    previous[i] = j;
                }
            }
            if (best < 0 || length[i] > length[best]) {
                best = i;
            }
        }
        Set<Integer> out = new HashSet<>();
        for (int i = best; i >= 0; i = previous[i]) {
            out.add(i);
        }
        return out;
    }

    /** The identity field every element of both lists has (as text, unique within each list), or null. */
    private static String identityKey(JsonNode a, JsonNode b) {
        if (a.isEmpty() && b.isEmpty()) {
            return null;
        }
        for (String key : IDENTITY_KEYS) {
            if (identifies(key, a) && identifies(key, b)) {
                return key;
            }
        }
        return null;
    }

    private static boolean identifies(String key, JsonNode list) {
        Set<String> seen = new HashSet<>();
        for (JsonNode e : list) {
            JsonNode v = e.get(key);
            if (!e.isObject() || v == null || !v.isTextual() || !seen.add(v.asText())) {
                return false;
            }
        }
        return true;
    }
}
