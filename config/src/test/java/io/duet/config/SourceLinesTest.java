package io.duet.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SourceLines}: the line of a violation's JSON path in the same document written as JSON or as YAML. */
class SourceLinesTest {
    private static final String JSON = """
            {
              "pools": [
                {
                  "name": "web",
                  "servers": [
                    {"id": "a", "address": "10.0.0.1", "port": 80},
                    {
                      "id": "b",
                      "port": 70000
                    }
                  ]
                }
              ]
            }
            """;
    private static final String YAML = """
            # the pools
            pools:
              - name: web
                servers:
                  - id: a
                    address: 10.0.0.1
                    port: 80
                  - id: b

                    port: 70000
            """;

    @Test
    void jsonPaths() {
        SourceLines lines = ConfigCodec.lines(JSON, ConfigCodec.Format.JSON);
        assertThat(lines.lineOf("$")).isEqualTo(1);
        assertThat(lines.lineOf("$.pools")).isEqualTo(2);
        assertThat(lines.lineOf("$.pools[0]")).isEqualTo(3);
        assertThat(lines.lineOf("$.pools[0].name")).isEqualTo(4);
        assertThat(lines.lineOf("$.pools[0].servers[0].port")).isEqualTo(6);
        assertThat(lines.lineOf("$.pools[0].servers[1]")).isEqualTo(7);
        assertThat(lines.lineOf("$.pools[0].servers[1].port")).isEqualTo(9);
        // a missing field: the object that lacks it
        assertThat(lines.lineOf("$.pools[0].servers[1].address")).isEqualTo(7);
        assertThat(lines.lineOf("$.virtualHosts")).isEqualTo(1);
    }

    @Test
    void yamlPaths() {
        SourceLines lines = ConfigCodec.lines(YAML, ConfigCodec.Format.YAML);
        assertThat(lines.lineOf("$.pools")).isEqualTo(2);
        assertThat(lines.lineOf("$.pools[0]")).isEqualTo(3);
        assertThat(lines.lineOf("$.pools[0].name")).isEqualTo(3);
        assertThat(lines.lineOf("$.pools[0].servers")).isEqualTo(4);
        assertThat(lines.lineOf("$.pools[0].servers[0].address")).isEqualTo(6);
        assertThat(lines.lineOf("$.pools[0].servers[1]")).isEqualTo(8);
        assertThat(lines.lineOf("$.pools[0].servers[1].port")).isEqualTo(10);
        assertThat(lines.lineOf("$.pools[0].servers[1].address")).isEqualTo(8);
    }

    /** A syntax error ends the map: the paths before it keep their lines. */
    @Test
    void syntaxErrorKeepsWhatWasRead() {
        SourceLines lines = ConfigCodec.lines("{\n \"pools\": [\n  {\"name\": \"a\",,}\n", ConfigCodec.Format.JSON);
        assertThat(lines.lineOf("$.pools[0].name")).isEqualTo(3);
        assertThat(lines.lineOf("$.pools[0].servers")).isEqualTo(3);
    }

    /** The tree written by encodeTree reads back at the same lines as a file would. */
    @Test
    void encodedTreeIsYaml() throws Exception {
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(JSON);
        String yaml = ConfigCodec.encodeTree(tree, ConfigCodec.Format.YAML);
        assertThat(yaml).startsWith("pools:\n  - name: web\n");
        assertThat(ConfigCodec.lines(yaml, ConfigCodec.Format.YAML).lineOf("$.pools[0].servers[1].port"))
                .isEqualTo(yaml.lines().toList().indexOf("        port: 70000") + 1);
    }
}
