package io.duet.admin;

import io.duet.admin.api.OpenApiSchemas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client generated from openapi.json does: it sends bodies typed by the component schemas and reads the
 * answers with them. Over a real listener, a pool and a route written from the schemas are accepted, and every body
 * the API answers (the document, the lists, the elements, the singletons) validates against its schema.
 */
class OpenApiBodiesTest {
    private static final String POOL = "{\"name\":\"api\",\"balancer\":\"least-connections\",\"servers\":["
            + "{\"id\":\"s1\",\"address\":\"127.0.0.1\",\"port\":8081,\"weight\":2},"
            + "{\"address\":\"127.0.0.1\",\"port\":8082,\"backup\":true}],"
            + "\"healthCheck\":{\"type\":\"http\",\"path\":\"/health\",\"intervalMs\":5000},"
            + "\"outlierDetection\":{\"consecutiveFailures\":3},"
            + "\"affinity\":{\"mode\":\"source\",\"source\":{\"timeoutMs\":60000}},"
            + "\"serverLimit\":{\"maxRequests\":100,\"maxQueued\":10}}";
    private static final String ROUTE = "{\"name\":\"api\",\"match\":{\"path\":{\"prefix\":\"/api\"},"
            + "\"methods\":[\"GET\",\"POST\"],\"headers\":[{\"name\":\"X-Env\",\"exact\":\"prod\"}]},"
            + "\"pool\":\"api\",\"requestHeaders\":[{\"op\":\"set\",\"name\":\"X-Via\",\"value\":\"duet\"}],"
            + "\"rewrite\":{\"prefix\":\"/api\",\"replacement\":\"/\"},\"retries\":2}";
    @RegisterExtension
    final AdminFixtureExtension admin = new AdminFixtureExtension(NodeView.NONE);

    @Test
    void bodiesWrittenFromTheSchemasAreAcceptedAndEveryAnswerMatchesItsSchema() throws Exception {
        AdminFixture.Client a = admin.fixture().loggedInAdmin("a-long-new-password-1");
        assertThat(OpenApiSchemas.problems("Pool", POOL)).isEmpty();
        assertThat(OpenApiSchemas.problems("Route", ROUTE)).isEmpty();

        HttpResponse<String> pool = a.call("PUT", "/pools/api", POOL);
        assertThat(pool.statusCode()).as(pool.body()).isEqualTo(201);
        assertValid("Pool", pool);
        HttpResponse<String> route = a.call("PUT", "/virtualHosts/default/routes/api", ROUTE);
        assertThat(route.statusCode()).as(route.body()).isEqualTo(201);
        assertValid("Route", route);

        assertValid("Document", a.call("GET", "/config", null));
        assertValid("Pool", a.call("GET", "/pools/api", null));
        assertValid("Server", a.call("GET", "/pools/api/servers/s1", null));
        assertValid("Route", a.call("GET", "/virtualHosts/default/routes/api", null));
        assertValid("VirtualHost", a.call("GET", "/virtualHosts/default", null));
        assertValid("Listener", a.call("GET", "/listeners/http", null));
        assertValid("Limits", a.call("GET", "/limits", null));
        assertValid("Forwarding", a.call("GET", "/forwarding", null));
        assertValid("AccessLog", a.call("GET", "/accessLog", null));
        assertValid("Document", a.call("GET", "/config/export", null));
        HttpResponse<String> pools = a.call("GET", "/pools", null);
        assertThat(pools.statusCode()).isEqualTo(200);
        for (var p : AdminFixture.json(pools)) {
            assertThat(OpenApiSchemas.problems("Pool", p.toString())).as(p.toString()).isEmpty();
        }
    }

    private static void assertValid(String schema, HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        assertThat(OpenApiSchemas.problems(schema, r.body())).as(schema + ": " + r.body()).isEmpty();
    }
}
