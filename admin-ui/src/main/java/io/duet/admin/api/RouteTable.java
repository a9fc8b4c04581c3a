package io.duet.admin.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every route of the admin API, in one list: which route a method and path reach, and which methods a path has
 * (the {@code Allow} of a 405). A path matches a pattern segment by segment; a parameter matches any one segment
 * (the empty one too). Immutable; any thread.
 */
public final class RouteTable {
    private final List<Route> routes;

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        for (int i = 0; i < routes.size(); i++) {
            for (int j = i + 1; j < routes.size(); j++) {
                Route a = routes.get(i);
                Route b = routes.get(j);
                if (a.method().equals(b.method()) && shape(a).equals(shape(b))) {
                    throw new IllegalArgumentException("two routes for " + a.method() + " " + a.pattern());
                }
            }
        }
    }

    /** A route reached, with the path's parameters by name. */
    public record Match(Route route, Map<String, String> params) {
    }

    /** Every route, in the table's order. */
    public List<Route> routes() {
        return routes;
    }

    /** The route for {@code method} and {@code path} (under the prefix, e.g. {@code /pools/api}), if any. */
    public Optional<Match> find(String method, String path) {
        List<String> segments = split(path);
        for (Route r : routes) {
            if (r.method().equals(method)) {
                Map<String, String> params = match(r.segments(), segments);
                if (params != null) {
                    return Optional.of(new Match(r, params));
                }
            }
        }
        return Optional.empty();
    }

    /** The routes whose pattern matches {@code path}, whatever their method (empty: no such resource). */
    public List<Route> forPath(String path) {
        List<String> segments = split(path);
        List<Route> out = new ArrayList<>();
        for (Route r : routes) {
            if (match(r.segments(), segments) != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** The methods {@code path} has, as an Allow header writes them ({@code GET, PUT}). */
    public String allowed(String path) {
        return String.join(", ", forPath(path).stream().map(Route::method).distinct().toList());
    }

    /** The pattern with every parameter alike: two routes of one method may not have the same shape. */
    private static List<String> shape(Route r) {
        return r.segments().stream().map(s -> s.startsWith("{") ? "{}" : s).toList();
    }

    static List<String> split(String path) {
        return path.isEmpty() ? List.of() : List.of(path.substring(1).split("/", -1));
    }

    private static Map<String, String> match(List<String> pattern, List<String> segments) {
        if (pattern.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            if (p.startsWith("{") && p.endsWith("}")) {
                params.put(p.substring(1, p.length() - 1), segments.get(i));
            } else if (!p.equals(segments.get(i))) {
                return null;
            }
        }
        return params;
    }
}
