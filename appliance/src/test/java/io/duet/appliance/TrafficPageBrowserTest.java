package io.duet.appliance;

import io.duet.config.AddressList;
import io.duet.config.DuetConfig;
import io.duet.config.RateLimit;
import io.duet.config.Route;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.util.List;

import static io.duet.appliance.RoutingBrowserSupport.answerDialog;
import static io.duet.appliance.RoutingBrowserSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Traffic page (address lists, rate limits, top keys) in headless Chromium against a real node. */
@Tag("browser")
class TrafficPageBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    /**
     * An address list and a rate limit added through the page are committed as typed; the limit, applied to the
     * welcome route from its form, refuses the second request through the proxy; the top keys view then shows the
     * refused client; the list is deleted after the confirmation. The page has no serious or critical axe violation
     * in either theme.
     */
    @Test
    void addressListAndRateLimitAddedAppliedAndWatched() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("traffic");
        ui.click("#list-new");
        ui.type("#list-name", "office");
        ui.type("#list-addresses", "192.0.2.0/24\n2001:db8::/32");
        ui.type("#list-summary", "the office's networks");
        ui.click("#list-check");
        ui.click("#apply");
        ui.find("tr[data-list='office']");
        AddressList office = current().addressLists().stream().filter(l -> l.name().equals("office")).findFirst().orElseThrow();
        assertThat(office.addresses()).containsExactly("192.0.2.0/24", "2001:db8::/32");

        ui.click("#limit-new");
        ui.type("#limit-name", "tight");
        ui.type("#limit-requests", "1");
        new Select(ui.find("#limit-per")).selectByValue("minute");
        ui.type("#limit-burst", "1");
        ui.type("#limit-status", "429");
        ui.click("#limit-headers");
        assertThat(ui.find("label[for='limit-route-0']").getText()).isEqualTo("Apply this limit to route default/welcome");
        ui.click("#limit-route-0");
        ui.click("#limit-check");
        ui.click("#apply");
        ui.find("tr[data-limit='tight']");
        RateLimit tight = current().rateLimits().stream().filter(l -> l.name().equals("tight")).findFirst().orElseThrow();
        assertThat(tight.requests()).isEqualTo(1L);
        assertThat(tight.per()).isEqualTo(RateLimit.MINUTE);
        assertThat(tight.burst()).isEqualTo(1L);
        assertThat(tight.headers()).isTrue();
        assertThat(welcome().rateLimits()).containsExactly("tight");

        await().atMost(Duration.ofSeconds(10)).until(() -> request(ui, "GET", "localhost", "/").status() == 429);
        ui.open("dashboard");
        ui.open("traffic");
        assertThat(Long.parseLong(ui.find("tr[data-limit='tight'] td[data-count='limited']").getText())).isPositive();
        assertThat(ui.find("tr[data-limit='tight']").getText()).contains("route default/welcome");
        assertThat(ui.accessibilityViolations()).isEmpty();
        ui.colorScheme("dark");
        assertThat(ui.accessibilityViolations()).isEmpty();
        ui.colorScheme("light");

        ui.click("[data-top-limit='tight']");
        assertThat(ui.find("#top-keys-table tr[data-key]").getText()).contains("127.0.0.1");

        ui.open("traffic");
        ui.click("[data-delete-list='office']");
        assertThat(answerDialog(ui, true)).contains("Delete address list office?");
        await().atMost(Duration.ofSeconds(10)).until(() -> current().addressLists().isEmpty());
    }

    /** A limit edited to take the route off it: the route no longer names it; a bad value shows at its field. */
    @Test
    void rateLimitEditedAndRefusedValueShownAtItsField() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("traffic");
        ui.click("#limit-new");
        ui.type("#limit-name", "api");
        ui.type("#limit-requests", "0");
        ui.click("#limit-check");
        assertThat(ui.find("#limit-requests + .error.field").getText()).isNotBlank();
        ui.type("#limit-requests", "100");
        ui.click("#limit-route-0");
        ui.click("#limit-check");
        ui.click("#apply");
        ui.find("tr[data-limit='api']");
        assertThat(welcome().rateLimits()).containsExactly("api");

        ui.click("[data-edit-limit='api']");
        new Select(ui.find("#limit-action")).selectByValue("delay");
        ui.type("#limit-max-delay", "500");
        ui.click("#limit-route-0");
        ui.click("#limit-check");
        ui.click("#apply");
        ui.find("tr[data-limit='api']");
        RateLimit api = current().rateLimits().stream().filter(l -> l.name().equals("api")).findFirst().orElseThrow();
        assertThat(api.action()).isEqualTo("delay");
        assertThat(api.maxDelayMs()).isEqualTo(500L);
        assertThat(welcome().rateLimits()).isEmpty();
    }

    private DuetConfig current() {
        return ui.node().store().current();
    }

    private Route welcome() {
        List<Route> routes = current().virtualHosts().get(0).routes();
        return routes.stream().filter(r -> r.name().equals("welcome")).findFirst().orElseThrow();
    }
}
