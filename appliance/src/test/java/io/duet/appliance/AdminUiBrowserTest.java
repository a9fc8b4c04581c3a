package io.duet.appliance;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.node.EmbeddedDocuments;
import io.duet.appliance.node.Node;
import io.duet.config.BalancerAlgorithm;
import io.duet.config.HashKey;
import io.duet.config.Pool;
import io.duet.testkit.Requirements;
import io.duet.testkit.Tool;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin web UI in real headless Chromium (Debian {@code chromium} and {@code chromium-driver}) against a real
 * node: log in with the generated password, change it, create a pool with two servers and a route, see the proxy
 * serve it, drain a server, roll the change back, and check that a viewer cannot edit. A screenshot of the dashboard
 * under load is saved to {@code target/ui-artifacts/dashboard.png}. And a pool with the {@code hash} balancer and its
 * key made through the form. Skipped, saying why, without chromium or
 * chromedriver on the PATH.
 */
@Tag("browser")
class AdminUiBrowserTest {
    @TempDir
    Path dataDir;
    private Node node;
    private WebDriver browser;
    private WebDriverWait wait;
    private final StubBackend[] backends = new StubBackend[2];
    private String ui;

    @BeforeEach
    void start() throws Exception {
        Path chromium = Requirements.requireTool(Tool.CHROMIUM);
        Path chromedriver = Requirements.requireTool(Tool.CHROMEDRIVER);
        for (int i = 0; i < 2; i++) {
            String name = "b" + (i + 1);
            backends[i] = StubBackend.start(name).body(name);
        }
        Map<String, String> env = new HashMap<>(Map.of(
                "DUET_NODE_ID", "ui-node",
                "DUET_DATA_DIR", dataDir.toString(),
                "DUET_PROXY_ADDRESS", "127.0.0.1",
                "DUET_PROXY_PORT", "0",
                "DUET_PROXY_TLS_PORT", "0",
                "DUET_MANAGEMENT_PORT", "0",
                "DUET_ADMIN_ADDRESS", "127.0.0.1",
                "DUET_ADMIN_PORT", "0",
                "DUET_IO_THREADS", "2"));
        node = Node.start(BootstrapReader.read(null, dataDir.resolve("absent.properties"), env), false);
        ui = "https://127.0.0.1:" + node.adminAddress().getPort() + "/";

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // The node's certificate is self-signed (as on a fresh appliance); root needs --no-sandbox.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--ignore-certificate-errors",
                "--window-size=1280,1000", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps");
        browser = new ChromeDriver(service, options);
        // The dashboard re-renders every 2 s: an element found a moment ago may have been replaced.
        wait = (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (node != null) {
            node.close();
        }
        for (StubBackend s : backends) {
            if (s != null) {
                s.close();
            }
        }
    }

    private WebElement find(String css) {
        try {
            return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no visible " + css + " on " + browser.getCurrentUrl() + "; the page shows:\n"
                    + browser.findElement(By.tagName("body")).getText(), e);
        }
    }

    private void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    private void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    private void login(String name, String password) {
        browser.get(ui + "#/login");
        type("#name", name);
        type("#password", password);
        click("#login-submit");
    }

    private void changePassword(String current, String next) {
        type("#current", current);
        type("#new", next);
        click("#password-submit");
        find("#charts"); // the dashboard: the password is changed
    }

    /** Goes to a page as a user does: by its link in the navigation; waits until it is the one shown. */
    private void open(String page) {
        click("#nav-" + page);
        try {
            wait.until(d -> d.getCurrentUrl().endsWith("#/" + page)
                    && String.valueOf(d.findElement(By.id("nav-" + page)).getAttribute("class")).contains("active"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("page " + page + " not shown: at " + browser.getCurrentUrl() + ", showing:\n"
                    + browser.findElement(By.tagName("body")).getText(), e);
        }
    }

    private String proxied() throws Exception {
        return RawHttp.get(node.listenerAddress(EmbeddedDocuments.LISTENER), "localhost", "/").body();
    }

    /**
     * The pool form offers every balancer of the document, and for {@code hash} the fields of its key: a named
     * source without its name is refused next to the name, then the pool is committed with balancer and key.
     */
    @Test
    void poolWithHashAndItsKey() throws Exception {
        Path file = dataDir.resolve("admin-password");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
        String generated = Files.readAllLines(file).get(1);
        login("admin", generated);
        changePassword(generated, "the-operators-own-password");

        open("pools");
        Select balancer = new Select(find("#pool-balancer"));
        assertThat(balancer.getOptions()).extracting(o -> o.getAttribute("value"))
                .containsExactlyElementsOf(Arrays.stream(BalancerAlgorithm.values()).map(BalancerAlgorithm::id)
                        .toList());
        assertThat(browser.findElement(By.id("pool-hash-key")).isDisplayed()).isFalse(); // round-robin reads no key
        type("#pool-name", "sticky");
        balancer.selectByValue("hash");
        Select source = new Select(find("#pool-hash-source"));
        assertThat(source.getOptions()).extracting(o -> o.getAttribute("value"))
                .containsExactlyElementsOf(HashKey.SOURCES);
        source.selectByValue("header");
        find("#pool-hash-name");
        type("#pool-servers", "b1 127.0.0.1:" + backends[0].port()
                + "\nb2 127.0.0.1:" + backends[1].port());
        click("#pool-check");
        assertThat(find("#new-pool .error.field").getText()).contains("name: missing for source 'header'");
        type("#pool-hash-name", "X-User");
        click("#pool-check");
        assertThat(find("#diff-preview").getText()).contains("\"balancer\":\"hash\"",
                "\"hashKey\":{\"source\":\"header\",\"name\":\"X-User\"}");
        click("#apply");
        find("[data-server-row='sticky/b2']");
        Pool committed = node.store().current().pool("sticky");
        assertThat(committed.balancer()).isEqualTo(BalancerAlgorithm.HASH.id());
        assertThat(committed.hashKey()).isEqualTo(new HashKey(HashKey.HEADER, "X-User"));
    }

    @Test
    void operatorJourney() throws Exception {
        Path file = dataDir.resolve("admin-password");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
        String generated = Files.readAllLines(file).get(1);

        // Log in with the generated password; the UI insists on a new one first.
        login("admin", generated);
        find("#password-form");
        type("#current", generated);
        type("#new", "short");
        click("#password-submit");
        assertThat(find("#password-form .error").getText()).contains("at least 12");
        changePassword(generated, "the-operators-own-password");

        // A pool with two servers: an invalid port is shown next to the servers field, then the real ones.
        open("pools");
        type("#pool-name", "web");
        int p1 = backends[0].port();
        int p2 = backends[1].port();
        type("#pool-servers", "b1 127.0.0.1:" + p1 + "\nb2 127.0.0.1:70000");
        click("#pool-check");
        assertThat(find("#new-pool .error.field").getText()).contains("port");
        type("#pool-servers", "b1 127.0.0.1:" + p1 + "\nb2 127.0.0.1:" + p2);
        click("#pool-check");
        assertThat(find("#diff-preview").getText()).contains("+ $.pools", "\"name\":\"web\"");
        click("#apply");
        find("[data-server-row='web/b2']");

        // A route to it, first in the default host; the proxy serves both backends.
        open("routes");
        type("#route-name", "web");
        new Select(find("#route-pool")).selectByValue("web");
        click("#route-check");
        find("#diff-preview");
        click("#apply");
        await().atMost(Duration.ofSeconds(10)).until(() -> proxied().startsWith("b"));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            seen.add(proxied());
        }
        assertThat(seen).containsExactlyInAnyOrder("b1", "b2");
        long routeRevision = node.store().current().revision();

        // Drain b1 from the UI: the proxy sends new requests to b2 only.
        open("pools");
        click("button[data-action='drain'][data-server='web/b1']");
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-server-row='web/b1'] .state"), "drain"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Set<String> now = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                now.add(proxied());
            }
            return now.equals(Set.of("b2"));
        });

        // Roll the drain back from the history: b1 serves again.
        open("history");
        click("button[data-rollback='" + routeRevision + "']");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                node.store().current().pool("web").servers().get(0).state().equals("enabled"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Set<String> now = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                now.add(proxied());
            }
            return now.contains("b1");
        });

        // A VIP: an invalid address is refused next to its field; a valid one is listed.
        open("vips");
        type("#vip-address", "192.0.2.300");
        click("#vip-add");
        assertThat(find("#new-vip .error.field").getText()).contains("192.0.2.300");
        type("#vip-address", "192.0.2.50");
        click("#vip-add");
        find("[data-vip='192.0.2.50']");
        assertThat(node.store().current().vips()).extracting(v -> v.address()).containsExactly("192.0.2.50");

        // The dashboard under load: a bounded load (until the screenshot is taken, at most 60 s).
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong served = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Thread load = new Thread(() -> {
            while (loading.get() && System.nanoTime() < deadline) {
                try {
                    proxied();
                    served.incrementAndGet();
                } catch (Exception e) {
                    return;
                }
            }
        }, "ui-test-load");
        load.start();
        try {
            open("dashboard");
            find("#health-table");
            new WebDriverWait(browser, Duration.ofSeconds(40))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
                String rps = d.findElement(By.id("fig-rps")).getText();
                String points = d.findElement(By.id("chart-rps")).getAttribute("data-points");
                return !rps.isEmpty() && Double.parseDouble(rps) > 10 && points != null
                        && Integer.parseInt(points) >= 8; // a chart with a line: 8 refreshes, 2 s apart
            });
            Path shots = Path.of("target", "ui-artifacts");
            Files.createDirectories(shots);
            String shown = wait.until(d -> d.findElement(By.id("fig-rps")).getText());
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
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
        open("users");
        type("#user-name", "vera");
        new Select(find("#user-role")).selectByValue("viewer");
        type("#user-password", "vera-initial-password");
        click("#user-create");
        find("#created-password");
        // API tokens: made with an expiry (the token shown once), listed with expiry and last use, revoked.
        type("#token-name", "ci");
        type("#token-days", "30");
        click("#token-create");
        assertThat(find("#created-token").getText()).contains("duet_");
        open("audit");
        open("users");
        assertThat(find("#tokens-table tr[data-token]").getText()).contains("ci", "viewer", "never");
        click("#tokens-table button.revoke");
        wait.until(d -> d.findElements(By.cssSelector("#tokens-table tr[data-token]")).isEmpty());
        // The admin's audit page lists what happened, the user just created among it.
        open("audit");
        wait.until(d -> d.findElement(By.id("audit-table")).getText().contains("user vera added (viewer)"));
        assertThat(find("#audit-table").getText()).contains("login", "commit");
        click("#logout");
        login("vera", "vera-initial-password");
        changePassword("vera-initial-password", "vera-own-password-1");
        open("pools");
        find("[data-server-row='web/b1']");
        assertThat(browser.findElements(By.cssSelector("button[data-action]"))).isEmpty();
        assertThat(browser.findElements(By.id("new-pool"))).isEmpty();
        open("config");
        assertThat(find("#config-text").getAttribute("readonly")).isNotNull();
        assertThat(browser.findElements(By.id("config-check"))).isEmpty();
        assertThat(browser.findElement(By.id("nav-users")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("nav-audit")).isDisplayed()).isFalse();
        long before = node.store().current().revision();
        open("history");
        find("#history-table");
        assertThat(browser.findElements(By.cssSelector("button[data-rollback]"))).isEmpty();
        assertThat(node.store().current().revision()).isEqualTo(before);
    }
}
