package io.duet.appliance;

import io.duet.config.Vip;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The VIPs page in headless Chromium against a real node ({@link AdminUiBrowser}). */
@Tag("browser")
class VipsPageBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    /** A VIP added, its failback edited, found by the filter, removed after a confirmation. */
    @Test
    void aVipAddedEditedAndRemoved() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("vips");
        ui.type("#vip-address", "192.0.2.60");
        ui.click("#vip-add");
        ui.find("[data-vip='192.0.2.60']");

        ui.click("[data-edit-vip='192.0.2.60']");
        assertThat(ui.find("#edit-vip #vip-address").getAttribute("readonly")).isNotNull();
        new Select(ui.find("#edit-vip #vip-failback")).selectByValue("delayed");
        ui.type("#edit-vip #vip-delay", "5000");
        ui.click("#vip-save");
        await().atMost(Duration.ofSeconds(10)).until(() -> "delayed".equals(vip().failback()));
        assertThat(vip().failbackDelayMs()).isEqualTo(5000L);
        ui.waiter().until(d -> d.findElement(By.cssSelector("[data-vip='192.0.2.60']")).getText().contains("5000 ms"));

        ui.type("#vip-filter", "198.51");
        ui.waiter().until(d -> !d.findElement(By.cssSelector("[data-vip='192.0.2.60']")).isDisplayed());
        ui.type("#vip-filter", "192.0.2");
        ui.click("[data-remove-vip='192.0.2.60']");
        assertThat(ui.find("dialog.confirm-dialog").getText()).contains("Remove VIP 192.0.2.60?");
        ui.click("#confirm-ok");
        ui.waiter().until(d -> d.findElements(By.cssSelector("[data-vip='192.0.2.60']")).isEmpty());
        assertThat(ui.node().store().current().vips()).isEmpty();
    }

    private Vip vip() {
        return ui.node().store().current().vips().stream().filter(v -> v.address().equals("192.0.2.60")).findFirst()
                .orElseThrow();
    }
}
