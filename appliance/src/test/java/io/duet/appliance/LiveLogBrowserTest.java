package io.duet.appliance;

import io.duet.appliance.node.EmbeddedDocuments;
import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Live log page in headless Chromium against a real node ({@link AdminUiBrowser}): requests through the proxy
 * appear as they finish, the host/route/status filters pick them, and pause stops new ones from showing.
 */
@Tag("browser")
class LiveLogBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    private int get(String path) throws Exception {
        return RawHttp.get(ui.node().listenerAddress(EmbeddedDocuments.LISTENER), "localhost", path).status();
    }

    private List<String> shownPaths() {
        return ui.browser().findElements(By.cssSelector("#tail-rows td[data-field='uri']")).stream()
                .map(WebElement::getText).toList();
    }

    // Requests appear newest first with their status and route; a status filter keeps the 404s only; a path typed
    // while paused does not appear until resumed.
    @Test
    void requestsAppearFilteredAndPaused() throws Exception {
        PoolTraffic.addPool(ui, new io.duet.config.Pool("web", "round-robin", List.of(
                new io.duet.config.Server("b1", "127.0.0.1", ui.backend(0).port(), null, null))));
        PoolTraffic.routeDefaultHostTo(ui, "web");
        await().atMost(Duration.ofSeconds(10)).until(() -> PoolTraffic.spread(ui, 2).keySet().equals(Set.of("b1")));
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("live-log");
        ui.find("#tail-table");

        assertThat(get("/first")).isEqualTo(200);
        ui.backend(0).stop();
        assertThat(get("/failing")).isGreaterThanOrEqualTo(500);
        ui.backend(0).start();
        ui.waiter().until(d -> shownPaths().containsAll(List.of("/first", "/failing")));
        assertThat(shownPaths().indexOf("/failing")).isLessThan(shownPaths().indexOf("/first")); // newest first
        WebElement row = ui.find("#tail-rows tr[data-status^='5']");
        assertThat(row.findElement(By.cssSelector("td[data-field='route']")).getText()).endsWith("/all");
        assertThat(row.findElement(By.cssSelector("td[data-field='host']")).getText()).isEqualTo("localhost");

        ui.type("#tail-status", "5xx");
        ui.waiter().until(d -> shownPaths().equals(List.of("/failing")));
        ui.type("#tail-status", "");
        ui.type("#tail-host", "elsewhere.example");
        ui.waiter().until(d -> shownPaths().isEmpty());
        ui.type("#tail-host", "localhost");
        ui.type("#tail-route", "all");
        ui.waiter().until(d -> shownPaths().containsAll(List.of("/first", "/failing")));

        ui.click("#tail-pause");
        assertThat(ui.find("#tail-pause").getAttribute("aria-pressed")).isEqualTo("true");
        assertThat(get("/while-paused")).isEqualTo(200);
        assertThat(get("/while-paused-2")).isEqualTo(200);
        // Two polling periods pass (a request the page makes is the clock: the tail is still one call away).
        await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(shownPaths()).doesNotContain("/while-paused");
        ui.click("#tail-pause");
        ui.waiter().until(d -> shownPaths().containsAll(List.of("/while-paused", "/while-paused-2")));
    }
}
