package io.duet.appliance;

import io.duet.config.DuetConfig;
import io.duet.config.ErrorPage;
import io.duet.config.VirtualHost;
import io.duet.config.store.ConfigStore;
import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.duet.appliance.RoutingBrowserSupport.answerDialog;
import static io.duet.appliance.RoutingBrowserSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The maintenance switch of a route in one click (confirmation with the diff and a change summary) and a virtual
 * host's error page made in its form, in headless Chromium ({@link AdminUiBrowser}), checked through the real proxy.
 */
@Tag("browser")
class MaintenanceBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    /**
     * Maintenance on for route welcome: the dialog shows what changes; confirmed, the proxy answers 503 with
     * Retry-After and the maintenance page, and the history has the summary; off again, the route is served.
     */
    @Test
    void routeMaintenanceOnAndOffInOneClick() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        String welcome = request(ui, "GET", "localhost", "/").body();
        ui.open("routes");

        ui.click("[data-maintenance='default/welcome']");
        String dialog = answerDialog(ui, true);
        assertThat(dialog).contains("Maintenance on for route welcome of default?", "Retry-After: 300",
                "maintenance", "\"enabled\":true");
        await().atMost(Duration.ofSeconds(10)).until(() -> request(ui, "GET", "localhost", "/x").status() == 503);
        RawHttp.Response down = request(ui, "GET", "localhost", "/x");
        assertThat(down.header("Retry-After")).isEqualTo("300");
        assertThat(down.body()).contains("DUET-PROXY-0503", "maintenance");
        assertThat(ui.node().store().current().virtualHosts().get(0).routes().get(0).maintenance().enabled()).isTrue();
        assertThat(ui.find("tr[data-route='default/welcome'] .action").getText()).startsWith("in maintenance (503)");

        ui.click("[data-maintenance='default/welcome']");
        assertThat(ui.find("#confirm-summary").getAttribute("value")).isEqualTo("maintenance off for route welcome of default");
        assertThat(answerDialog(ui, true)).contains("Maintenance off for route welcome of default?");
        await().atMost(Duration.ofSeconds(10)).until(() -> request(ui, "GET", "localhost", "/x").status() == 200);
        assertThat(request(ui, "GET", "localhost", "/x").body()).isEqualTo(welcome);
        await().atMost(Duration.ofSeconds(10)).until(() -> ui.find("[data-maintenance='default/welcome']").getText()
                .equals("Maintenance on for route welcome"));
    }

    /**
     * A host without routes answers 404; its error pages form adds a page for 404 (a second page for 404 is refused
     * next to its field first), and after the apply the proxy's 404 on that host is the page, while the other host
     * is served as before.
     */
    @Test
    void errorPageReplacesThe404BodyOfItsHost() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ConfigStore store = ui.node().store();
        DuetConfig c = store.current();
        List<VirtualHost> hosts = new ArrayList<>(c.virtualHosts());
        hosts.add(new VirtualHost("shop", List.of("shop.test"), false, List.of()));
        store.propose(new DuetConfig(c.revision(), c.listeners(), c.limits(), c.forwarding(), c.accessLog(), hosts,
                c.pools(), c.certificates(), c.vips(), c.admin(), c.failover()), c.revision(), "test", "host shop");
        await().atMost(Duration.ofSeconds(10)).until(() -> request(ui, "GET", "shop.test", "/x").status() == 404);
        assertThat(request(ui, "GET", "shop.test", "/x").body()).contains("DUET-PROXY-0404");
        String welcome = request(ui, "GET", "localhost", "/x").body();

        ui.open("routes");
        ui.click("[data-error-pages='shop']");
        ui.click("#error-page-add");
        ui.click("#error-page-add");
        ui.assertAccessible("error pages form of host shop");
        new Select(ui.find("#error-page-status-1")).selectByValue("404");
        ui.click("#error-pages-check");
        assertThat(ui.find("#edit-error-pages .error").getText()).contains("already has a page");

        ui.click("[data-remove-error-page='404']");
        new Select(ui.find("#error-page-status-0")).selectByValue("404");
        ui.type("#error-page-type-0", "text/plain; charset=utf-8");
        ui.type("#error-page-body-0", "shop: nothing here");
        ui.type("#error-pages-summary", "branded 404 for the shop");
        ui.click("#error-pages-check");
        assertThat(ui.find("#diff-preview").getText()).contains("errorPages", "shop: nothing here");
        ui.click("#apply");
        ui.find("[data-vhost='shop']");

        await().atMost(Duration.ofSeconds(10)).until(() -> request(ui, "GET", "shop.test", "/x").body()
                .equals("shop: nothing here"));
        RawHttp.Response page = request(ui, "GET", "shop.test", "/x");
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(request(ui, "GET", "localhost", "/x").body()).isEqualTo(welcome);
        ErrorPage stored = store.current().virtualHosts().get(1).errorPages().get(0);
        assertThat(stored.status()).isEqualTo(404);
    }
}
