package io.duet.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.duet.config.ConfigCodec;
import io.duet.config.ConfigMessage;
import io.duet.config.ConfigValidator;
import io.duet.config.Violation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema's minimum and maximum are the validator's ranges: in config's rich.yaml (nearly every field set), each
 * integer with a range is set to each bound (no DUET-CONFIG out-of-range at its path) and just past it (one), and
 * each integer without a range is set very high (none).
 */
class OpenApiRangesMatchValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode schemas;
    private static ObjectNode rich;
    /** JSON path of an integer in rich.yaml -> its property schema. */
    private static final Map<String, JsonNode> INTEGERS = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws Exception {
        schemas = JSON.readTree(OpenApi.document()).get("components").get("schemas");
        Path file = Path.of("..", "config", "src", "test", "resources", "io", "duet", "config", "rich.yaml");
        rich = (ObjectNode) new YAMLMapper().readTree(Files.readString(file));
        walk(rich, schemas.get("Document"), "$");
    }

    private static JsonNode resolve(JsonNode s) {
        String ref = s.has("$ref") ? s.get("$ref").asText() : s.path("allOf").path(0).path("$ref").asText(null);
        return ref == null ? s : schemas.get(ref.substring(ref.lastIndexOf('/') + 1));
    }

    private static void walk(JsonNode node, JsonNode schema, String path) {
        JsonNode s = resolve(schema);
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> walk(e.getValue(), s.path("properties").path(e.getKey()),
                    path + "." + e.getKey()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), s.path("items"), path + "[" + i + "]");
            }
        } else if ("integer".equals(s.path("type").asText()) && !s.has("enum")) {
            INTEGERS.put(path, s);
        }
    }

    /** Out-of-range violations at {@code path} when the integer there is {@code value}. */
    private static List<Violation> outOfRange(String path, long value) throws Exception {
        ObjectNode doc = rich.deepCopy();
        String[] steps = path.substring(2).split("\\.");
        JsonNode at = doc;
        for (int i = 0; i < steps.length - 1; i++) {
            at = step(at, steps[i]);
        }
        ((ObjectNode) at).put(steps[steps.length - 1], value);
        var config = ConfigCodec.decode(JSON.writeValueAsString(doc), ConfigCodec.Format.JSON);
        return ConfigValidator.validate(config).stream()
                .filter(v -> v.path().equals(path) && v.id().equals(ConfigMessage.OUT_OF_RANGE.id())).toList();
    }

    private static JsonNode step(JsonNode at, String step) {
        int bracket = step.indexOf('[');
        if (bracket < 0) {
            return at.get(step);
        }
        JsonNode list = at.get(step.substring(0, bracket));
        return ((ArrayNode) list).get(Integer.parseInt(step.substring(bracket + 1, step.length() - 1)));
    }

    @Test
    void everyRangeIsTheValidatorsAndEveryIntegerWithoutOneHasNone() throws Exception {
        List<String> wrong = new ArrayList<>();
        TreeSet<String> ranged = new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : INTEGERS.entrySet()) {
            String path = e.getKey();
            JsonNode s = e.getValue();
            long top = "int32".equals(s.path("format").asText()) ? Integer.MAX_VALUE : Long.MAX_VALUE;
            if (s.has("minimum") && s.has("maximum")) {
                ranged.add(path);
                long min = s.get("minimum").asLong();
                long max = s.get("maximum").asLong();
                for (long ok : new long[] {min, max}) {
                    if (!outOfRange(path, ok).isEmpty()) {
                        wrong.add(path + " = " + ok + ": refused, the schema allows it");
                    }
                }
                for (long bad : new long[] {min - 1, max + 1}) {
                    if (bad <= top && bad >= -top && outOfRange(path, bad).isEmpty()) {
                        wrong.add(path + " = " + bad + ": accepted, the schema refuses it");
                    }
                }
            } else if (!outOfRange(path, top).isEmpty()) {
                wrong.add(path + ": the validator has a range the schema does not state");
            }
        }
        assertThat(wrong).isEmpty();
        // rich.yaml sets most ranged fields: the check is not vacuous.
        assertThat(ranged).as("ranged integers found in rich.yaml").hasSizeGreaterThan(20);
    }
}
