package io.duet.appliance;

import io.duet.config.VirtualHost;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration editor in headless Chromium against a real node ({@link AdminUiBrowser}): YAML and JSON, line
 * numbers, each violation on its line, warnings shown (not blocking), one list per validation.
 */
@Tag("browser")
class ConfigEditorBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    private String text() {
        return ui.find("#config-text").getDomProperty("value");
    }

    /** The 1-based number of the first line at or after line {@code from} that matches {@code regex}. */
    private static int lineMatching(List<String> lines, int from, String regex) {
        for (int i = Math.max(from - 1, 0); i < lines.size(); i++) {
            if (lines.get(i).matches(regex)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line matches " + regex + " in:\n" + String.join("\n", lines));
    }

    /** The text with the first listener's port set to 70000; its line number in {@code line[0]}. */
    private static String brokenPort(String text, String portLine, int[] line) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int at = lineMatching(lines, lineMatching(lines, 1, "listeners:.*|\\s*\"listeners\".*"), portLine);
        lines.set(at - 1, lines.get(at - 1).replaceFirst("\\d+", "70000"));
        line[0] = at;
        return String.join("\n", lines) + "\n";
    }

    /** Line n's number in the gutter (present; it may be scrolled out of view with its text). */
    private WebElement gutterLine(int n) {
        ui.find("#config-text-gutter");
        return ui.browser().findElement(By.cssSelector("#config-text-gutter [data-line='" + n + "']"));
    }

    /**
     * YAML: a wrong port is shown on its line (gutter and list); fixed, with a virtual host without routes inserted
     * first, the warning DUET-CONFIG-0055 is shown on that host's line, the diff is one addition, and it applies with
     * the summary typed.
     */
    @Test
    void yamlErrorOnItsLineThenWarningAndApply() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("config");
        assertThat(new Select(ui.find("#config-syntax")).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("yaml");
        String original = text();
        assertThat(original).contains("virtualHosts:\n").doesNotContain("{\n");
        assertThat(gutterLine(1).getText()).isEqualTo("1");

        int[] line = new int[1];
        String broken = brokenPort(original, "\\s+port: \\d+", line);
        ui.type("#config-text", broken);
        ui.click("#config-check");
        WebElement error = ui.find("#config-violations li.error");
        assertThat(error.getText()).contains("line " + line[0] + ":", "$.listeners[0].port", "70000");
        assertThat(gutterLine(line[0]).getAttribute("class")).contains("error");
        assertThat(ui.browser().findElements(By.id("apply"))).as("an error blocks apply").isEmpty();

        // fixed, plus a host without routes, inserted first
        List<String> lines = new ArrayList<>(original.lines().toList());
        int hosts = lineMatching(lines, 1, "virtualHosts:");
        lines.addAll(hosts, List.of("  - name: empty", "    hostnames:", "      - empty.example"));
        ui.type("#config-text", String.join("\n", lines) + "\n");
        ui.click("#config-check");
        ui.find("#config-violations li.warning");
        // the https listener without certificate (DUET-CONFIG-0170) is warned about too
        assertThat(ui.browser().findElements(By.cssSelector("#config-violations li.warning")))
                .extracting(WebElement::getText).anySatisfy(w -> assertThat(w).contains("DUET-CONFIG-0170"));
        WebElement warning = ui.find("#config-violations li.warning[data-line='" + (hosts + 1) + "']");
        assertThat(warning.getText()).contains("Warning", "DUET-CONFIG-0055", "line " + (hosts + 1) + ":");
        assertThat(gutterLine(hosts + 1).getAttribute("class")).contains("warning");
        warning.findElement(By.tagName("button")).click(); // Go to line: the text and its gutter scroll to it
        ui.waiter().until(ExpectedConditions.visibilityOf(gutterLine(hosts + 1)));
        String diff = ui.find("#diff-preview").getText();
        assertThat(diff).startsWith("+ $.virtualHosts[0]: {\"name\":\"empty\"").doesNotContain("~ ");
        assertThat(diff.lines()).hasSize(1);
        ui.type("#config-summary", "an empty host for later");
        ui.click("#apply");
        ui.waiter().until(d -> ui.node().store().current().virtualHosts().stream().map(VirtualHost::name).toList()
                .contains("empty"));
        assertThat(ui.node().store().current().virtualHosts().get(0).name()).isEqualTo("empty");
        // the page shows the new revision, in YAML again
        ui.waiter().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#config-form h2"),
                "revision " + ui.node().store().current().revision()));
    }

    /** Validating twice shows one list, not two (the bug: violations piled up on every click). */
    @Test
    void validateTwiceShowsOneList() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("config");
        int[] line = new int[1];
        ui.type("#config-text", brokenPort(text(), "\\s+port: \\d+", line));
        ui.click("#config-check");
        int once = ui.find("#config-violations").findElements(By.tagName("li")).size();
        assertThat(once).isPositive();
        ui.click("#config-check");
        ui.click("#config-check");
        ui.find("#config-violations");
        ui.waiter().until(d -> d.findElements(By.cssSelector("#config-violations li")).size() == once);
        assertThat(ui.browser().findElements(By.id("config-violations"))).hasSize(1);
        assertThat(ui.browser().findElements(By.cssSelector("#config-result .error, #config-result li")))
                .hasSize(once);
    }

    /** JSON: the same violation, on its line of the JSON text; "Go to line" selects that line. */
    @Test
    void jsonErrorOnItsLine() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("config");
        new Select(ui.find("#config-syntax")).selectByValue("json");
        ui.waiter().until(d -> text().startsWith("{"));
        int[] line = new int[1];
        String broken = brokenPort(text(), "\\s+\"port\": \\d+,?", line);
        ui.type("#config-text", broken);
        ui.click("#config-check");
        assertThat(ui.find("#config-violations li.error").getText()).contains("line " + line[0] + ":",
                "$.listeners[0].port");
        assertThat(gutterLine(line[0]).getAttribute("class")).contains("error");
        ui.click("#config-violations li.error button");
        Object selected = ((org.openqa.selenium.JavascriptExecutor) ui.browser()).executeScript(
                "const a = document.getElementById('config-text');"
                        + "return a.value.substring(a.selectionStart, a.selectionEnd);");
        assertThat(String.valueOf(selected)).contains("70000");
    }
}
