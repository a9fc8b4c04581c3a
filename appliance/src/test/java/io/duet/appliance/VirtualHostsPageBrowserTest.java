package io.duet.appliance;

import io.duet.config.VirtualHost;
import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;

import static io.duet.appliance.RoutingBrowserSupport.answerDialog;
import static io.duet.appliance.RoutingBrowserSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Virtual hosts made, edited and deleted in the Routes page's forms, in headless Chromium ({@link AdminUiBrowser}). */
@Tag("browser")
class VirtualHostsPageBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    /**
     * A new host with a fixed-response route answers its name; renamed, it answers the new name (the old one falls to
     * the default host); with the HTTPS redirect on, plain requests are redirected; deleted after the confirmation,
     * its name falls to the default host again.
     */
    @Test
    void hostCreatedEditedRedirectedAndDeleted() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        String welcome = request(ui, "GET", "localhost", "/").body();
        ui.open("routes");
        ui.click("#vhost-new");
        ui.type("#vhost-name", "shop");
        ui.type("#vhost-hostnames", "shop.test");
        ui.click("#vhost-check");
        ui.click("#apply");
        ui.find("[data-vhost='shop']");

        new Select(ui.find("#route-host")).selectByVisibleText("shop");
        ui.type("#route-name", "hello");
        new Select(ui.find("#route-path-kind")).selectByValue("any");
        new Select(ui.find("#route-action-kind")).selectByValue("respond");
        ui.type("#route-respond-body", "shop here");
        ui.click("#route-check");
        ui.click("#apply");
        ui.find("tr[data-route='shop/hello']");
        assertThat(ui.find("tr[data-route='shop/hello'] .match").getText()).isEqualTo("everything");
        await().atMost(Duration.ofSeconds(10)).until(() -> request(ui, "GET", "shop.test", "/").body().equals("shop here"));

        ui.click("[data-edit-vhost='shop']");
        ui.type("#vhost-hostnames", "store.test");
        ui.click("#vhost-check");
        ui.click("#apply");
        ui.find("[data-vhost='shop']");
        await().atMost(Duration.ofSeconds(10)).until(() -> request(ui, "GET", "store.test", "/").body().equals("shop here"));
        assertThat(request(ui, "GET", "shop.test", "/").body()).isEqualTo(welcome);

        ui.click("[data-edit-vhost='shop']");
        ui.click("#vhost-redirect");
        ui.type("#vhost-redirect-port", "8443");
        new Select(ui.find("#vhost-redirect-status")).selectByValue("308");
        ui.click("#vhost-check");
        ui.click("#apply");
        ui.find("[data-vhost='shop']");
        await().atMost(Duration.ofSeconds(10)).until(() -> request(ui, "GET", "store.test", "/a?b=1").status() == 308);
        RawHttp.Response r = request(ui, "GET", "store.test", "/a?b=1");
        assertThat(r.header("Location")).isEqualTo("https://store.test:8443/a?b=1");

        ui.click("[data-delete-vhost='shop']");
        assertThat(answerDialog(ui, true)).contains("Delete virtual host shop?", "1 route(s)");
        await().atMost(Duration.ofSeconds(10)).until(() -> ui.node().store().current().virtualHosts().stream()
                .map(VirtualHost::name).noneMatch("shop"::equals));
        await().atMost(Duration.ofSeconds(10)).until(() -> request(ui, "GET", "store.test", "/").body().equals(welcome));
    }

    /**
     * A host form with unsaved changes asks the browser to prompt before the page unloads (a reload, closing the tab);
     * a clean one does not. Headless Chromium shows no unload prompt to a driven page, so the test sends the page the
     * event the browser sends and reads whether it asked (cancelled the event).
     */
    @Test
    void unloadingADirtyHostFormAsksFirst() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("routes");
        ui.click("[data-edit-vhost='default']");
        ui.find("#vhost-hostnames");
        assertThat(unloadAsks()).isFalse();
        ui.type("#vhost-hostnames", "localhost, other.test");
        assertThat(unloadAsks()).isTrue();
    }

    private boolean unloadAsks() {
        return (Boolean) ((JavascriptExecutor) ui.browser()).executeScript(
                "const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented;");
    }
}
