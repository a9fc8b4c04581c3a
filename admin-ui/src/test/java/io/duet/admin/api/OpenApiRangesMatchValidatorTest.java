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

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema's minimum and maximum are the validator's ranges: in config's rich.yaml (nearly every field set) and
 * every-range.yaml (the ranged fields rich.yaml leaves out), each integer with a range is set to each bound (no
 * DUET-CONFIG out-of-range at its path) and just past it (one), and each integer without a range is set very high
 * (none). Every range of the schema is tried in one of them.
 */
class OpenApiRangesMatchValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode schemas;
    /** The documents tried, by name. */
    private static final Map<String, ObjectNode> DOCUMENTS = new LinkedHashMap<>();
    /** Document name -> JSON path of an integer in it -> its property schema. */
    private static final Map<String, Map<String, JsonNode>> INTEGERS = new LinkedHashMap<>();
    /** Schema.property of every integer seen. */
    private static final Set<String> SEEN = new TreeSet<>();

    @BeforeAll
    static void read() throws Exception {
        schemas = JSON.readTree(OpenApi.document()).get("components").get("schemas");
        Path rich = Path.of("..", "config", "src", "test", "resources", "io", "duet", "config", "rich.yaml");
        read("rich.yaml", Files.readString(rich));
        try (InputStream in = OpenApiRangesMatchValidatorTest.class.getResourceAsStream("every-range.yaml")) {
            read("every-range.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void read(String name, String yaml) throws Exception {
        ObjectNode doc = (ObjectNode) new YAMLMapper().readTree(yaml);
        DOCUMENTS.put(name, doc);
        INTEGERS.put(name, new LinkedHashMap<>());
        walk(INTEGERS.get(name), doc, schemas.get("Document"), "Document", "$");
    }

    private static String refName(JsonNode s) {
        String ref = s.has("$ref") ? s.get("$ref").asText() : s.path("allOf").path(0).path("$ref").asText(null);
        return ref == null ? null : ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static void walk(Map<String, JsonNode> out, JsonNode node, JsonNode schema, String schemaName,
                             String path) {
        String ref = refName(schema);
        JsonNode s = ref == null ? schema : schemas.get(ref);
        String owner = ref == null ? schemaName : ref;
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                SEEN.add(owner + "." + e.getKey());
                walk(out, e.getValue(), s.path("properties").path(e.getKey()), owner, path + "." + e.getKey());
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(out, node.get(i), s.path("items"), owner, path + "[" + i + "]");
            }
        } else if ("integer".equals(s.path("type").asText()) && !s.has("enum")) {
            out.put(path, s);
        }
    }

    @Test
    void bothDocumentsAreValid() throws Exception {
        for (Map.Entry<String, ObjectNode> d : DOCUMENTS.entrySet()) {
            ConfigValidator.requireValid(ConfigCodec.decode(JSON.writeValueAsString(d.getValue()),
                    ConfigCodec.Format.JSON));
            assertThat(OpenApiSchemas.problems("Document", JSON.writeValueAsString(d.getValue()))).as(d.getKey())
                    .isEmpty();
        }
    }

    @Test
    void everyRangeOfTheSchemaIsTried() {
        List<String> untried = new ArrayList<>();
        schemas.fields().forEachRemaining(s -> s.getValue().path("properties").fields().forEachRemaining(p -> {
            if (p.getValue().has("maximum") && !SEEN.contains(s.getKey() + "." + p.getKey())) {
                untried.add(s.getKey() + "." + p.getKey());
            }
        }));
        assertThat(untried).as("ranged properties that neither document sets (add them to every-range.yaml)")
                .isEmpty();
    }

    /** Out-of-range violations at {@code path} when the integer there is {@code value}. */
    private static List<Violation> outOfRange(ObjectNode base, String path, long value) throws Exception {
        ObjectNode doc = base.deepCopy();
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
        for (String name : DOCUMENTS.keySet()) {
            check(DOCUMENTS.get(name), INTEGERS.get(name), name, wrong, ranged);
        }
        assertThat(wrong).isEmpty();
        assertThat(ranged).as("ranged integers tried").hasSizeGreaterThan(50);
    }

    private static void check(ObjectNode doc, Map<String, JsonNode> integers, String name, List<String> wrong,
                              Set<String> ranged) throws Exception {
        for (Map.Entry<String, JsonNode> e : integers.entrySet()) {
            String path = e.getKey();
            JsonNode s = e.getValue();
            long top = "int32".equals(s.path("format").asText()) ? Integer.MAX_VALUE : Long.MAX_VALUE;
            if (s.has("minimum") && s.has("maximum")) {
                ranged.add(name + " " + path);
                long min = s.get("minimum").asLong();
                long max = s.get("maximum").asLong();
                for (long ok : new long[] {min, max}) {
                    if (!outOfRange(doc, path, ok).isEmpty()) {
                        wrong.add(name + " " + path + " = " + ok + ": refused, the schema allows it");
                    }
                }
                for (long bad : new long[] {min - 1, max + 1}) {
                    if (bad <= top && bad >= -top && outOfRange(doc, path, bad).isEmpty()) {
                        wrong.add(name + " " + path + " = " + bad + ": accepted, the schema refuses it");
                    }
                }
            } else if (!outOfRange(doc, path, top).isEmpty()) {
                wrong.add(name + " " + path + ": the validator has a range the schema does not state");
            }
        }
    }
}
