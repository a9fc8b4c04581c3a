package io.duet.appliance;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator's day in the admin web UI, in headless Chromium against a real node ({@link AdminUiBrowser}): log in
 * with the generated password, change it, create a pool with two servers and a route, see the proxy serve it, drain
 * a server, roll the change back, add a VIP, watch the dashboard under load (a screenshot saved to
 * {@code target/ui-artifacts/dashboard.png}), add a viewer and an API token, read the audit log, and check that the
 * viewer cannot edit.
 */
@Tag("browser")
class OperatorJourneyBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    @Test
    void operatorJourney() throws Exception {
        String generated = ui.generatedPassword();

        // Log in with the generated password; the UI insists on a new one first.
        ui.login("admin", generated);
        ui.find("#password-form");
        ui.type("#current", generated);
        ui.type("#new", "short");
        ui.click("#password-submit");
        assertThat(ui.find("#password-form .error").getText()).contains("at least 12");
        ui.changePassword(generated, "the-operators-own-password");

        // A pool with two servers: an invalid port is shown next to the servers field, then the real ones.
        ui.open("pools");
        ui.type("#pool-name", "web");
        int p1 = ui.backend(0).port();
        int p2 = ui.backend(1).port();
        ui.type("#pool-servers", "b1 127.0.0.1:" + p1 + "\nb2 127.0.0.1:70000");
        ui.click("#pool-check");
        assertThat(ui.find("#new-pool .error.field").getText()).contains("port");
        ui.type("#pool-servers", "b1 127.0.0.1:" + p1 + "\nb2 127.0.0.1:" + p2);
        ui.click("#pool-check");
        assertThat(ui.find("#diff-preview").getText()).contains("+ $.pools", "\"name\":\"web\"");
        ui.click("#apply");
        ui.find("[data-server-row='web/b2']");

        // A route to it, first in the default host; the proxy serves both backends.
        ui.open("routes");
        ui.type("#route-name", "web");
        new Select(ui.find("#route-pool")).selectByValue("web");
        ui.click("#route-check");
        ui.find("#diff-preview");
        ui.click("#apply");
        await().atMost(Duration.ofSeconds(10)).until(() -> ui.proxied().startsWith("b"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            seen.add(ui.proxied());
        }
        assertThat(seen).containsExactlyInAnyOrder("b1", "b2");
        long routeRevision = ui.node().store().current().revision();

        // Drain b1 from the UI: the proxy sends new requests to b2 only.
        ui.open("pools");
        ui.click("button[data-action='drain'][data-server='web/b1']");
        ui.click("#confirm-ok"); // drain asks first (issue 19: destructive actions are confirmed)
        ui.waiter().until(ExpectedConditions.textToBe(By.cssSelector("[data-server-row='web/b1'] .state"), "drain"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Set<String> now = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                now.add(ui.proxied());
            }
            return now.equals(Set.of("b2"));
        });

        // Roll the drain back from the history: b1 serves again.
        ui.open("history");
        ui.click("button[data-rollback='" + routeRevision + "']");
        ui.click("#rollback-confirm"); // rollback asks first
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ui.node().store().current().pool("web").servers().get(0).state().equals("enabled"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Set<String> now = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                now.add(ui.proxied());
            }
            return now.contains("b1");
        });

        // A VIP: an invalid address is refused next to its field; a valid one is listed.
        ui.open("vips");
        ui.type("#vip-address", "192.0.2.300");
        ui.click("#vip-add");
        assertThat(ui.find("#new-vip .error.field").getText()).contains("192.0.2.300");
        ui.type("#vip-address", "192.0.2.50");
        ui.click("#vip-add");
        ui.find("[data-vip='192.0.2.50']");
        assertThat(ui.node().store().current().vips()).extracting(v -> v.address()).containsExactly("192.0.2.50");

        // The dashboard under load: a bounded load (until the screenshot is taken, at most 60 s).
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong served = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Thread load = new Thread(() -> {
            while (loading.get() && System.nanoTime() < deadline) {
                try {
                    ui.proxied();
                    served.incrementAndGet();
                } catch (Exception e) {
                    return;
                }
            }
        }, "ui-test-load");
        load.start();
        try {
            ui.open("dashboard");
            ui.find("#health-table");
            new WebDriverWait(ui.browser(), Duration.ofSeconds(40))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
                String rps = d.findElement(By.id("fig-rps")).getText();
                String points = d.findElement(By.id("chart-rps")).getAttribute("data-points");
                return !rps.isEmpty() && Double.parseDouble(rps) > 10 && points != null
                        && Integer.parseInt(points) >= 8; // a chart with a line: 8 refreshes, 2 s apart
            });
            Path shots = Path.of("target", "ui-artifacts");
            Files.createDirectories(shots);
            String shown = ui.waiter().until(d -> d.findElement(By.id("fig-rps")).getText());
            File shot = ((TakesScreenshot) ui.browser()).getScreenshotAs(OutputType.FILE);
            Path png = shots.resolve("dashboard.png");
            Files.copy(shot.toPath(), png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(png)).isGreaterThan(10_000);
            System.out.println("dashboard screenshot under load: " + png.toAbsolutePath() + " (requests/s shown "
                    + shown + ", " + served.get() + " requests so far)");
        } finally {
            loading.set(false);
            load.join(10_000);
        }

        // A viewer sees everything and can change nothing.
        ui.open("users");
        ui.type("#user-name", "vera");
        new Select(ui.find("#user-role")).selectByValue("viewer");
        ui.type("#user-password", "vera-initial-password");
        ui.click("#user-create");
        ui.find("#created-password");
        // API tokens: made with an expiry (the token shown once), listed with expiry and last use, revoked.
        ui.type("#token-name", "ci");
        ui.type("#token-days", "30");
        ui.click("#token-create");
        assertThat(ui.find("#created-token").getText()).contains("duet_");
        ui.open("audit");
        ui.open("users");
        assertThat(ui.find("#tokens-table tr[data-token]").getText()).contains("ci", "viewer", "never");
        ui.click("#tokens-table button.revoke");
        ui.click("#confirm-ok"); // revoking asks first
        ui.waiter().until(d -> d.findElements(By.cssSelector("#tokens-table tr[data-token]")).isEmpty());
        // The admin's audit page lists what happened, the user just created among it.
        ui.open("audit");
        ui.waiter().until(d -> d.findElement(By.id("audit-table")).getText().contains("user vera added (viewer)"));
        assertThat(ui.find("#audit-table").getText()).contains("login", "commit");
        ui.click("#logout");
        ui.login("vera", "vera-initial-password");
        ui.changePassword("vera-initial-password", "vera-own-password-1");
        ui.open("pools");
        ui.find("[data-server-row='web/b1']");
        assertThat(ui.browser().findElements(By.cssSelector("button[data-action]"))).isEmpty();
        assertThat(ui.browser().findElements(By.id("new-pool"))).isEmpty();
        ui.open("config");
        assertThat(ui.find("#config-text").getAttribute("readonly")).isNotNull();
        assertThat(ui.browser().findElements(By.id("config-check"))).isEmpty();
        assertThat(ui.browser().findElement(By.id("nav-users")).isDisplayed()).isFalse();
        assertThat(ui.browser().findElement(By.id("nav-audit")).isDisplayed()).isFalse();
        long before = ui.node().store().current().revision();
        ui.open("history");
        ui.find("#history-table");
        assertThat(ui.browser().findElements(By.cssSelector("button[data-rollback]"))).isEmpty();
        assertThat(ui.node().store().current().revision()).isEqualTo(before);
    }
}
