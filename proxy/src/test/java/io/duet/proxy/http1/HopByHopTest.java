package io.duet.proxy.http1;

import io.duet.config.ConfigCodec;
import io.duet.config.ConfigValidator;
import io.duet.config.HopByHopHeaders;
import io.duet.config.Violation;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The one list of hop-by-hop headers, its forms, and that the config validator refuses exactly these in rules. */
class HopByHopTest {

    @Test
    void theNinePerRfc9110AndTheLegacyTwo() {
        assertThat(HopByHopHeaders.LOWER_CASE).containsExactlyInAnyOrder("connection", "keep-alive",
                "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "proxy-authorization",
                "proxy-authenticate");
    }

    @Test
    void headersAreUndertowsConstantsWhereItHasThem() {
        HttpString[] h = HopByHop.headers();
        assertThat(h).hasSize(HopByHopHeaders.NAMES.size());
        assertThat(h[0]).isSameAs(Headers.CONNECTION);
        assertThat(h[1]).isEqualTo(Headers.KEEP_ALIVE); // Undertow spells its constant keep-alive
        assertThat(h[3]).isSameAs(Headers.TE);
        assertThat(h[5]).isSameAs(Headers.TRANSFER_ENCODING);
        assertThat(h[8]).isSameAs(Headers.PROXY_AUTHENTICATE);
        for (int i = 0; i < h.length; i++) {
            assertThat(h[i].toString()).isEqualTo(HopByHopHeaders.NAMES.get(i));
        }
        assertThat(HopByHop.headers()).isNotSameAs(h); // a caller's own copy
    }

    /**
     * The config module keeps its own copy for the validator (config may use no proxy package): over every header
     * name Undertow knows and the list itself, the validator calls a header rule's name hop-by-hop exactly when it
     * is on this list.
     */
    @Test
    void theValidatorRefusesExactlyTheseAsHopByHop() throws Exception {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(HopByHopHeaders.NAMES);
        for (Field f : Headers.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == HttpString.class) {
                String name = f.get(null).toString();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        assertThat(names).hasSizeGreaterThan(50);
        List<String> wrong = new ArrayList<>();
        for (String name : names) {
            boolean refused = refusedAsHopByHop(name);
            if (refused != HopByHopHeaders.LOWER_CASE.contains(name.toLowerCase(Locale.ROOT))) {
                wrong.add(name + (refused ? " refused by the validator only" : " not refused by the validator"));
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static boolean refusedAsHopByHop(String name) throws Exception {
        String doc = """
                listeners: [{name: l, port: 8080}]
                pools: [{name: p, servers: [{address: 10.0.0.1, port: 80}]}]
                virtualHosts:
                  - name: v
                    defaultHost: true
                    routes:
                      - name: r
                        pool: p
                        responseHeaders: [{op: remove, name: "%s"}]
                """.formatted(name);
        List<Violation> v = ConfigValidator.validate(ConfigCodec.decode(doc, ConfigCodec.Format.YAML));
        return v.stream().anyMatch(x -> x.isError() && x.message().contains("is a hop-by-hop header"));
    }
}
