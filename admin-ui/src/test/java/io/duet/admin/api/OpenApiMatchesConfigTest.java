package io.duet.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.config.AccessLog;
import io.duet.config.AdminRole;
import io.duet.config.Affinity;
import io.duet.config.ApiToken;
import io.duet.config.ClientAuth;
import io.duet.config.DuetConfig;
import io.duet.config.HashKey;
import io.duet.config.HealthCheck;
import io.duet.config.HttpsRedirect;
import io.duet.config.ListenerTls;
import io.duet.config.Pool;
import io.duet.config.Resolve;
import io.duet.config.Route;
import io.duet.config.ServerState;
import io.duet.config.Syslog;
import io.duet.config.Vip;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * openapi.json's component schemas and config's records cannot drift: walking the records from {@link DuetConfig}
 * by reflection, every record has its schema, every component its property of the right type (and no property
 * lacks its component), every list of allowed values in config is the property's enum, and every default that the
 * records fill in is the schema's default.
 */
class OpenApiMatchesConfigTest {
    private static final Map<Class<?>, String> RENAMED = Map.of(DuetConfig.class, "Document",
            ApiToken.class, "DocumentApiToken");

    /** Every enum of the document's schemas, with config's list of the allowed values. */
    private static Map<String, List<?>> enums() throws Exception {
        Map<String, List<?>> m = new LinkedHashMap<>();
        m.put("Pool.balancer", Pool.BALANCERS);
        m.put("AdminUser.role", AdminRole.wires());
        m.put("DocumentApiToken.role", AdminRole.wires());
        m.put("Server.state", ServerState.wires());
        m.put("Affinity.mode", Affinity.MODES);
        m.put("AffinityCookie.sameSite", Affinity.Cookie.SAME_SITE);
        m.put("ClientAuth.mode", ClientAuth.MODES);
        m.put("HashKey.source", HashKey.SOURCES);
        m.put("HealthCheck.type", HealthCheck.TYPES);
        m.put("ListenerTls.engine", ListenerTls.ENGINES);
        m.put("ListenerTls.profile", ListenerTls.PROFILES);
        m.put("AccessRule.action", io.duet.config.AccessRule.ACTIONS);
        m.put("RateLimit.per", io.duet.config.RateLimit.PERIODS);
        m.put("RateLimit.action", io.duet.config.RateLimit.ACTIONS);
        m.put("RateLimit.missingKey", io.duet.config.RateLimit.MISSING_KEYS);
        m.put("ErrorPage.status", io.duet.config.ErrorPage.STATUSES);
        m.put("Resolve.prefer", Resolve.FAMILIES);
        m.put("Route.stickyServerDown", Route.STICKY_SERVER_DOWN);
        m.put("Syslog.facility", Syslog.FACILITIES);
        m.put("Vip.failback", Vip.FAILBACKS);
        m.put("HttpsRedirect.status", HttpsRedirect.STATUSES);
        // The validator's own lists (package-private in config's rule classes).
        m.put("Syslog.format", rulesList("EdgeRules", "SYSLOG_FORMATS"));
        m.put("AccessLog.format", rulesList("EdgeRules", "ACCESS_LOG_FORMATS"));
        m.put("HeaderRule.op", rulesList("ActionRules", "HEADER_OPS"));
        m.put("Redirect.status", rulesList("ActionRules", "REDIRECT_STATUSES"));
        // ListenerRules compares with the literals "http" and "https"; config has no list of them.
        m.put("Listener.protocol", List.of("http", "https"));
        return m;
    }

    private static List<?> rulesList(String className, String field) throws Exception {
        Field f = Class.forName(AccessLog.class.getPackageName() + "." + className).getDeclaredField(field);
        f.setAccessible(true);
        return (List<?>) f.get(null);
    }

    private static JsonNode schemas() throws Exception {
        return new ObjectMapper().readTree(OpenApi.document()).get("components").get("schemas");
    }

    private static String schemaName(Class<?> record) {
        String renamed = RENAMED.get(record);
        if (renamed != null) {
            return renamed;
        }
        Class<?> outer = record.getEnclosingClass();
        return outer == null ? record.getSimpleName() : outer.getSimpleName() + record.getSimpleName();
    }

    /** Every record reachable from the document, in walk order. */
    private static Set<Class<?>> records() {
        Set<Class<?>> seen = new LinkedHashSet<>();
        List<Class<?>> todo = new ArrayList<>(List.of(DuetConfig.class));
        while (!todo.isEmpty()) {
            Class<?> c = todo.remove(0);
            if (!seen.add(c)) {
                continue;
            }
            for (RecordComponent rc : c.getRecordComponents()) {
                Class<?> t = element(rc);
                if (t.isRecord()) {
                    todo.add(t);
                }
            }
        }
        return seen;
    }

    private static Class<?> element(RecordComponent rc) {
        if (rc.getType() == List.class) {
            Type arg = ((ParameterizedType) rc.getGenericType()).getActualTypeArguments()[0];
            return (Class<?>) arg;
        }
        return rc.getType();
    }

    private static String expectedType(Class<?> t) {
        if (t == String.class) {
            return "string";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "integer";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "boolean";
        }
        return null;
    }

    /** The $ref of a property: itself or, with a description beside it, its allOf's only element. */
    private static String ref(JsonNode property) {
        if (property.has("$ref")) {
            return property.get("$ref").asText();
        }
        return property.path("allOf").path(0).path("$ref").asText(null);
    }

    @Test
    void everyRecordAndComponentHasItsTypedProperty() throws Exception {
        JsonNode schemas = schemas();
        List<String> wrong = new ArrayList<>();
        for (Class<?> c : records()) {
            String name = schemaName(c);
            JsonNode s = schemas.get(name);
            if (s == null) {
                wrong.add(name + ": no schema for " + c.getName());
                continue;
            }
            if (!s.path("additionalProperties").isBoolean() || s.get("additionalProperties").asBoolean()) {
                wrong.add(name + ": additionalProperties must be false (the codec refuses unknown fields)");
            }
            Set<String> components = new TreeSet<>();
            for (RecordComponent rc : c.getRecordComponents()) {
                components.add(rc.getName());
                JsonNode p = s.path("properties").get(rc.getName());
                if (p == null) {
                    wrong.add(name + "." + rc.getName() + ": not in the schema");
                    continue;
                }
                if (p.path("description").asText("").isBlank()
                        && !(c == DuetConfig.class || c.getSimpleName().equals("Admin"))) {
                    wrong.add(name + "." + rc.getName() + ": no description");
                }
                Class<?> t = element(rc);
                JsonNode item = p;
                if (rc.getType() == List.class) {
                    if (!"array".equals(p.path("type").asText())) {
                        wrong.add(name + "." + rc.getName() + ": expected an array");
                        continue;
                    }
                    item = p.get("items");
                }
                if (t.isRecord()) {
                    String expected = "#/components/schemas/" + schemaName(t);
                    if (!expected.equals(ref(item))) {
                        wrong.add(name + "." + rc.getName() + ": expected $ref " + expected + ", was " + item);
                    }
                } else if (!String.valueOf(expectedType(t)).equals(item.path("type").asText())) {
                    wrong.add(name + "." + rc.getName() + ": expected type " + expectedType(t) + ", was " + item);
                }
            }
            Set<String> properties = new TreeSet<>();
            s.path("properties").fieldNames().forEachRemaining(properties::add);
            properties.removeAll(components);
            if (!properties.isEmpty()) {
                wrong.add(name + ": properties that " + c.getSimpleName() + " does not have: " + properties);
            }
            for (JsonNode r : s.path("required")) {
                if (!components.contains(r.asText())) {
                    wrong.add(name + ": required " + r + " is no component");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyEnumIsConfigsListAndEveryListIsAnEnum() throws Exception {
        JsonNode schemas = schemas();
        Map<String, List<?>> enums = enums();
        List<String> wrong = new ArrayList<>();
        for (Class<?> c : records()) {
            String name = schemaName(c);
            schemas.get(name).path("properties").fields().forEachRemaining(e -> {
                String key = name + "." + e.getKey();
                JsonNode en = e.getValue().get("enum");
                List<?> expected = enums.get(key);
                if (en == null && expected != null) {
                    wrong.add(key + ": no enum; config allows " + expected);
                } else if (en != null && expected == null) {
                    wrong.add(key + ": an enum config does not list");
                } else if (en != null) {
                    List<Object> documented = new ArrayList<>();
                    en.forEach(v -> documented.add(v.isInt() ? (Object) v.asInt() : v.asText()));
                    if (!documented.equals(new ArrayList<>(expected))) {
                        wrong.add(key + ": enum " + documented + ", config " + expected);
                    }
                }
            });
        }
        assertThat(wrong).isEmpty();
    }

    private static boolean same(JsonNode filled, JsonNode documented) {
        if (documented != null && filled.isNumber() && documented.isIntegralNumber()) {
            return filled.asLong() == documented.asLong();
        }
        return filled.equals(documented);
    }

    @Test
    void everyDefaultIsWhatTheRecordFillsIn() throws Exception {
        // A record built with every component null (what reading a document without those fields does) holds the
        // defaults; each scalar and list default is the schema's "default", and the schema claims no other.
        JsonNode schemas = schemas();
        ObjectMapper json = new ObjectMapper();
        List<String> wrong = new ArrayList<>();
        for (Class<?> c : records()) {
            String name = schemaName(c);
            RecordComponent[] rcs = c.getRecordComponents();
            Class<?>[] types = new Class<?>[rcs.length];
            for (int i = 0; i < rcs.length; i++) {
                types[i] = rcs[i].getType();
            }
            Object empty = c.getDeclaredConstructor(types).newInstance(new Object[rcs.length]);
            for (RecordComponent rc : rcs) {
                JsonNode p = schemas.get(name).path("properties").path(rc.getName());
                Object value = rc.getAccessor().invoke(empty);
                boolean scalarOrList = value != null && !value.getClass().isRecord()
                        && !(value instanceof List<?> l && l.isEmpty());
                JsonNode filled = scalarOrList ? json.valueToTree(value) : null;
                JsonNode documented = p.get("default");
                if (filled != null && !same(filled, documented)) {
                    wrong.add(name + "." + rc.getName() + ": the record fills " + filled + ", the schema says "
                            + documented);
                } else if (filled == null && documented != null) {
                    wrong.add(name + "." + rc.getName() + ": default " + documented + " that the record does not fill");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }
}
