package io.duet.appliance;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The validate -> diff -> apply cycle shared by the forms (lib/edit.js) in headless Chromium against a real node
 * ({@link AdminUiBrowser}), on the new-pool form: warnings are shown and do not block; a double click shows one result.
 */
@Tag("browser")
class EditCycleBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    private int shown(String css) {
        return ui.browser().findElements(By.cssSelector("#new-pool " + css)).size();
    }

    private long validations() {
        return (Long) ((JavascriptExecutor) ui.browser()).executeScript("return performance.getEntriesByType("
                + "'resource').filter(e => e.name.endsWith('/api/v1/config/validate')).length;");
    }

    /**
     * A pool no route uses is a warning (DUET-CONFIG-0072): shown as a warning beside the diff, Apply still offered
     * (warnings were not shown at all). A double click on the check shows one warning list, one diff and one Apply
     * (each answer appended its own), and the apply commits the pool.
     */
    @Test
    void warningShownOnceAndNotBlocking() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("pools");
        ui.type("#pool-name", "spare");
        ui.type("#pool-servers", "b1 127.0.0.1:" + ui.backend(0).port());
        ui.click("#pool-check");
        assertThat(ui.find("#new-pool .warning").getText()).contains("Warning", "DUET-CONFIG-0072", "spare");
        ui.find("#diff-preview");
        ui.find("#apply");
        await().atMost(Duration.ofSeconds(10)).until(() -> validations() == 1);

        ((JavascriptExecutor) ui.browser()).executeScript(
                "const b = document.getElementById('pool-check'); b.click(); b.click();");
        await().atMost(Duration.ofSeconds(10)).until(() -> validations() == 3);
        // both answers arrived: one result stays shown
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() ->
                shown(".warning") == 1 && shown(".diff") == 1 && shown("#apply") == 1);

        ui.click("#apply");
        await().atMost(Duration.ofSeconds(10)).until(() -> ui.node().store().current().pool("spare") != null);
    }
}
