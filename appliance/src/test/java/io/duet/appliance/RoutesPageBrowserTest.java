package io.duet.appliance;

import io.duet.config.Route;
import io.duet.config.VirtualHost;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;

import static io.duet.appliance.RoutingBrowserSupport.addPools;
import static io.duet.appliance.RoutingBrowserSupport.answerDialog;
import static io.duet.appliance.RoutingBrowserSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Routes page's route forms in headless Chromium against a real node ({@link AdminUiBrowser}). */
@Tag("browser")
class RoutesPageBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    /**
     * A virtual host and a route made from the forms serve a real request through the proxy; editing the route's
     * match (path, method, header) changes what the proxy sends there, and the table shows the match in words.
     */
    @Test
    void newHostAndRouteServeRequestsAndAnEditedMatchChangesThem() throws Exception {
        addPools(ui);
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("routes");
        ui.click("#vhost-new");
        ui.type("#vhost-name", "shop");
        ui.type("#vhost-hostnames", "shop.test, *.shop.test");
        ui.click("#vhost-check");
        assertThat(ui.find("#diff-preview").getText()).contains("\"name\":\"shop\"");
        ui.click("#apply");
        assertThat(ui.find("[data-vhost='shop'] [data-warning]").getText()).contains("DUET-CONFIG-0055",
                "virtual host 'shop' has no route");
        assertThat(ui.node().store().current().virtualHosts()).extracting(VirtualHost::name).contains("shop");

        new Select(ui.find("#route-host")).selectByVisibleText("shop");
        ui.type("#route-name", "api");
        ui.type("#route-prefix", "/api");
        new Select(ui.find("#route-pool")).selectByValue("one");
        ui.click("#route-check");
        ui.find("#diff-preview");
        ui.click("#apply");
        ui.find("tr[data-route='shop/api']");
        await().atMost(Duration.ofSeconds(10)).until(() -> request(ui, "GET", "shop.test", "/api/x").body().equals("b1"));
        assertThat(request(ui, "GET", "a.shop.test", "/api").body()).isEqualTo("b1");

        // Edit the match: another prefix, GET only, a header condition.
        ui.click("[data-edit-route='shop/api']");
        assertThat(ui.find("#route-prefix").getAttribute("value")).isEqualTo("/api");
        ui.type("#route-prefix", "/v2");
        ui.type("#route-methods", "GET");
        ui.type("#route-headers", "X-Env=prod");
        ui.click("#route-check");
        assertThat(ui.find("#diff-preview").getText()).contains("/v2");
        ui.click("#apply");
        assertThat(ui.find("tr[data-route='shop/api'] .match").getText())
                .isEqualTo("path prefix /v2 · method GET · header X-Env=prod");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> request(ui, "GET", "shop.test", "/v2/x", "X-Env: prod").body().equals("b1"));
        assertThat(request(ui, "GET", "shop.test", "/v2/x").status()).isEqualTo(404);
        assertThat(request(ui, "POST", "shop.test", "/v2/x", "X-Env: prod", "Content-Length: 0").status())
                .isEqualTo(404);
        assertThat(request(ui, "GET", "shop.test", "/api/x", "X-Env: prod").status()).isEqualTo(404);
        Route committed = ui.node().store().current().virtualHosts().stream().filter(v -> v.name().equals("shop"))
                .findFirst().orElseThrow().routes().get(0);
        assertThat(committed.match().path().prefix()).isEqualTo("/v2");
        assertThat(committed.match().methods()).containsExactly("GET");
        assertThat(committed.pool()).isEqualTo("one");

        // The filter box keeps what names or paths match: the default host has no /v2 route and hides.
        ui.type("#routes-filter", "/V2");
        ui.waiter().until(d -> !d.findElement(By.cssSelector("[data-vhost='default']")).isDisplayed());
        assertThat(ui.find("tr[data-route='shop/api']").isDisplayed()).isTrue();
        ui.type("#routes-filter", "welcome");
        ui.waiter().until(d -> !d.findElement(By.cssSelector("[data-vhost='shop']")).isDisplayed());
        assertThat(ui.find("tr[data-route='default/welcome']").isDisplayed()).isTrue();
    }

    /**
     * A route added last behind the match-all route is moved up and then wins; deleting it asks first (cancel keeps
     * it), and the summary typed in the confirmation is the history's and the audit log's text for the change.
     */
    @Test
    void moveUpThenDeleteWithConfirmationAndSummary() throws Exception {
        addPools(ui);
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("routes");
        ui.type("#route-name", "api");
        ui.type("#route-prefix", "/api");
        new Select(ui.find("#route-pool")).selectByValue("two");
        new Select(ui.find("#route-position")).selectByValue("last");
        ui.type("#route-summary", "api route for the test");
        ui.click("#route-check");
        ui.click("#apply");
        ui.find("tr[data-route='default/api']");
        String welcome = request(ui, "GET", "localhost", "/").body();
        assertThat(request(ui, "GET", "localhost", "/api").body()).isEqualTo(welcome); // welcome matches first
        assertThat(ui.find("tr[data-route='default/api'] [data-warning]").getText())
                .contains("DUET-CONFIG-0066", "route 'api' is unreachable: route 'welcome' above");

        ui.click("[data-move-up='default/api']");
        assertThat(ui.find("tr[data-route='default/api'] .position").getText()).isEqualTo("1");
        ui.click("[data-order-check='default']");
        assertThat(ui.find("#diff-preview").getText()).contains("routes");
        ui.click("#apply");
        await().atMost(Duration.ofSeconds(10)).until(() -> request(ui, "GET", "localhost", "/api").body().equals("b2"));
        assertThat(ui.node().store().current().virtualHosts().get(0).routes()).extracting(Route::name)
                .containsExactly("api", "welcome");
        // The page is drawn again after the apply: first now, the route has no warning.
        ui.waiter().until(d -> d.findElements(By.cssSelector("[data-warning]")).isEmpty()
                && !d.findElements(By.cssSelector("tr[data-route='default/api']")).isEmpty());

        ui.click("[data-delete-route='default/api']");
        assertThat(answerDialog(ui, false)).contains("Delete route api of default?");
        assertThat(ui.node().store().current().virtualHosts().get(0).routes()).extracting(Route::name)
                .containsExactly("api", "welcome");
        ui.click("[data-delete-route='default/api']");
        ui.type("#confirm-summary", "api route retired");
        answerDialog(ui, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> ui.node().store().current().virtualHosts().get(0).routes()
                .stream().map(Route::name).toList().equals(java.util.List.of("welcome")));
        await().atMost(Duration.ofSeconds(10)).until(() -> request(ui, "GET", "localhost", "/api").body().equals(welcome));

        ui.open("history");
        ui.waiter().until(d -> d.findElement(By.id("history-table")).getText().contains("api route retired"));
        assertThat(ui.find("#history-table").getText()).contains("api route for the test",
                "routes of default reordered: api, welcome");
        ui.open("audit");
        ui.waiter().until(d -> d.findElement(By.id("audit-table")).getText().contains("api route retired"));
    }

    /**
     * The folded options of the route form reach the proxy: a rewrite and a request header rule change what the server
     * gets, a response header rule what the client gets; a bad retries value is shown next to its field, unfolded.
     */
    @Test
    void rewriteAndHeaderRulesReachTheServer() throws Exception {
        addPools(ui);
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("routes");
        ui.type("#route-name", "api");
        ui.type("#route-prefix", "/api");
        new Select(ui.find("#route-pool")).selectByValue("one");
        ui.click("#route-more summary");
        ui.type("#route-rewrite-prefix", "/api");
        ui.type("#route-request-headers", "set X-From duet");
        ui.type("#route-response-headers", "set X-Route api");
        ui.type("#route-retries", "6");
        ui.click("#route-check");
        assertThat(ui.find("#route-retries + .error").getText()).contains("retries: 6 (expected: 0-5)");
        ui.type("#route-retries", "2");
        ui.click("#route-check");
        ui.find("#diff-preview");
        ui.click("#apply");
        assertThat(ui.find("tr[data-route='default/api'] .action").getText())
                .isEqualTo("pool one · rewrite /api → / · request headers: set X-From duet · response headers: set X-Route api"
                        + " · retries 2");
        await().atMost(Duration.ofSeconds(10)).until(() -> request(ui, "GET", "localhost", "/api/users?x=1").body()
                .equals("b1"));
        assertThat(ui.backend(0).last().uri()).isEqualTo("/users");
        assertThat(ui.backend(0).last().header("X-From")).isEqualTo("duet");
        assertThat(request(ui, "GET", "localhost", "/api/users").header("X-Route")).isEqualTo("api");
    }

    /** Issue 19's bug: a bad path prefix was reported under the Name field; it belongs next to the prefix input. */
    @Test
    void prefixViolationIsShownNextToThePrefix() throws Exception {
        addPools(ui);
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("routes");
        ui.type("#route-name", "bad");
        ui.type("#route-prefix", "api");
        ui.click("#route-check");
        WebElement next = ui.find("#route-prefix + .error");
        assertThat(next.getText()).contains("'api'", "expected: a path starting with /");
        assertThat(ui.browser().findElements(By.cssSelector("#route-name + .error"))).isEmpty();
    }

    /**
     * The route form with unsaved changes asks before the page is left: staying keeps the page and what was typed,
     * leaving goes on.
     */
    @Test
    void leavingADirtyFormAsksFirst() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("routes");
        ui.type("#route-name", "half-done");
        ui.click("#nav-pools");
        assertThat(answerDialog(ui, false)).contains("not applied");
        assertThat(ui.browser().getCurrentUrl()).endsWith("#/routes");
        assertThat(ui.find("#route-name").getAttribute("value")).isEqualTo("half-done");
        ui.click("#nav-pools");
        answerDialog(ui, true);
        ui.waiter().until(d -> d.getCurrentUrl().endsWith("#/pools"));
        ui.find("#pools");
        // A clean form does not ask.
        ui.open("routes");
        ui.find("#route-name");
        ui.open("pools");
    }
}
