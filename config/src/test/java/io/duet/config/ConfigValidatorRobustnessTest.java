package io.duet.config;

import io.duet.config.ConfigCodec.Format;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class ConfigValidatorRobustnessTest {

    // Every one-spot mutation of the rich document (a field set to null, a list element nulled or the list emptied,
    // a string blanked, a number at its extremes) validates without throwing, and survives the codec round trip.
    @Test
    void validatorNeverThrowsOnMutatedDocuments() throws Exception {
        DuetConfig rich = ConfigCodecTest.rich();
        List<Object> variants = variants(rich);
        assertThat(variants).hasSizeGreaterThan(500);
        for (int i = 0; i < variants.size(); i++) {
            DuetConfig d = (DuetConfig) variants.get(i);
            assertThatCode(() -> ConfigValidator.validate(d)).as("variant %d: %s", i, d).doesNotThrowAnyException();
            for (Format f : Format.values()) {
                assertThat(ConfigCodec.decode(ConfigCodec.encode(d, f), f)).as("%s round trip of variant %d", f, i)
                        .isEqualTo(d);
            }
        }
    }

    // A document of nulls and empty objects at every level yields violations, never an exception.
    @Test
    void documentFullOfNullsAndEmpties() throws Exception {
        DuetConfig d = ConfigCodec.decode("""
                revision: null
                listeners: [null, {}, {proxyProtocol: {}}, {proxyProtocol: {enabled: true, trustedAddresses: [null]}}]
                limits: {}
                forwarding: {trustedProxies: [null, ""]}
                accessLog: {}
                virtualHosts:
                  - null
                  - {}
                  - hostnames: [null, ""]
                    routes:
                      - null
                      - {}
                      - match: {}
                        redirect: {}
                        respond: {}
                        rewrite: {}
                        compression: {mimeTypes: [null]}
                        requestHeaders: [null, {}]
                        responseHeaders: [{}]
                      - match: {path: {}, methods: [null, ""], headers: [null, {}], query: [{}], cookies: [{}],
                                contentTypes: [null, "", "/"], body: {}}
                        pool: ""
                pools: [null, {}, {servers: [null, {}]}, {servers: []}]
                """, Format.YAML);
        List<Violation> all = ConfigValidator.validate(d);
        assertThat(all).isNotEmpty().anyMatch(Violation::isError);
        assertThat(all).extracting(Violation::path).contains("$.listeners[0]", "$.virtualHosts[0]",
                "$.virtualHosts[2].routes[0]", "$.pools[2].servers[0]", "$.pools[2].servers[1].address",
                "$.virtualHosts[2].routes[3].match.path", "$.virtualHosts[2].routes[3].match.body.regex");
        assertThat(ConfigValidator.validate(new DuetConfig(null, null, null, null, null, null, null)))
                .extracting(Violation::id).contains("DUET-CONFIG-0030");
        assertThat(ConfigValidator.validate(null)).extracting(Violation::path).containsExactly("$");
    }

    /** Copies of {@code value}, each changed in exactly one place. */
    static List<Object> variants(Object value) throws Exception {
        List<Object> out = new ArrayList<>();
        if (value instanceof Record r) {
            RecordComponent[] components = r.getClass().getRecordComponents();
            Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                args[i] = components[i].getAccessor().invoke(r);
            }
            Constructor<?> canonical = r.getClass().getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            for (int i = 0; i < components.length; i++) {
                Object[] nulled = args.clone();
                nulled[i] = null;
                out.add(canonical.newInstance(nulled));
                for (Object v : variants(args[i])) {
                    Object[] changed = args.clone();
                    changed[i] = v;
                    out.add(canonical.newInstance(changed));
                }
            }
        } else if (value instanceof List<?> list) {
            out.add(List.of());
            for (int i = 0; i < list.size(); i++) {
                List<Object> nulled = new ArrayList<>(list);
                nulled.set(i, null);
                out.add(nulled);
                for (Object v : variants(list.get(i))) {
                    List<Object> changed = new ArrayList<>(list);
                    changed.set(i, v);
                    out.add(changed);
                }
            }
        } else if (value instanceof String) {
            out.add("");
            out.add(" ");
            out.add("a\r\nb");
        } else if (value instanceof Integer) {
            out.add(Integer.MIN_VALUE);
            out.add(Integer.MAX_VALUE);
            out.add(0);
        } else if (value instanceof Long) {
            out.add(Long.MIN_VALUE);
            out.add(Long.MAX_VALUE);
            out.add(0L);
        }
        return out;
    }
}
