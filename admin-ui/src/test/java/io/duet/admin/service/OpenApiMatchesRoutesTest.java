package io.duet.admin.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.admin.api.OpenApi;
import io.duet.admin.api.Route;
import io.duet.admin.api.RouteTable;
import io.duet.admin.change.DocumentPath;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * openapi.json and the route table cannot drift: every route is documented with its method and path, every
 * documented method and path is a route, and what each route requires is what the document says.
 */
class OpenApiMatchesRoutesTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    // The services are built over nothing: the table is only read here, no call is served.
    private static final RouteTable TABLE = AdminRoutes.table(null, null, null, null, Clock.systemUTC(), null, null);

    private static JsonNode document() throws Exception {
        return new ObjectMapper().readTree(OpenApi.document());
    }

    private static Set<String> routes() {
        Set<String> out = new TreeSet<>();
        for (Route r : TABLE.routes()) {
            out.add(r.method() + " " + r.pattern());
        }
        return out;
    }

    private static Set<String> documented() throws Exception {
        Set<String> out = new TreeSet<>();
        Iterator<String> paths = document().get("paths").fieldNames();
        while (paths.hasNext()) {
            String p = paths.next();
            Iterator<String> ops = document().get("paths").get(p).fieldNames();
            while (ops.hasNext()) {
                String m = ops.next();
                if (METHODS.contains(m)) {
                    out.add(m.toUpperCase(Locale.ROOT) + " " + p);
                }
            }
        }
        return out;
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() throws Exception {
        Set<String> routes = routes();
        Set<String> documented = documented();
        assertThat(routes).as("routes").hasSizeGreaterThan(50);
        Set<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(documented);
        Set<String> unrouted = new TreeSet<>(documented);
        unrouted.removeAll(routes);
        assertThat(undocumented).as("routes that openapi.json does not document").isEmpty();
        assertThat(unrouted).as("operations in openapi.json that no route serves").isEmpty();
    }

    @Test
    void publicRoutesAreDocumentedWithoutSecurity() throws Exception {
        JsonNode paths = document().get("paths");
        List<String> wrong = new ArrayList<>();
        for (Route r : TABLE.routes()) {
            JsonNode op = paths.path(r.pattern()).path(r.method().toLowerCase(Locale.ROOT));
            boolean open = op.has("security") && op.get("security").isArray() && op.get("security").isEmpty();
            if (open != (r.access() == Route.Access.PUBLIC)) {
                wrong.add(r.method() + " " + r.pattern() + (open ? " documented as public" : " is public"));
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyRouteOfTheDocumentsPartsNamesAPart() {
        for (Route r : TABLE.routes()) {
            String head = r.segments().get(0);
            if (DocumentPath.COLLECTIONS.containsKey(head) || DocumentPath.SINGLETONS.contains(head)) {
                if (r.pattern().endsWith("/state")) {
                    continue;
                }
                List<String> sample = r.segments().stream().map(s -> s.startsWith("{") ? "x" : s).toList();
                assertThat(DocumentPath.of(sample)).as(r.pattern()).isPresent();
            }
        }
    }
}
