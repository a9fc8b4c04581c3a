package io.duet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.config.ConfigCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The document as YAML through the API: GET with {@code Accept: application/yaml}, validate and PUT with
 * {@code Content-Type: application/yaml}, the same violations and paths as JSON, each with the line of the sent text;
 * warnings at validate and in the PUT's answer.
 */
class ConfigYamlApiTest {
    private static final String YAML = "application/yaml";
    @TempDir
    Path dir;
    private AdminFixture fixture;
    private AdminFixture.Client admin;

    @BeforeEach
    void start() throws Exception {
        fixture = new AdminFixture(dir, NodeView.NONE);
        admin = fixture.loggedInAdmin("a-good-long-password");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static int lineOf(String text, String line) {
        List<String> lines = text.lines().toList();
        assertThat(lines).contains(line);
        return lines.indexOf(line) + 1;
    }

    /** GET as YAML, break a port, validate: the violation has the JSON path and the line of the YAML text. */
    @Test
    void yamlReadsAndValidatesWithLines() throws Exception {
        HttpResponse<String> get = admin.call("GET", "/config", null, "Accept", YAML);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Type").orElseThrow()).startsWith(YAML);
        assertThat(get.headers().firstValue("ETag")).contains("\"" + fixture.store.current().revision() + "\"");
        String yaml = get.body();
        assertThat(yaml).contains("listeners:\n", "    port: 8080\n");
        assertThat(ConfigCodec.decode(yaml, ConfigCodec.Format.YAML).listeners().get(0).port()).isEqualTo(8080);

        String broken = yaml.replace("    port: 8080\n", "    port: 70000\n");
        HttpResponse<String> check = admin.call("POST", "/config/validate", broken, "Content-Type", YAML);
        assertThat(check.statusCode()).isEqualTo(200);
        JsonNode v = AdminFixture.json(check);
        assertThat(v.get("valid").asBoolean()).isFalse();
        JsonNode port = v.get("violations").get(0);
        assertThat(port.get("path").asText()).isEqualTo("$.listeners[0].port");
        assertThat(port.get("line").asInt()).isEqualTo(lineOf(broken, "    port: 70000"));

        // the same document as JSON: the same path, at its line of the JSON text
        String json = ConfigCodec.encodeTree(AdminFixture.JSON.readTree(
                admin.call("GET", "/config", null).body()), ConfigCodec.Format.JSON).replace("\"port\": 8080",
                "\"port\": 70000");
        JsonNode j = AdminFixture.json(admin.call("POST", "/config/validate", json));
        assertThat(j.get("violations").get(0).get("path").asText()).isEqualTo("$.listeners[0].port");
        assertThat(j.get("violations").get(0).get("line").asInt())
                .isEqualTo(lineOf(json, "      \"port\": 70000,"));
    }

    /** A YAML PUT commits; a virtual host without routes is a warning: shown at validate and in the answer. */
    @Test
    void yamlPutCommitsAndReportsWarnings() throws Exception {
        HttpResponse<String> get = admin.call("GET", "/config", null);
        ObjectNode doc = (ObjectNode) AdminFixture.json(get);
        ((com.fasterxml.jackson.databind.node.ArrayNode) doc.get("virtualHosts")).addObject().put("name", "empty")
                .putArray("hostnames").add("empty.example");
        String yaml = ConfigCodec.encodeTree(doc, ConfigCodec.Format.YAML);

        JsonNode check = AdminFixture.json(admin.call("POST", "/config/validate", yaml, "Content-Type", YAML));
        assertThat(check.get("valid").asBoolean()).isTrue();
        assertThat(check.get("violations").toString()).contains("DUET-CONFIG-0055", "\"severity\":\"WARNING\"");
        assertThat(check.get("violations").get(0).get("line").asInt()).isEqualTo(lineOf(yaml, "  - name: empty"));

        HttpResponse<String> put = admin.call("PUT", "/config", yaml, "Content-Type", YAML,
                "If-Match", get.headers().firstValue("ETag").orElseThrow(), "X-Duet-Summary", "an empty host");
        assertThat(put.statusCode()).isEqualTo(200);
        JsonNode committed = AdminFixture.json(put);
        assertThat(committed.get("warnings").toString()).contains("DUET-CONFIG-0055", "$.virtualHosts[1]");
        assertThat(fixture.store.current().virtualHosts()).extracting(h -> h.name()).contains("empty");

        // the diff of the two revisions: the host added by name, no line for the revision number itself
        long rev = committed.get("revision").asLong();
        JsonNode diff = AdminFixture.json(admin.call("GET", "/config/diff?from=" + (rev - 1) + "&to=" + rev, null));
        assertThat(diff).hasSize(1);
        assertThat(diff.get(0).get("op").asText()).isEqualTo("add");
        assertThat(diff.get(0).get("path").asText()).isEqualTo("$.virtualHosts[1]");
    }

    /** YAML that does not read: 422 with the read problem and where it is. */
    @Test
    void brokenYamlIsRefusedWithItsLine() throws Exception {
        HttpResponse<String> r = admin.call("POST", "/config/validate", "listeners:\n  - name: [x\n",
                "Content-Type", YAML);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(AdminFixture.json(r).get("violations").get(0).get("message").asText()).contains("line");
    }
}
