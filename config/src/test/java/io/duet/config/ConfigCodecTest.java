package io.duet.config;

import io.duet.config.ConfigCodec.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.duet.config.build.ConfigBuilders.document;
import static io.duet.config.build.ConfigBuilders.route;
import static io.duet.config.build.ConfigBuilders.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class ConfigCodecTest {

    static String resource(String name) {
        try (InputStream in = ConfigCodecTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DuetConfig rich() throws InvalidConfigException {
        return ConfigCodec.decode(resource("rich.yaml"), Format.YAML);
    }

    static List<Violation> readErrors(String text, Format format) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigCodec.decode(text, format));
        assertThat(e).as("decoding should fail").isNotNull();
        return e.violations();
    }

    // Every field of the rich document survives encode then decode, in both formats.
    @ParameterizedTest
    @EnumSource(Format.class)
    void roundTripKeepsEveryField(Format format) throws Exception {
        DuetConfig rich = rich();
        String text = ConfigCodec.encode(rich, format);
        assertThat(ConfigCodec.decode(text, format)).isEqualTo(rich);
        // and encoding is deterministic
        assertThat(ConfigCodec.encode(ConfigCodec.decode(text, format), format)).isEqualTo(text);
    }

    // The rich test document really is rich: values differ from the defaults and it validates cleanly.
    @Test
    void richDocumentIsValidAndNotDefaults() throws Exception {
        DuetConfig rich = rich();
        assertThat(ConfigValidator.validate(rich)).isEmpty();
        assertThat(rich.revision()).isEqualTo(42);
        assertThat(rich.limits()).isNotEqualTo(Limits.defaults());
        assertThat(rich.forwarding()).isNotEqualTo(Forwarding.defaults());
        assertThat(rich.forwarding().xForwarded()).isFalse();
        assertThat(rich.forwarding().via()).isTrue();
        assertThat(rich.listeners().get(1).proxyProtocol().trustedAddresses()).hasSize(4);
        Route body = rich.virtualHosts().get(0).routes().get(1);
        assertThat(body.match().body().regex()).isEqualTo("\"operationName\"\\s*:\\s*\"Admin");
        assertThat(body.match().headers().get(1).invert()).isTrue();
        assertThat(body.requestHeaders().get(1).value()).isEmpty();
    }

    // Output is pretty, keeps record component order and leaves out nulls.
    @Test
    void encodingIsPrettyOrderedAndOmitsNulls() throws Exception {
        String json = ConfigCodec.encode(rich(), Format.JSON);
        assertThat(json).startsWith("{\n  \"revision\": 42,\n  \"listeners\": [\n");
        assertThat(json).doesNotContain("null");
        assertThat(json.indexOf("\"listeners\"")).isLessThan(json.indexOf("\"limits\""));
        assertThat(json.indexOf("\"limits\"")).isLessThan(json.indexOf("\"forwarding\""));
        assertThat(json.indexOf("\"virtualHosts\"")).isLessThan(json.indexOf("\"pools\""));
        assertThat(json.indexOf("\"maxRequestLineBytes\"")).isLessThan(json.indexOf("\"maxHeaderBytes\""));
        // a route without redirect/respond has no such keys at all
        assertThat(json).contains("\"name\": \"rest\"");
        String yaml = ConfigCodec.encode(rich(), Format.YAML);
        assertThat(yaml).startsWith("revision: 42\nlisteners:\n  - name: http\n");
        assertThat(yaml).doesNotContain("null").doesNotContain("---");
    }

    // Strings YAML would read as other types or as syntax are quoted, so they come back as the same strings.
    @Test
    void yamlQuotesAmbiguousStrings() throws Exception {
        List<String> tricky = List.of("yes", "no", "true", "null", "~", "123", "0x1F", "1e3", "", " lead", "#x",
                "a: b", "- x", "*.example.com", "&anchor", "!tag", "line1\nline2", "\"q\"", "'s'", "%x", "@x", "`x`");
        DuetConfig d = document().listener(new Listener("l", "0.0.0.0", 80))
                .virtualHost(virtualHost("v").hostnames(tricky).defaultHost()
                        .route(route("r").respond(200, "a: b\n- c\n", "text/plain")))
                .build();
        assertThat(ConfigCodec.decode(ConfigCodec.encode(d, Format.YAML), Format.YAML)).isEqualTo(d);
        assertThat(ConfigCodec.decode(ConfigCodec.encode(d, Format.JSON), Format.JSON)).isEqualTo(d);
    }

    // Every unknown field is reported with its path, the known fields, line and column; wrong types too.
    @Test
    void reportsAllUnknownFieldsAndWrongTypesAtOnce() {
        String json = """
                {
                  "listeners": [{"name": "a", "prot": "http", "port": 80}],
                  "pools": [{"name": "p", "servers": [
                      {"address": "10.0.0.1", "port": 80},
                      {"address": "10.0.0.2", "port": "http", "wieght": 2, "extra": {"deep": [1, 2]}}
                  ]}],
                  "vhosts": []
                }
                """;
        List<Violation> v = readErrors(json, Format.JSON);
        assertThat(v).extracting(Violation::path, Violation::id).containsExactlyInAnyOrder(
                tuple("$.listeners[0].prot", "DUET-CONFIG-0002"),
                tuple("$.pools[0].servers[1].wieght", "DUET-CONFIG-0002"),
                tuple("$.pools[0].servers[1].extra", "DUET-CONFIG-0002"),
                tuple("$.vhosts", "DUET-CONFIG-0002"),
                tuple("$.pools[0].servers[1].port", "DUET-CONFIG-0003"));
        assertThat(v).allMatch(Violation::isError);
        assertThat(v).filteredOn(x -> x.path().equals("$.listeners[0].prot")).singleElement()
                .extracting(Violation::message).isEqualTo(
                        "unknown field 'prot' (known: access, address, name, port, protocol, proxyProtocol, rateLimits, tls) at line 2, column 31");
        assertThat(v).filteredOn(x -> x.path().equals("$.pools[0].servers[1].port")).singleElement()
                .extracting(Violation::message).isEqualTo("port: \"http\" (expected: an integer) at line 5, column 39");
    }

    // The same problems are found in YAML, with YAML line numbers.
    @Test
    void yamlReadErrorsHavePathsAndLines() {
        String yaml = """
                listeners:
                  - name: a
                    port: eighty
                    proxyProtocol:
                      enabled: maybe
                      trusted: [10.0.0.0/8]
                """;
        List<Violation> v = readErrors(yaml, Format.YAML);
        assertThat(v).extracting(Violation::path, Violation::id).containsExactlyInAnyOrder(
                tuple("$.listeners[0].proxyProtocol.trusted", "DUET-CONFIG-0002"),
                tuple("$.listeners[0].port", "DUET-CONFIG-0003"),
                tuple("$.listeners[0].proxyProtocol.enabled", "DUET-CONFIG-0003"));
        assertThat(v).extracting(Violation::message).anyMatch(m -> m.contains("line 3"))
                .anyMatch(m -> m.contains("line 5")).anyMatch(m -> m.contains("line 6"));
    }

    // Shapes that do not fit (object for list, string for object, fraction or boolean for integer) are wrong types.
    @Test
    void wrongShapesAreWrongTypes() {
        assertThat(readErrors("{\"listeners\": {\"name\": \"a\"}}", Format.JSON))
                .extracting(Violation::path, Violation::id, Violation::message)
                .containsExactly(tuple("$.listeners", "DUET-CONFIG-0003",
                        "listeners: an object (expected: a list) at line 1, column 15"));
        assertThat(readErrors("{\"pools\": [\"web\"]}", Format.JSON))
                .extracting(Violation::path, Violation::id).containsExactly(tuple("$.pools[0]", "DUET-CONFIG-0003"));
        assertThat(readErrors("{\"listeners\": [{\"port\": 80.5}]}", Format.JSON))
                .extracting(Violation::path, Violation::id).containsExactly(tuple("$.listeners[0].port", "DUET-CONFIG-0003"));
        assertThat(readErrors("{\"listeners\": [{\"port\": true}]}", Format.JSON))
                .extracting(Violation::path, Violation::id).containsExactly(tuple("$.listeners[0].port", "DUET-CONFIG-0003"));
        assertThat(readErrors("listeners: [{port: 99999999999}]", Format.YAML))
                .extracting(Violation::path, Violation::id, Violation::message)
                .containsExactly(tuple("$.listeners[0].port", "DUET-CONFIG-0003",
                        "port: 99999999999 (expected: an integer of at most 2147483647) at line 1, column 20"));
        assertThat(readErrors("{\"revision\": 1, \"listeners\": [{\"port\": 99999999999}]}", Format.JSON))
                .extracting(Violation::path, Violation::id, Violation::message)
                .containsExactly(tuple("$.listeners[0].port", "DUET-CONFIG-0003",
                        "port: 99999999999 (expected: an integer of at most 2147483647) at line 1, column 40"));
        assertThat(readErrors("- a\n- b\n", Format.YAML))
                .extracting(Violation::path, Violation::id).containsExactly(tuple("$", "DUET-CONFIG-0003"));
    }

    // A number written as a string is accepted: the value is unambiguous.
    @Test
    void numericStringsAreAccepted() throws Exception {
        DuetConfig d = ConfigCodec.decode("{\"listeners\": [{\"name\": \"a\", \"port\": \"8080\"}]}", Format.JSON);
        assertThat(d.listeners().get(0).port()).isEqualTo(8080);
    }

    // Syntax errors carry id 0001, the path reached and the line; duplicate fields are 0004.
    @Test
    void syntaxErrorsAndDuplicates() {
        assertThat(readErrors("{\n  \"listeners\": [\n    {\"name\": \"a\",}\n  ]\n}", Format.JSON))
                .singleElement().satisfies(x -> {
                    assertThat(x.id()).isEqualTo("DUET-CONFIG-0001");
                    assertThat(x.path()).isEqualTo("$.listeners[0].name");
                    assertThat(x.message()).contains("line 3");
                });
        assertThat(readErrors("listeners:\n  - name: a\n   port: 1\n", Format.YAML))
                .singleElement().satisfies(x -> {
                    assertThat(x.id()).isEqualTo("DUET-CONFIG-0001");
                    assertThat(x.message()).contains("line 3");
                });
        assertThat(readErrors("{\"revision\": 1, \"revision\": 2}", Format.JSON))
                .extracting(Violation::path, Violation::id).containsExactly(tuple("$.revision", "DUET-CONFIG-0004"));
        assertThat(readErrors("listeners:\n  - name: a\n    name: b\n", Format.YAML))
                .extracting(Violation::path, Violation::id).containsExactly(tuple("$.listeners[0].name", "DUET-CONFIG-0004"));
        assertThat(readErrors("{} {}", Format.JSON))
                .extracting(Violation::path, Violation::id).containsExactly(tuple("$", "DUET-CONFIG-0001"));
    }

    // An empty document is a syntax error, not a document of defaults.
    @ParameterizedTest
    @EnumSource(Format.class)
    void emptyDocumentIsRejected(Format format) {
        assertThat(readErrors("", format)).extracting(Violation::path, Violation::id, Violation::message)
                .containsExactly(tuple("$", "DUET-CONFIG-0001", "the document is empty (expected: an object)"));
    }

    // Explicit nulls read as absent values (defaults); null list elements are kept for the validator to name.
    @Test
    void nullsAreKeptForTheValidator() throws Exception {
        DuetConfig d = ConfigCodec.decode("{\"limits\": null, \"pools\": [{\"name\": \"p\", \"servers\": [null]}]}",
                Format.JSON);
        assertThat(d.limits()).isEqualTo(Limits.defaults());
        assertThat(d.pools().get(0).servers()).containsExactly((Server) null);
        assertThat(ConfigValidator.validate(d)).extracting(Violation::path, Violation::id)
                .contains(tuple("$.pools[0].servers[0]", "DUET-CONFIG-0010"));
    }

    // The shipped example decodes and validates without errors or warnings.
    @Test
    void shippedExampleIsValid() throws Exception {
        String text = resource("/io/duet/config/example.yaml");
        DuetConfig example = ConfigCodec.decodeValid(text, Format.YAML);
        assertThat(ConfigValidator.validate(example)).isEmpty();
        assertThat(example.listeners()).singleElement().extracting(Listener::port).isEqualTo(8080);
        assertThat(example.virtualHosts()).extracting(VirtualHost::name).containsExactly("demo", "api");
        assertThat(example.pools()).extracting(Pool::name).containsExactly("web", "api");
    }
}
