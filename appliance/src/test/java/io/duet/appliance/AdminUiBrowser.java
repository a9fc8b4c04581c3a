package io.duet.appliance;

import io.duet.appliance.bootstrap.BootstrapReader;
import io.duet.appliance.node.EmbeddedDocuments;
import io.duet.appliance.node.Node;
import io.duet.testkit.Requirements;
import io.duet.testkit.Tool;
import io.duet.testkit.http.RawHttp;
import io.duet.testkit.http.StubBackend;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The fixture of the admin web UI's browser tests, as a JUnit 5 extension: before each test a real node (its own data
 * directory, every port 0), two stub backends ({@code b1} and {@code b2}, each answering its name) and headless
 * Chromium ({@code chromium} and {@code chromium-driver}) at the node's admin listener; after it, all stopped. Without
 * chromium or chromedriver on the PATH the test is skipped, saying which is missing and how to get it.
 *
 * <p>One test class per page or flow registers it and drives the UI as a user does:
 * <pre>{@code
 * @Tag("browser")
 * class PoolsPageBrowserTest {
 *     @RegisterExtension
 *     final AdminUiBrowser ui = new AdminUiBrowser();
 *
 *     @Test
 *     void ...() throws Exception {
 *         ui.loginAsFirstAdmin("the-operators-own-password");
 *         ui.open("pools");
 *         ui.type("#pool-name", "web");
 *         ...
 *     }
 * }
 * }</pre>
 * Helpers wait (up to 20 s, ignoring elements the dashboard's 2 s refresh replaced) and fail with the page's text.
 */
final class AdminUiBrowser implements BeforeEachCallback, AfterEachCallback {
    /** The password the first admin is given by {@link #loginAsFirstAdmin} when a test does not care which. */
    static final String ADMIN_PASSWORD = "the-operators-own-password";
    private final StubBackend[] backends = new StubBackend[2];
    private Path dataDir;
    private Node node;
    private WebDriver browser;
    private WebDriverWait wait;
    private String ui;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Path chromium = Requirements.requireTool(Tool.CHROMIUM);
        Path chromedriver = Requirements.requireTool(Tool.CHROMEDRIVER);
        dataDir = Files.createTempDirectory("duet-ui-");
        for (int i = 0; i < backends.length; i++) {
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
                .ignoring(StaleElementReferenceException.class);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
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
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The node under test (its store, its listeners). */
    Node node() {
        return node;
    }

    /** The node's data directory (admin-password, config, audit log). */
    Path dataDir() {
        return dataDir;
    }

    WebDriver browser() {
        return browser;
    }

    /** The waits the helpers use: 20 s, stale elements ignored. */
    WebDriverWait waiter() {
        return wait;
    }

    /** Stub backend {@code b1} (index 0) or {@code b2} (index 1); each answers its own name. */
    StubBackend backend(int index) {
        return backends[index];
    }

    /** The element, once visible; otherwise fails with the page's text. */
    WebElement find(String css) {
        try {
            return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
        } catch (TimeoutException e) {
            throw new AssertionError("no visible " + css + " on " + browser.getCurrentUrl() + "; the page shows:\n"
                    + browser.findElement(By.tagName("body")).getText(), e);
        }
    }

    /** Replaces the text of a visible field. */
    void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    /** Opens the login page and logs in (what follows depends on the user: the password page or the dashboard). */
    void login(String name, String password) {
        browser.get(ui + "#/login");
        type("#name", name);
        type("#password", password);
        click("#login-submit");
    }

    /** On the password page: changes it and waits for the dashboard. */
    void changePassword(String current, String next) {
        type("#current", current);
        type("#new", next);
        click("#password-submit");
        find("#charts"); // the dashboard: the password is changed
    }

    /** The first admin's generated password, once the node has written it. */
    String generatedPassword() throws IOException {
        Path file = dataDir.resolve("admin-password");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
        return Files.readAllLines(file).get(1);
    }

    /** Logs the first admin in with the generated password and sets {@code password}; ends on the dashboard. */
    void loginAsFirstAdmin(String password) throws IOException {
        String generated = generatedPassword();
        login("admin", generated);
        changePassword(generated, password);
    }

    /** Goes to a page as a user does: by its link in the navigation; waits until it is the one shown. */
    void open(String page) {
        click("#nav-" + page);
        try {
            wait.until(d -> d.getCurrentUrl().endsWith("#/" + page)
                    && String.valueOf(d.findElement(By.id("nav-" + page)).getAttribute("class")).contains("active"));
        } catch (TimeoutException e) {
            throw new AssertionError("page " + page + " not shown: at " + browser.getCurrentUrl() + ", showing:\n"
                    + browser.findElement(By.tagName("body")).getText(), e);
        }
    }

    /** The body the proxy's plain listener answers for {@code http://localhost/}. */
    String proxied() throws Exception {
        return RawHttp.get(node.listenerAddress(EmbeddedDocuments.LISTENER), "localhost", "/").body();
    }
}
