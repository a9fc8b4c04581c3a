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
}
