package io.duet.admin;

import io.duet.config.ClientAuth;
import io.duet.config.HttpsRedirect;
import io.duet.config.ListenerTls;
import io.duet.config.PathMatch;
import io.duet.config.Route;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener, virtual host and route forms offer config's lists, written by hand in ui/lib/routing-lists.js (no build
 * step): each constant there must hold config's values ({@link PathMatch}'s components, {@link HttpsRedirect#STATUSES},
 * {@link Route#STICKY_SERVER_DOWN}, {@link ListenerTls#PROFILES} and {@link ListenerTls#ENGINES}, {@link ClientAuth#MODES}).
 */
class RoutingListsMatchConfigTest {
    private static final String LISTS = "ui/lib/routing-lists.js";
    /** A list's quoted items, or an object's keys (a key: a word, quoted or not, before a colon and a quoted label). */
    private static final Pattern ITEM = Pattern.compile("'?([\\w-]+)'?\\s*:\\s*'[^']*'|'([^']*)'");

    /** The values (list items or object keys) of {@code const NAME = ...;} in routing-lists.js. */
    private static List<String> values(String name) throws Exception {
        String js;
        try (InputStream in = AdminServer.class.getResourceAsStream(LISTS)) {
            assertThat(in).as(LISTS + " on the classpath").isNotNull();
            js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String head = "const " + name + " = ";
        int from = js.indexOf(head);
        assertThat(from).as(LISTS + " declares " + head).isNotNegative();
        Matcher m = ITEM.matcher(js.substring(from + head.length(), js.indexOf(";", from)));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    @Test
    void pathKindsArePathMatchsComponents() throws Exception {
        assertThat(values("PATH_KINDS")).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(PathMatch.class.getRecordComponents()).map(RecordComponent::getName).toList());
    }

    @Test
    void redirectStatuses() throws Exception {
        assertThat(values("REDIRECT_STATUSES")).isEqualTo(HttpsRedirect.STATUSES.stream().map(String::valueOf).toList());
    }

    @Test
    void stickyServerDown() throws Exception {
        assertThat(values("STICKY_SERVER_DOWN")).isEqualTo(Route.STICKY_SERVER_DOWN);
    }

    @Test
    void tlsProfilesEnginesAndClientAuthModes() throws Exception {
        assertThat(values("TLS_PROFILES")).isEqualTo(ListenerTls.PROFILES);
        assertThat(values("TLS_ENGINES")).isEqualTo(ListenerTls.ENGINES);
        assertThat(values("CLIENT_AUTH_MODES")).isEqualTo(ClientAuth.MODES);
    }
}
