package io.duet.appliance;

import io.duet.testkit.tls.Issued;
import io.duet.testkit.tls.TestPki;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.Select;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin UI's quality bars of issue 19 in headless Chromium against a real node ({@link AdminUiBrowser}): axe-core
 * finds no serious or critical accessibility violation on any page, for an admin and a viewer, at 1366x900 and at
 * 390 px wide, in the light and the dark theme (the system setting); at 390 px no control lies out of reach.
 */
@Tag("browser")
class AccessibilityBrowserTest {
    private static final String VIEWER_PASSWORD = "the-viewers-own-password";

    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    /** A location of the UI and what shows it is rendered. */
    private record Page(String name, String hash, String ready) {
    }

    /** A screen the UI is checked on: its size and the system's colour scheme. */
    private record Screen(int width, int height, String scheme) {
        @Override
        public String toString() {
            return width + "x" + height + " " + scheme;
        }
    }

    private static final List<Screen> SCREENS = List.of(new Screen(1366, 900, "light"), new Screen(1366, 900, "dark"),
            new Screen(390, 844, "light"), new Screen(390, 844, "dark"));

    private static final List<Page> ADMIN_PAGES = List.of(
            new Page("dashboard", "#/dashboard", "#health-table"),
            new Page("pools", "#/pools", "[data-server-row='web/b1']"),
            new Page("pool web", "#/pools?pool=web", "#edit-pool"),
            new Page("server web/b1", "#/pools?pool=web&server=b1", "#server-form"),
            new Page("certificates", "#/certificates", "#cert-table tr[data-cert='www']"),
            new Page("certificate www", "#/certificates?name=www", "#cert-detail"),
            new Page("VIPs", "#/vips", "[data-vip='192.0.2.50']"),
            new Page("users and tokens", "#/users", "#tokens-table tr[data-token]"),
            new Page("audit", "#/audit", "#audit-table"));

    private static final List<Page> VIEWER_PAGES = List.of(
            new Page("dashboard", "#/dashboard", "#health-table"),
            new Page("pools", "#/pools", "[data-server-row='web/b1']"),
            new Page("pool web", "#/pools?pool=web", "#pool-json"),
            new Page("certificates", "#/certificates", "#cert-table tr[data-cert='www']"),
            new Page("certificate www", "#/certificates?name=www", "#cert-detail"),
            new Page("VIPs", "#/vips", "[data-vip='192.0.2.50']"),
            new Page("users", "#/users", "main section p"),
            new Page("audit", "#/audit", "main section p"));

    /** The pages of the ROUTING and EDITOR engineers (issue 19), still being rewritten while these tests were made. */
    private static final List<Page> OTHERS_PAGES = List.of(
            new Page("routes", "#/routes", "main h2"),
            new Page("listeners", "#/listeners", "#listeners-table"),
            new Page("new virtual host", "#/routes?newhost", "#new-vhost"),
            new Page("config", "#/config", "main h2"),
            new Page("history", "#/history", "#history-table"));

    /** Every admin page, a confirmation dialog open and the header: no serious or critical violation, both themes. */
    @Test
    void adminPagesAreAccessible() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        populate();
        List<String> found = new ArrayList<>();
        for (Screen screen : SCREENS) {
            check(screen, ADMIN_PAGES, found, ui::accessibilityViolations);
            show(screen, new Page("pools", "#/pools", "[data-server-row='web/b1']"));
            ui.click("button[data-action='drain'][data-server='web/b1']");
            ui.find("dialog.confirm-dialog");
            record(found, screen + " drain dialog", ui.accessibilityViolations());
            ui.click("#confirm-cancel");
        }
        assertThat(found).as("serious or critical accessibility violations (axe-core)").isEmpty();

        // The traffic charts have a text alternative: an image named by a summary, and a hidden table of the values.
        ui.go("#/dashboard", "#charts");
        ui.waiter().until(d -> String.valueOf(d.findElement(By.id("chart-rps")).getAttribute("aria-label"))
                .matches("requests/s over the last \\d+ s: now [0-9.]+, lowest [0-9.]+, highest [0-9.]+"));
        assertThat(ui.browser().findElement(By.id("chart-rps")).getAttribute("role")).isEqualTo("img");
        assertThat(ui.browser().findElements(By.cssSelector("#chart-rps-values tr"))).hasSizeGreaterThan(1);
        assertThat(ui.browser().findElement(By.cssSelector("#chart-p95-values th:last-child")).getAttribute("textContent"))
                .isEqualTo("p95 latency, ms");
    }

    /** The dashboard once pool web has traffic: its history charts drawn by uPlot, with values (not "no data"). */
    private static final Page DASHBOARD_WITH_CHARTS = new Page("dashboard with traffic charts", "#/dashboard",
            "#chart-pool_web_latency .uplot canvas");

    /**
     * The dashboard with filled uPlot charts (pool web's requests/s, errors and latency, its route's and servers'),
     * in both themes and at both sizes: the legend, axes and hidden value tables get no serious or critical finding.
     */
    @Test
    void dashboardChartsWithDataAreAccessible() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        populate();
        PoolTraffic.routeDefaultHostTo(ui, "web");
        ui.go("#/dashboard", "#history");
        for (int i = 0; i < 10; i++) {
            ui.proxied();
        }
        // the next sample (5 s) holds them; the page polls the history every period
        new org.openqa.selenium.support.ui.WebDriverWait(ui.browser(), java.time.Duration.ofSeconds(40))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("[data-chart-values='chart-pool_web_latency'] "
                        + "td[data-series='p95']")).stream()
                        .anyMatch(td -> td.getAttribute("textContent").endsWith(" ms")));
        List<String> found = new ArrayList<>();
        for (Screen screen : SCREENS) {
            show(screen, DASHBOARD_WITH_CHARTS);
            for (String kind : List.of("route", "server", "pool")) { // pool last: the next screen's ready mark
                ui.click("#history-kind-" + kind);
                ui.find("#history-charts [data-object^='" + kind + ":'] .uplot canvas");
                assertThat(Integer.parseInt(ui.find("#history-charts [data-object^='" + kind + ":'] figure")
                        .getAttribute("data-points"))).as("%s %s charts have data", screen, kind).isPositive();
                record(found, screen + " dashboard " + kind + " charts", ui.accessibilityViolations());
            }
        }
        assertThat(found).as("dashboard charts: serious or critical accessibility violations (axe-core)").isEmpty();
    }

    /** The pages as a viewer sees them (no forms, no actions). */
    @Test
    void viewerPagesAreAccessible() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        populate();
        logInAsViewer();
        List<String> found = new ArrayList<>();
        for (Screen screen : SCREENS) {
            check(screen, VIEWER_PAGES, found, ui::accessibilityViolations);
        }
        assertThat(found).as("serious or critical accessibility violations (axe-core)").isEmpty();
    }

    /** The login page (with a refused attempt's error) and the password page a first login must fill in. */
    @Test
    void loginAndPasswordPagesAreAccessible() throws Exception {
        List<String> found = new ArrayList<>();
        for (Screen screen : SCREENS) {
            ui.login("admin", "not-the-password");
            ui.find("#login .error");
            apply(screen);
            record(found, screen + " login", ui.accessibilityViolations());
        }
        String generated = ui.generatedPassword();
        ui.login("admin", generated);
        ui.find("#password-form");
        for (Screen screen : SCREENS) {
            apply(screen);
            record(found, screen + " password", ui.accessibilityViolations());
        }
        assertThat(found).as("serious or critical accessibility violations (axe-core)").isEmpty();
    }

    /** At 390 px every control of every page can be reached: none lies beyond the viewport outside a scroll region. */
    @Test
    void at390PxEveryControlIsWithinReach() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        populate();
        List<String> found = new ArrayList<>();
        List<String> others = new ArrayList<>();
        Screen phone = new Screen(390, 844, "light");
        check(phone, ADMIN_PAGES, found, ui::controlsOutsideViewport);
        check(phone, OTHERS_PAGES, others, ui::controlsOutsideViewport);
        assertThat(found).as("controls out of reach at 390 px").isEmpty();
        assertThat(others).as("routes/config/history: controls out of reach at 390 px").isEmpty();
    }

    /** The routes, configuration and history pages, at every screen size and in both themes. */
    @Test
    void routesConfigAndHistoryPagesAreAccessible() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        populate();
        List<String> found = new ArrayList<>();
        for (Screen screen : SCREENS) {
            check(screen, OTHERS_PAGES, found, ui::accessibilityViolations);
        }
        assertThat(found).as("routes/config/history: serious or critical violations (axe-core)").isEmpty();
    }

    private void check(Screen screen, List<Page> pages, List<String> found, Supplier<List<String>> finder) {
        for (Page page : pages) {
            show(screen, page);
            record(found, screen + " " + page.name(), finder.get());
        }
    }

    private void show(Screen screen, Page page) {
        ui.go(page.hash(), page.ready());
        apply(screen);
        // aria-current marks the page's own link in the navigation (for pages that have one)
        String nav = page.hash().substring(2).split("\\?")[0];
        if (!ui.browser().findElements(By.id("nav-" + nav)).isEmpty() && ui.browser().findElement(By.id("nav-" + nav)).isDisplayed()) {
            ui.find("#nav-" + nav + "[aria-current='page']");
        }
    }

    private void apply(Screen screen) {
        ui.viewport(screen.width(), screen.height());
        ui.colorScheme(screen.scheme());
        // the emulation took: the page is laid out at that width, in that theme (style.css's --bg)
        JavascriptExecutor js = (JavascriptExecutor) ui.browser();
        assertThat(js.executeScript("return screen.width")).isEqualTo((long) screen.width());
        assertThat(js.executeScript("return getComputedStyle(document.body).backgroundColor"))
                .isEqualTo(screen.scheme().equals("dark") ? "rgb(17, 21, 28)" : "rgb(246, 248, 251)");
    }

    private static void record(List<String> found, String where, List<String> violations) {
        for (String v : violations) {
            found.add(where + ": " + v);
        }
    }

    /** A pool web (b1, b2), a VIP, an API token, a certificate and a viewer, each made through the UI. */
    private void populate() throws Exception {
        ui.open("pools");
        ui.type("#pool-name", "web");
        ui.type("#pool-servers", "b1 127.0.0.1:" + ui.backend(0).port() + "\nb2 127.0.0.1:" + ui.backend(1).port());
        ui.click("#pool-check");
        ui.click("#apply");
        ui.find("[data-server-row='web/b2']");

        ui.open("vips");
        ui.type("#vip-address", "192.0.2.50");
        ui.click("#vip-add");
        ui.find("[data-vip='192.0.2.50']");

        TestPki pki = TestPki.root("Duet A11y Test CA");
        Issued leaf = pki.leaf("www.example.test", Instant.now().minus(1, ChronoUnit.DAYS),
                Instant.now().plus(20, ChronoUnit.DAYS));
        ui.open("certificates");
        ui.type("#cert-name", "www");
        ui.type("#cert-chain", leaf.chainPem());
        ui.type("#cert-key", leaf.keyPem());
        ui.click("#cert-upload");
        ui.find("#cert-detail");

        ui.open("users");
        ui.type("#user-name", "vera");
        new Select(ui.find("#user-role")).selectByValue("viewer");
        ui.type("#user-password", VIEWER_PASSWORD);
        ui.click("#user-create");
        ui.find("#users-table tr[data-user='vera']");
        ui.type("#token-name", "deploy");
        ui.click("#token-create");
        ui.find("#tokens-table tr[data-token]");
    }

    private void logInAsViewer() {
        ui.click("#logout");
        ui.find("#login");
        ui.login("vera", VIEWER_PASSWORD);
        ui.waiter().until(d -> !d.findElements(By.cssSelector("#charts, #password-form")).isEmpty());
        if (!ui.browser().findElements(By.id("password-form")).isEmpty()) {
            ui.changePassword(VIEWER_PASSWORD, VIEWER_PASSWORD + "-2");
        }
    }
}
