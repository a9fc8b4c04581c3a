package io.duet.appliance;

import io.duet.config.DuetConfig;
import io.duet.config.HealthCheck;
import io.duet.config.Pool;
import io.duet.config.Server;
import io.duet.config.build.ConfigBuilders;
import io.duet.config.store.ConfigStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in headless Chromium against a real node ({@link AdminUiBrowser}): real requests through the proxy
 * appear in the history charts' text alternative (per pool, route and server, with latency), the charts are drawn by
 * uPlot served from its WebJar under the CSP, and when a pool's backends stop its alert comes first while a drained
 * server is listed apart as a state, not a failure.
 */
@Tag("browser")
class DashboardPageBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    /**
     * Pool web (b1, b2, checked every 100 ms) and the default host's route all to it, in one revision.
     */
    private void webPool() throws Exception {
        // Down after 3 failed checks, not 1: one check of a live backend timing out at 80 ms on a loaded CI machine
        // raised a "server down" alert before the test stopped anything (CI run of 2026-12-08). A stopped backend
        // refuses at once, so it is still down within about 0.3 s.
        HealthCheck check = new HealthCheck(null, null, "/health", null, null, null, null, null, null, 100L, 80L, 1,
                3, null);
        Pool web = ConfigBuilders.pool("web").healthCheck(check)
                .server(ConfigBuilders.server("127.0.0.1", ui.backend(0).port()).id("b1"))
                .server(ConfigBuilders.server("127.0.0.1", ui.backend(1).port()).id("b2")).build();
        ConfigStore store = ui.node().store();
        DuetConfig cur = store.current();
        io.duet.config.VirtualHost host = cur.virtualHosts().get(0);
        io.duet.config.VirtualHost routed = new io.duet.config.VirtualHost(host.name(), host.hostnames(),
                host.defaultHost(), List.of(io.duet.config.Route.forward("all", io.duet.config.RouteMatch.any(), "web")),
                host.httpsRedirect());
        List<Pool> pools = new ArrayList<>(cur.pools());
        pools.add(web);
        store.propose(new DuetConfig(cur.revision(), cur.listeners(), cur.limits(), cur.forwarding(), cur.accessLog(),
                List.of(routed), pools, cur.certificates(), cur.vips(), cur.admin(), cur.failover()),
                cur.revision(), "test", "pool web and the default host routed to it");
        await().atMost(Duration.ofSeconds(10)).until(() -> PoolTraffic.spread(ui, 4).keySet()
                .equals(Set.of("b1", "b2")));
    }

    /** The cells of series {@code series} in a chart's hidden table, newest first (textContent: it is hidden). */
    private static List<String> values(WebDriver d, String chartId, String series) {
        return d.findElements(By.cssSelector("[data-chart-values='" + chartId + "'] td[data-series='" + series + "']"))
                .stream().map(td -> td.getAttribute("textContent")).toList();
    }

    private static double number(String text) {
        return text.isEmpty() || text.startsWith("no data") ? 0 : Double.parseDouble(text.split(" ")[0]);
    }

    // Twenty requests through the proxy: the pool's requests/s and latency show in its chart's text alternative
    // within a sampling period or two; the route and the servers have theirs; the range choice redraws.
    @Test
    void realRequestsAppearInTheChartsTextAlternative() throws Exception {
        webPool();
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.find("#history");
        for (int i = 0; i < 20; i++) {
            ui.proxied();
        }
        // Within a sampling period or two (5 s each), an interval of the pool shows requests/s and a p95.
        try {
            new WebDriverWait(ui.browser(), Duration.ofSeconds(40))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> values(d, "chart-pool_web_rps", "requests/s").stream().anyMatch(v -> number(v) > 0)
                            && values(d, "chart-pool_web_latency", "p95").stream().anyMatch(v -> v.endsWith(" ms")));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the pool's charts show no traffic; history section: " + ((org.openqa.selenium
                    .JavascriptExecutor) ui.browser()).executeScript("const h = document.getElementById('history');"
                    + " return h ? h.textContent.slice(0, 3000) : 'none'") + "; the API: " + ((org.openqa.selenium
                    .JavascriptExecutor) ui.browser()).executeAsyncScript("const done = arguments[0];"
                    + " fetch('/api/v1/metrics/history?kind=pool&name=web').then(r => r.text())"
                    + ".then(t => done(t.slice(0, 3000)))"), e);
        }
        assertThat(ui.find("#chart-pool_web_rps figcaption").getText()).isEqualTo("web requests/s");
        // uPlot drew it (the module and its CSS came from /vendor/ under script-src 'self').
        assertThat(ui.find("#chart-pool_web_rps .uplot canvas").getSize().getWidth()).isGreaterThan(100);
        assertThat(Integer.parseInt(ui.find("#chart-pool_web_rps").getAttribute("data-points"))).isPositive();

        ui.click("#history-kind-server");
        ui.find("[data-object='server:web/b1'] figure");
        ui.find("[data-object='server:web/b2'] figure");
        ui.click("#history-kind-route");
        WebElement route = ui.find("[data-object^='route:'][data-object$='/all']");
        assertThat(route.getText()).contains("requests/s", "errors/s by class", "latency");
        new Select(ui.find("#history-range")).selectByVisibleText("5 minutes");
        ui.waiter().until(d -> values(d, d.findElement(By.cssSelector("[data-object$='/all'] figure[data-chart$=':rps']"))
                .getAttribute("id"), "requests/s").stream().anyMatch(v -> number(v) > 0)
                && !d.findElements(By.cssSelector("[data-object$='/all'] .uplot")).isEmpty());
        java.nio.file.Path shots = java.nio.file.Path.of("target", "ui-artifacts");
        java.nio.file.Files.createDirectories(shots);
        ((org.openqa.selenium.JavascriptExecutor) ui.browser()).executeScript(
                "document.getElementById('history').scrollIntoView()");
        assertThat((Boolean) ((org.openqa.selenium.JavascriptExecutor) ui.browser()).executeScript(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
                .as("no horizontal overflow: %s", ((org.openqa.selenium.JavascriptExecutor) ui.browser()).executeScript(
                        "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('*')]"
                        + ".filter(e => e.getBoundingClientRect().right > w).slice(0, 8)"
                        + ".map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + e.getBoundingClientRect().right)"
                        + ".join(', ')")).isTrue();
        java.nio.file.Files.write(shots.resolve("dashboard-history.png"),
                ((org.openqa.selenium.TakesScreenshot) ui.browser()).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }

    // b1 drained by an operator and b2 stopped: the pool-down alert is first (critical, linked to the pool's page),
    // and b1's drain is listed apart under the operator states, not as an alert.
    @Test
    void anAlertWhenThePoolsBackendsStopAndDrainShownApart() throws Exception {
        webPool();
        ConfigStore store = ui.node().store();
        DuetConfig cur = store.current();
        Pool web = cur.pool("web");
        List<Server> servers = new ArrayList<>(web.servers());
        servers.set(0, servers.get(0).withState(Server.DRAIN, null));
        List<Pool> pools = new ArrayList<>(cur.pools());
        pools.replaceAll(p -> p.name().equals("web") ? p.withServers(servers) : p);
        store.propose(cur.withPools(pools), cur.revision(), "test", "drain b1");
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);

        WebElement drained = ui.find("#operator-states [data-state='web/b1']");
        assertThat(drained.getAttribute("data-state-kind")).isEqualTo("drain");
        assertThat(ui.find("#alerts").getText()).contains("No alerts");

        ui.backend(1).stop();
        ui.waiter().until(d -> "pool-down:web".equals(d.findElement(By.cssSelector("#alerts li.alert:first-child"))
                .getAttribute("data-alert")));
        WebElement first = ui.find("#alerts li.alert:first-child");
        assertThat(first.getAttribute("data-severity")).isEqualTo("critical");
        assertThat(first.findElement(By.tagName("a")).getAttribute("href")).endsWith("#/pools?pool=web");
        assertThat(first.getText()).contains("Critical", "pool web", "1 out by an operator");
        assertThat(ui.browser().findElements(By.cssSelector("#alerts [data-alert='server-down:web/b1']"))).isEmpty();
        assertThat(ui.find("#operator-states").getText()).contains("server web/b1", "drain");

        ui.backend(1).start();
        ui.waiter().until(d -> d.findElement(By.id("alerts")).getText().contains("No alerts"));
    }
}
