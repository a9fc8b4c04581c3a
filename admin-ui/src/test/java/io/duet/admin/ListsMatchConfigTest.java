package io.duet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duet.admin.api.OpenApi;
import io.duet.config.AdminRole;
import io.duet.config.Affinity;
import io.duet.config.BalancerAlgorithm;
import io.duet.config.HashKey;
import io.duet.config.HealthCheck;
import io.duet.config.Resolve;
import io.duet.config.ServerState;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI (ui/lib/lists.js, no build step) and openapi.json write config's lists by hand: roles, server states, balancers
 * and the sources of a hash key. They cannot drift from config's enums ({@link AdminRole}, {@link ServerState},
 * {@link BalancerAlgorithm}, {@link HashKey#SOURCES}): this test reads both files and compares.
 */
class ListsMatchConfigTest {
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Pattern PAIR = Pattern.compile("'?([\\w-]+)'?\\s*:\\s*'([^']*)'");

    /** The UI's module that holds every one of these lists. */
    private static final String LISTS = "ui/lib/lists.js";

    private static String listsJs() throws Exception {
        try (InputStream in = AdminServer.class.getResourceAsStream(LISTS)) {
            assertThat(in).as(LISTS + " on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The text of {@code const NAME = <open> ... <close>;} in lists.js. */
    private static String constant(String name, char open, char close) throws Exception {
        String js = listsJs();
        String head = "const " + name + " = " + open;
        int from = js.indexOf(head);
        assertThat(from).as(LISTS + " declares " + head).isNotNegative();
        int to = js.indexOf(close + ";", from);
        return js.substring(from + head.length(), to);
    }

    private static List<String> list(String name) throws Exception {
        List<String> out = new ArrayList<>();
        Matcher m = QUOTED.matcher(constant(name, '[', ']'));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Map<String, String> object(String name) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = PAIR.matcher(constant(name, '{', '}'));
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    @Test
    void theUisRolesAreAdminRolesWeakestFirst() throws Exception {
        List<String> weakestFirst = new ArrayList<>(AdminRole.wires());
        Collections.reverse(weakestFirst);
        assertThat(list("ROLES")).isEqualTo(weakestFirst);
    }

    @Test
    void theUisServerStatesAreServerStates() throws Exception {
        assertThat(object("SERVER_STATES").keySet()).containsExactlyElementsOf(ServerState.wires());
    }

    @Test
    void theUiOffersEveryBalancerWithWhatItNeeds() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        for (BalancerAlgorithm a : BalancerAlgorithm.values()) {
            expected.put(a.id(), a.key().name().toLowerCase(Locale.ROOT));
        }
        assertThat(object("BALANCERS")).containsExactlyEntriesOf(expected);
    }

    @Test
    void theUisHashKeySourcesAreHashKeys() throws Exception {
        assertThat(list("HASH_KEY_SOURCES")).isEqualTo(HashKey.SOURCES);
        assertThat(list("NAMED_HASH_KEY_SOURCES"))
                .isEqualTo(HashKey.SOURCES.stream().filter(HashKey::named).toList());
    }

    /** The pool form's lists: weighted balancers, health check types, affinity modes, SameSite values, DNS families. */
    @Test
    void thePoolFormsListsAreConfigs() throws Exception {
        assertThat(list("WEIGHTED_BALANCERS")).isEqualTo(Arrays.stream(BalancerAlgorithm.values())
                .filter(BalancerAlgorithm::weighted).map(BalancerAlgorithm::id).toList());
        assertThat(list("HEALTH_CHECK_TYPES")).isEqualTo(HealthCheck.TYPES);
        assertThat(list("AFFINITY_MODES")).isEqualTo(Affinity.MODES);
        assertThat(list("SAME_SITE")).isEqualTo(Affinity.Cookie.SAME_SITE);
        assertThat(list("RESOLVE_FAMILIES")).isEqualTo(Resolve.FAMILIES);
    }

    /** Every enum openapi.json gives a {@code role} or {@code state} property is config's list, in its order. */
    @Test
    void openApisEnumsOfRolesAndStatesAreConfigs() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(OpenApi.document());
        List<JsonNode> roles = new ArrayList<>();
        List<JsonNode> states = new ArrayList<>();
        collect(doc, roles, states);
        assertThat(roles).as("role enums in openapi.json").hasSizeGreaterThanOrEqualTo(3);
        assertThat(states).as("state enums in openapi.json").isNotEmpty();
        for (JsonNode e : roles) {
            assertThat(texts(e)).isEqualTo(AdminRole.wires());
        }
        for (JsonNode e : states) {
            assertThat(texts(e)).isEqualTo(ServerState.wires());
        }
    }

    private static void collect(JsonNode node, List<JsonNode> roles, List<JsonNode> states) {
        if (node.isObject()) {
            JsonNode props = node.get("properties");
            if (props != null && props.isObject()) {
                if (props.path("role").has("enum")) {
                    roles.add(props.get("role").get("enum"));
                }
                if (props.path("state").has("enum")) {
                    states.add(props.get("state").get("enum"));
                }
            }
            node.elements().forEachRemaining(child -> collect(child, roles, states));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collect(child, roles, states));
        }
    }

    private static List<String> texts(JsonNode array) {
        return Arrays.stream(new ObjectMapper().convertValue(array, String[].class)).toList();
    }
}
