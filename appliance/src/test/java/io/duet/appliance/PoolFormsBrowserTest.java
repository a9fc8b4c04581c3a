package io.duet.appliance;

import io.duet.config.BalancerAlgorithm;
import io.duet.config.HashKey;
import io.duet.config.Pool;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pool form (new and edit) in headless Chromium against a real node ({@link AdminUiBrowser}). */
@Tag("browser")
class PoolFormsBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    /** Bug of issue 19: `x2 localhost` (no port) is refused naming its line, not read as address "localhos". */
    @Test
    void aServerLineWithoutAPortIsRefusedNamingTheLine() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("pools");
        ui.type("#pool-name", "web");
        ui.type("#pool-servers", "x2 localhost");
        ui.click("#pool-check");
        assertThat(ui.find("#new-pool .error.field").getText()).contains("line 1", "x2 localhost", "has no port");
        assertThat(ui.browser().findElements(By.id("diff-preview"))).isEmpty();
        ui.type("#pool-servers", "x2 localhost:" + ui.backend(0).port() + " weight=3");
        ui.click("#pool-check");
        assertThat(ui.find("#diff-preview").getText()).contains("\"id\":\"x2\"", "\"address\":\"localhost\"",
                "\"port\":" + ui.backend(0).port(), "\"weight\":3");
        ui.click("#apply");

        // The pool list's filter, then the pool deleted from its page after a confirmation.
        ui.find("[data-pool-item='web']");
        ui.type("#pool-filter", "no-such-pool");
        ui.waiter().until(d -> !d.findElement(By.cssSelector("[data-pool-item='web']")).isDisplayed());
        ui.type("#pool-filter", "localhost");
        ui.waiter().until(d -> d.findElement(By.cssSelector("[data-pool-item='web']")).isDisplayed());
        ui.click("[data-pool-item='web'] h3 a");
        ui.click("#delete-pool");
        assertThat(ui.find("dialog.confirm-dialog").getText()).contains("Delete pool web?");
        ui.click("#confirm-ok");
        ui.waiter().until(d -> d.getCurrentUrl().endsWith("#/pools")
                && d.findElements(By.cssSelector("[data-pool-item='web']")).isEmpty());
        assertThat(ui.node().store().current().pool("web")).isNull();
    }

    /**
     * A pool with an active health check made in the form: committed with its settings, and the proxy obeys it (b1
     * failing its checks gets no traffic while its ordinary answers would still be good).
     */
    @Test
    void aHealthCheckFromTheFormIsWhatTheProxyChecks() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("pools");
        ui.type("#pool-name", "web");
        ui.type("#pool-servers", "b1 127.0.0.1:" + ui.backend(0).port() + "\nb2 127.0.0.1:" + ui.backend(1).port());
        assertThat(ui.browser().findElement(By.id("pool-healthCheck-path")).isDisplayed()).isFalse();
        ui.click("#pool-healthCheck-on");
        ui.type("#pool-healthCheck-path", "/health");
        ui.type("#pool-healthCheck-intervalMs", "300");
        ui.type("#pool-healthCheck-timeoutMs", "250");
        ui.type("#pool-healthCheck-rise", "1");
        ui.type("#pool-healthCheck-fall", "1");
        ui.type("#pool-healthCheck-expectStatus", "200, 204");
        ui.click("#pool-check");
        assertThat(ui.find("#diff-preview").getText()).contains("\"healthCheck\":{", "\"path\":\"/health\"",
                "\"intervalMs\":300");
        ui.click("#apply");
        ui.find("[data-server-row='web/b2']");
        Pool web = ui.node().store().current().pool("web");
        assertThat(web.healthCheck().path()).isEqualTo("/health");
        assertThat(web.healthCheck().intervalMs()).isEqualTo(300L);
        assertThat(web.healthCheck().fall()).isEqualTo(1);
        assertThat(web.healthCheck().expectStatus()).containsExactly("200", "204");
        PoolTraffic.routeDefaultHostTo(ui, "web");
        await().atMost(Duration.ofSeconds(10)).until(() -> PoolTraffic.spread(ui, 10).keySet().equals(Set.of("b1", "b2")));

        ui.backend(0).healthMode(StubBackend.Mode.ERROR);
        await().atMost(Duration.ofSeconds(10)).until(() -> PoolTraffic.spread(ui, 8).keySet().equals(Set.of("b2")));
        assertThat(ui.backend(0).checks()).isPositive();
        ui.open("dashboard");
        ui.open("pools");
        ui.waiter().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-server-row='web/b1'] td.bad")));
    }

    /**
     * Balancer hash with a header key: the form shows the key's fields, validates, and the proxy sends one user to
     * one server; then the edit form adds outlier detection, a server limit and cookie affinity with a generated key,
     * and leaving the edited form asks first.
     */
    @Test
    void aHashPoolWithAHeaderKeyWorksAndItsSettingsAreEdited() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("pools");
        ui.type("#pool-name", "sticky");
        new Select(ui.find("#pool-balancer")).selectByValue("hash");
        assertThat(ui.browser().findElement(By.id("pool-weight-note")).isDisplayed()).isFalse();
        new Select(ui.find("#pool-hash-source")).selectByValue("header");
        ui.type("#pool-hash-name", "X-User");
        ui.type("#pool-servers", "b1 127.0.0.1:" + ui.backend(0).port() + "\nb2 127.0.0.1:" + ui.backend(1).port());
        ui.click("#pool-check");
        ui.find("#diff-preview");
        ui.click("#apply");
        ui.find("[data-server-row='sticky/b2']");
        assertThat(ui.node().store().current().pool("sticky").hashKey()).isEqualTo(new HashKey(HashKey.HEADER, "X-User"));
        PoolTraffic.routeDefaultHostTo(ui, "sticky");
        await().atMost(Duration.ofSeconds(10)).until(() -> ui.proxied().startsWith("b"));
        Map<String, String> serverOf = new HashMap<>();
        for (int u = 0; u < 16; u++) {
            serverOf.put("user" + u, PoolTraffic.withHeader(ui, "X-User", "user" + u));
        }
        for (int round = 0; round < 2; round++) {
            for (Map.Entry<String, String> e : serverOf.entrySet()) {
                assertThat(PoolTraffic.withHeader(ui, "X-User", e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
        assertThat(Set.copyOf(serverOf.values())).containsExactlyInAnyOrder("b1", "b2");

        // The pool's page: its settings form, prefilled.
        ui.click("[data-pool-item='sticky'] h3 a");
        assertThat(new Select(ui.find("#edit-pool #pool-balancer")).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("hash");
        assertThat(ui.find("#edit-pool #pool-hash-name").getAttribute("value")).isEqualTo("X-User");
        new Select(ui.find("#edit-pool #pool-balancer")).selectByValue("least-connections");
        assertThat(ui.find("#pool-weight-note").isDisplayed()).isTrue();
        new Select(ui.find("#edit-pool #pool-balancer")).selectByValue("hash");
        ui.click("#pool-outlierDetection-on");
        ui.type("#pool-outlierDetection-consecutiveFailures", "3");
        ui.click("#pool-serverLimit-on");
        ui.type("#pool-serverLimit-maxRequests", "10");
        ui.click("#pool-affinity-on");
        new Select(ui.find("#pool-affinity-mode")).selectByValue("cookie");
        assertThat(ui.browser().findElement(By.id("pool-affinity-learn-name")).isDisplayed()).isFalse();
        ui.click("#pool-generate-key");
        ui.type("#pool-affinity-cookie-name", "STICKY");

        // Leaving with changes not applied asks; staying keeps the form as it is.
        ui.browser().findElement(By.id("nav-routes")).click();
        ui.click("#confirm-cancel"); // the page's dialog (lib/dirty.js): stay on this page
        assertThat(ui.browser().getCurrentUrl()).contains("#/pools?pool=sticky");
        assertThat(ui.find("#pool-serverLimit-maxRequests").getAttribute("value")).isEqualTo("10");

        ui.click("#edit-pool #pool-check");
        assertThat(ui.find("#diff-preview").getText()).contains("outlierDetection", "serverLimit", "affinity");
        ui.click("#apply");
        await().atMost(Duration.ofSeconds(10)).until(() -> ui.node().store().current().pool("sticky").affinity() != null);
        Pool sticky = ui.node().store().current().pool("sticky");
        assertThat(sticky.balancer()).isEqualTo(BalancerAlgorithm.HASH.id());
        assertThat(sticky.hashKey()).isEqualTo(new HashKey(HashKey.HEADER, "X-User"));
        assertThat(sticky.outlierDetection().consecutiveFailures()).isEqualTo(3);
        assertThat(sticky.serverLimit().maxRequests()).isEqualTo(10);
        assertThat(sticky.affinity().mode()).isEqualTo("cookie");
        assertThat(sticky.affinity().cookie().name()).isEqualTo("STICKY");
        assertThat(sticky.affinity().signingKey()).isNotBlank();
        assertThat(sticky.servers()).hasSize(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> PoolTraffic.withHeader(ui, "X-User", "user1").startsWith("b"));
    }
}
