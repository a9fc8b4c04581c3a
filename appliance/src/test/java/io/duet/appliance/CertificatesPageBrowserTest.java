package io.duet.appliance;

import io.duet.testkit.tls.Issued;
import io.duet.testkit.tls.TestPki;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Certificates page in headless Chromium against a real node ({@link AdminUiBrowser}). */
@Tag("browser")
class CertificatesPageBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    /** Uploaded, shown in detail, found by the filter, replaced by a renewed one, deleted after a confirmation. */
    @Test
    void aCertificateUploadedReplacedAndDeleted() throws Exception {
        TestPki pki = TestPki.root("Duet UI Test CA");
        Issued first = pki.leaf("www.example.test", Instant.now().minus(1, ChronoUnit.DAYS),
                Instant.now().plus(40, ChronoUnit.DAYS));
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("certificates");
        ui.type("#cert-name", "www");
        ui.type("#cert-chain", first.chainPem());
        ui.type("#cert-key", first.keyPem());
        ui.click("#cert-upload");
        assertThat(ui.find("#cert-detail").getText()).contains("www.example.test", "Duet UI Test CA");
        assertThat(ui.node().store().current().certificate("www")).isNotNull();

        ui.open("certificates");
        WebElement row = ui.find("#cert-table tr[data-cert='www']");
        ui.type("#cert-filter", "nothing-like-it");
        ui.waiter().until(d -> !row.isDisplayed());
        ui.type("#cert-filter", "example.test");
        ui.waiter().until(d -> row.isDisplayed());

        // Renewed: the same name, a later expiry.
        ui.click("#cert-table tr[data-cert='www'] a");
        String before = ui.find("#cert-detail").getText();
        Issued renewed = pki.leaf("www.example.test", Instant.now().minus(1, ChronoUnit.DAYS),
                Instant.now().plus(300, ChronoUnit.DAYS));
        ui.type("#replace-cert #cert-chain", renewed.chainPem());
        ui.type("#replace-cert #cert-key", renewed.keyPem());
        ui.click("#cert-upload");
        ui.waiter().until(d -> !d.findElement(By.id("cert-detail")).getText().equals(before));
        String daysLeft = ui.find("#cert-detail").findElement(By.xpath(".//dt[text()='days left']/following-sibling::dd[1]"))
                .getText();
        assertThat(Integer.parseInt(daysLeft)).isBetween(290, 300);

        // Deleted: cancelled first, then confirmed.
        ui.click("#delete-cert");
        ui.click("#confirm-cancel");
        assertThat(ui.node().store().current().certificate("www")).isNotNull();
        ui.click("#delete-cert");
        assertThat(ui.find("dialog.confirm-dialog").getText()).contains("Delete certificate www?");
        ui.click("#confirm-ok");
        ui.waiter().until(d -> d.getCurrentUrl().endsWith("#/certificates"));
        ui.waiter().until(d -> d.findElements(By.cssSelector("#cert-table tr[data-cert]")).isEmpty());
        assertThat(ui.node().store().current().certificate("www")).isNull();
    }
}
