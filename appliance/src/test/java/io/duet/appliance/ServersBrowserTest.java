package io.duet.appliance;

import io.duet.config.BalancerAlgorithm;
import io.duet.config.Pool;
import io.duet.config.Server;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The servers of an existing pool in headless Chromium against a real node ({@link AdminUiBrowser}): added, their
 * weight changed, put in maintenance, drained with a deadline, removed; each checked in the committed document and in
 * the proxy's traffic.
 */
@Tag("browser")
class ServersBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    @Test
    void theServersOfAnExistingPool() throws Exception {
        PoolTraffic.addPool(ui, new Pool("web", BalancerAlgorithm.WEIGHTED_ROUND_ROBIN.id(),
                List.of(new Server("b1", "127.0.0.1", ui.backend(0).port(), null, null))));
        PoolTraffic.routeDefaultHostTo(ui, "web");
        await().atMost(Duration.ofSeconds(10)).until(() -> PoolTraffic.spread(ui, 4).keySet().equals(Set.of("b1")));
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);

        // Add b2 to the existing pool from its page: both serve.
        ui.open("pools");
        ui.click("[data-pool-item='web'] h3 a");
        ui.click("#add-server");
        ui.type("#server-id", "b2");
        ui.type("#server-address", "127.0.0.1");
        ui.type("#server-port", String.valueOf(ui.backend(1).port()));
        ui.click("#server-check");
        assertThat(ui.find("#diff-preview").getText()).contains("$.pools[0].servers[1]", "\"id\":\"b2\"");
        ui.click("#apply");
        ui.find("[data-server-row='web/b2']");
        assertThat(ui.node().store().current().pool("web").servers()).extracting(Server::id).containsExactly("b1", "b2");
        await().atMost(Duration.ofSeconds(10)).until(() -> PoolTraffic.spread(ui, 10).keySet().equals(Set.of("b1", "b2")));

        // b1's weight to 3: three requests of four go to b1.
        ui.click("[data-edit-server='web/b1']");
        assertThat(ui.find("#server-id").getAttribute("readonly")).isNotNull();
        ui.type("#server-weight", "3");
        ui.click("#server-check");
        assertThat(ui.find("#diff-preview").getText()).contains("weight", "1", "3");
        ui.click("#apply");
        ui.waiter().until(ExpectedConditions.textToBe(By.cssSelector("[data-server-row='web/b1'] .weight"), "3"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Map<String, Integer> n = PoolTraffic.spread(ui, 40);
            return n.getOrDefault("b1", 0) == 30 && n.getOrDefault("b2", 0) == 10;
        });

        // Maintenance for b2, asked first: cancelled changes nothing, confirmed takes b2 out.
        ui.click("button[data-action='maintenance'][data-server='web/b2']");
        assertThat(ui.find("dialog.confirm-dialog").getText()).contains("web/b2");
        ui.click("#confirm-cancel");
        assertThat(ui.browser().findElements(By.cssSelector("dialog.confirm-dialog"))).isEmpty();
        assertThat(ui.node().store().current().pool("web").servers().get(1).state()).isEqualTo("enabled");
        ui.click("button[data-action='maintenance'][data-server='web/b2']");
        ui.click("#confirm-ok");
        ui.waiter().until(ExpectedConditions.textToBe(By.cssSelector("[data-server-row='web/b2'] .state"), "maintenance"));
        await().atMost(Duration.ofSeconds(10)).until(() -> PoolTraffic.spread(ui, 8).keySet().equals(Set.of("b1")));

        // Remove b2, asked first: gone from the document, the page and the traffic.
        ui.click("[data-remove-server='web/b2']");
        ui.click("#confirm-ok");
        ui.waiter().until(d -> d.findElements(By.cssSelector("[data-server-row='web/b2']")).isEmpty());
        assertThat(ui.node().store().current().pool("web").servers()).extracting(Server::id).containsExactly("b1");

        // Drain b1 with a deadline chosen in the dialog: 5 minutes from now.
        ui.click("button[data-action='drain'][data-server='web/b1']");
        ui.type("#drain-minutes", "5");
        Instant asked = Instant.now();
        ui.click("#confirm-ok");
        ui.waiter().until(ExpectedConditions.textToBe(By.cssSelector("[data-server-row='web/b1'] .state"), "drain"));
        assertThat(ui.find("[data-server-row='web/b1'] .until").getText()).startsWith("until ");
        Server b1 = ui.node().store().current().pool("web").servers().get(0);
        assertThat(b1.state()).isEqualTo("drain");
        assertThat(Instant.parse(b1.drainUntil()).getEpochSecond())
                .isCloseTo(asked.plusSeconds(300).getEpochSecond(), within(30L));
    }
}
