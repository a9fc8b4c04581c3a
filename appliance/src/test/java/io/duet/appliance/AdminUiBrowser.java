package io.duet.appliance;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
    private int viewportWidth; // set by viewport(); 0: the window's

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Path chromium = Requirements.requireTool(Tool.CHROMIUM);
        Path chromedriver = Requirements.requireTool(Tool.CHROMEDRIVER);
        dataDir = Files.createTempDirectory("duet-ui-");
        for (int i = 0; i < backends.length; i++) {
            String name = "b" + (i + 1);
            backends[i] = StubBackend.start(name).body(name);
        }
        node = LoopbackNodes.start(LoopbackNodes.env("ui-node", dataDir, 2));
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
        // Found, cleared and typed again if the page replaced the field meanwhile (a logout still rendering the login
        // page when the test types its name: OperatorJourneyBrowserTest failed once so).
        wait.until(d -> {
            WebElement e = find(css);
            e.clear();
            e.sendKeys(text);
            return true;
        });
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

    /** Goes to a location of the UI (e.g. {@code #/pools?pool=web}) and waits until {@code css} is visible. */
    void go(String hash, String css) {
        browser.get(ui + hash);
        find(css);
    }

    /**
     * Makes the page lay out as on a screen {@code width} x {@code height} CSS pixels wide (Chromium's device
     * emulation; below 600 px as a phone, honouring the page's viewport meta tag). The page is laid out again at once.
     */
    void viewport(int width, int height) {
        viewportWidth = width;
        ((ChromeDriver) browser).executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width,
                "height", height, "screenWidth", width, "screenHeight", height, "deviceScaleFactor", 1,
                "mobile", width < 600));
    }

    /** Makes the page see the system setting {@code light} or {@code dark} (prefers-color-scheme). */
    void colorScheme(String scheme) {
        ((ChromeDriver) browser).executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /**
     * The page's accessibility violations of impact serious or critical, as axe-core (run in the page) finds them
     * against WCAG 2.x A and AA and its best practices: one line per rule with its id, impact, help and the CSS
     * selectors of the elements at fault. Empty when there are none. Waits for running CSS transitions to end first.
     */
    List<String> accessibilityViolations() {
        // colours mid-transition (the toast fading) are no state a reader stays in: check once they settle
        wait.until(d -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return document.getAnimations().length === 0")));
        Results results = new AxeBuilder()
                .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"))
                .analyze(browser);
        if (results.isErrored()) {
            throw new AssertionError("axe-core could not check " + browser.getCurrentUrl() + ": "
                    + results.getErrorMessage());
        }
        return results.getViolations().stream()
                .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact()))
                .map(AdminUiBrowser::describe)
                .toList();
    }

    private static String describe(Rule r) {
        return r.getId() + " (" + r.getImpact() + "): " + r.getHelp() + " at "
                + r.getNodes().stream().map(n -> String.valueOf(n.getTarget())).collect(Collectors.joining(", "));
    }

    /** Fails, naming each rule, its impact and its elements, when axe-core finds a serious or critical violation. */
    void assertAccessible(String context) {
        List<String> violations = accessibilityViolations();
        if (!violations.isEmpty()) {
            throw new AssertionError(context + " (" + browser.getCurrentUrl() + "): serious or critical accessibility "
                    + "violations:\n  " + String.join("\n  ", violations));
        }
    }

    /**
     * What of the shown page lies beyond the viewport's width and cannot be scrolled to on its own: the page wider
     * than the viewport, and each visible control (button, link, field) outside it that no horizontally scrollable
     * region of the page's (e.g. a table's) holds; a region that is itself wider than the viewport counts too.
     */
    @SuppressWarnings("unchecked")
    List<String> controlsOutsideViewport() {
        // As a phone, Chromium widens the layout viewport to a page wider than the screen: compare with the screen.
        return (List<String>) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("""
                const w = arguments[0] || window.innerWidth, out = [];
                const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                    + ' "' + (e.getAttribute('aria-label') || e.textContent || e.value || '').trim().slice(0, 40) + '"';
                if (document.documentElement.scrollWidth > w) {
                  out.push('the page is ' + document.documentElement.scrollWidth + ' px wide, the viewport ' + w);
                }
                for (const c of document.querySelectorAll('button, a[href], input, select, textarea')) {
                  const r = c.getBoundingClientRect();
                  if (!r.width || !c.checkVisibility()) continue;
                  let region = c.parentElement;
                  while (region && region !== document.body && !['auto', 'scroll'].includes(getComputedStyle(region).overflowX)) {
                    region = region.parentElement;
                  }
                  const box = region && region !== document.body ? region.getBoundingClientRect() : null;
                  if (box && (box.left < -1 || box.right > w + 1)) out.push(name(c) + ': its scroll region is wider than the viewport');
                  else if (!box && (r.left < -1 || r.right > w + 1)) out.push(name(c) + ' at ' + Math.round(r.left) + '..' + Math.round(r.right));
                }
                return out;
                """, viewportWidth);
    }
}
