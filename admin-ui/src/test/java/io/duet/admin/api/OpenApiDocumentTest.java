package io.duet.admin.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * openapi.json is a valid OpenAPI 3 document (read by swagger-parser, the parser of the OpenAPI generators), and the
 * example documents of the repository validate against its {@code Document} schema.
 */
class OpenApiDocumentTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void isValidOpenApi3() {
        SwaggerParseResult r = new OpenAPIV3Parser().readContents(new String(OpenApi.document(),
                StandardCharsets.UTF_8));
        assertThat(r.getMessages()).as("swagger-parser's messages").isEmpty();
        assertThat(r.getOpenAPI().getComponents().getSchemas()).containsKeys("Document", "Pool", "Route",
                "RouteMatch", "Server", "Listener", "VirtualHost");
    }

    @Test
    void theShippedExampleValidates() throws Exception {
        // config's example.yaml: what `duet example` writes and a new node starts with.
        try (InputStream in = DuetConfig.class.getResourceAsStream("example.yaml")) {
            assertThat(in).as("config's example.yaml").isNotNull();
            assertValid(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theRichTestDocumentValidates() throws Exception {
        // config's rich.yaml sets nearly every field of the document; Maven runs tests in the module's folder.
        Path rich = Path.of("..", "config", "src", "test", "resources", "io", "duet", "config", "rich.yaml");
        assertThat(rich).exists();
        assertValid(Files.readString(rich));
    }

    @Test
    void aDocumentWithAWrongEnumOrRangeIsRefused() throws Exception {
        // The schema is not vacuous: a bad balancer, a bad port and an unknown field are each reported.
        String bad = "{\"pools\":[{\"name\":\"p\",\"balancer\":\"fastest\",\"servers\":[{\"address\":\"a\","
                + "\"port\":70000}],\"colour\":\"red\"}]}";
        assertThat(OpenApiSchemas.problems("Document", bad)).hasSize(3);
    }

    private static void assertValid(String yaml) throws Exception {
        // Read as the node reads it (the codec fills no field that the text does not set), then as plain JSON.
        ConfigCodec.decodeValid(yaml, ConfigCodec.Format.YAML);
        String json = JSON.writeValueAsString(new YAMLMapper().readTree(yaml));
        assertThat(OpenApiSchemas.problems("Document", json)).isEmpty();
    }
}
