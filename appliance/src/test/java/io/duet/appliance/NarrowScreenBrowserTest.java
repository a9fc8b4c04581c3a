package io.duet.appliance;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a new operator met walking every page at 390 px wide ({@link AdminUiBrowser#viewport}), each fixed and kept
 * fixed here; AccessibilityBrowserTest checks reach and axe-core on every page already.
 */
@Tag("browser")
class NarrowScreenBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    // The pool form's optional parts (health check, outlier detection, limits, affinity, TLS, DNS) are switched on by
    // a checkbox in their legend: it sits at its own size just left of its label, on the label's line (it was as wide
    // as the legend, the label squeezed into a narrow column beside it), at 390 px and at 1366 px; clicking the
    // label switches the part on and shows its fields.
    @Test
    void poolPartCheckboxesSitBesideTheirLabels() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        for (int width : new int[] {390, 1366}) {
            ui.viewport(width, 844);
            ui.open("pools");
            List<WebElement> toggles = ui.browser().findElements(By.cssSelector(
                    "fieldset.pool-part legend input[type=checkbox]"));
            assertThat(toggles).hasSizeGreaterThanOrEqualTo(6);
            for (WebElement box : toggles) {
                WebElement label = ui.browser().findElement(By.cssSelector("label[for='" + box.getAttribute("id")
                        + "']"));
                Rectangle b = box.getRect();
                Rectangle l = label.getRect();
                String what = width + " px, " + label.getText() + ": box " + b.x + "+" + b.width + ", label at " + l.x;
                assertThat(b.width).as(what).isLessThanOrEqualTo(24);
                assertThat(l.x - (b.x + b.width)).as(what).isBetween(0, 16);
                int boxMiddle = b.y + b.height / 2;
                assertThat(boxMiddle).as(what).isBetween(l.y, l.y + l.height);
            }
        }
        WebElement health = ui.find("#pool-healthCheck-on");
        assertThat(health.isSelected()).isFalse();
        ui.click("label[for='pool-healthCheck-on']");
        assertThat(health.isSelected()).isTrue();
        ui.find("[data-part-set='healthCheck'] .part-fields input");
    }

    // A pool's server actions (Enable, Drain..., Maintenance..., Edit, Remove) are in sight at 390 px without
    // scrolling the table sideways (they lay beyond the screen's right edge, the table scrolling in its region): the
    // actions column stays at the region's right edge while the other columns scroll, and Drain works from there.
    @Test
    void serverActionsStayInSightAt390Px() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        PoolTraffic.addPool(ui, io.duet.config.build.ConfigBuilders.pool("web")
                .server(io.duet.config.build.ConfigBuilders.server("127.0.0.1", ui.backend(0).port()).id("b1"))
                .server(io.duet.config.build.ConfigBuilders.server("127.0.0.1", ui.backend(1).port()).id("b2"))
                .build());
        ui.viewport(390, 844);
        ui.open("pools");
        ui.find("[data-server-row='web/b1']");
        org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) ui.browser();
        String outOfSight = """
                const region = document.querySelector("table.servers[data-pool='web']").parentElement;
                const box = region.getBoundingClientRect();
                return [...document.querySelectorAll("[data-server-row] td.actions button")]
                  .filter(b => { const r = b.getBoundingClientRect(); return r.left < box.left || r.right > box.right; })
                  .map(b => b.textContent + ' at ' + Math.round(b.getBoundingClientRect().left) + '-'
                    + Math.round(b.getBoundingClientRect().right) + ' (region ' + Math.round(box.left) + '-'
                    + Math.round(box.right) + ', scrolled ' + region.scrollLeft + ')');""";
        assertThat(js.executeScript("return document.querySelector(\"table.servers[data-pool='web']\")"
                + ".parentElement.scrollWidth > document.querySelector(\"table.servers[data-pool='web']\")"
                + ".parentElement.clientWidth")).as("the table is wider than the screen (else nothing to show)")
                .isEqualTo(true);
        assertThat((List<?>) js.executeScript(outOfSight)).as("actions out of sight, table not scrolled").isEmpty();
        js.executeScript("document.querySelector(\"table.servers[data-pool='web']\").parentElement.scrollLeft = 10000");
        assertThat((List<?>) js.executeScript(outOfSight)).as("actions out of sight, table scrolled right").isEmpty();
        js.executeScript("document.querySelector(\"table.servers[data-pool='web']\").parentElement.scrollLeft = 0");
        ui.click("button[data-action='drain'][data-server='web/b1']");
        ui.find("dialog.confirm-dialog");
        ui.click("#confirm-ok");
        ui.waiter().until(d -> "drain".equals(ui.node().store().current().pool("web").servers().get(0).state()));
    }
}
