package io.duet.appliance;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Users page (users and API tokens) in headless Chromium against a real node ({@link AdminUiBrowser}). */
@Tag("browser")
class UsersPageBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    /** Bug of issue 19: a user just added is listed at once, and the one-time password stays shown. */
    @Test
    void theUsersListShowsAUserJustAdded() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("users");
        ui.type("#user-name", "nina");
        new Select(ui.find("#user-role")).selectByValue("operator");
        ui.click("#user-create");
        assertThat(ui.find("#created-password").getText()).contains("One-time password");
        ui.waiter().until(d -> d.findElement(By.cssSelector("main table")).getText().contains("nina"));
        assertThat(ui.find("main table").getText()).contains("nina", "operator");
        assertThat(ui.find("#created-password").getText()).contains("One-time password");
    }

    /** A user's role changed in the list, a user deleted and an API token revoked, each destructive step confirmed. */
    @Test
    void rolesUsersAndTokensAreManagedFromTheList() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("users");
        ui.type("#user-name", "olga");
        ui.click("#user-create");
        ui.find("#users-table tr[data-user='olga']");
        new Select(ui.find("select[data-user-role='olga']")).selectByValue("operator");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "operator".equals(ui.node().store().current().admin().user("olga").role()));

        ui.type("#user-filter", "olg");
        ui.waiter().until(d -> !d.findElement(By.cssSelector("#users-table tr[data-user='admin']")).isDisplayed());
        ui.click("[data-delete-user='olga']");
        ui.click("#confirm-cancel");
        assertThat(ui.node().store().current().admin().user("olga")).isNotNull();
        ui.click("[data-delete-user='olga']");
        ui.click("#confirm-ok");
        ui.waiter().until(d -> d.findElements(By.cssSelector("#users-table tr[data-user='olga']")).isEmpty());
        assertThat(ui.node().store().current().admin().user("olga")).isNull();

        // A token: listed at once with its expiry and "never" used; revoked after the confirmation.
        ui.type("#token-name", "deploy");
        new Select(ui.find("#token-role")).selectByValue("operator");
        ui.type("#token-days", "7");
        ui.click("#token-create");
        assertThat(ui.find("#created-token").getText()).contains("duet_");
        WebElement row = ui.find("#tokens-table tr[data-token]");
        assertThat(row.getText()).contains("deploy", "operator", "never");
        assertThat(ui.node().store().current().admin().apiTokens()).hasSize(1);
        ui.click("#tokens-table button.revoke");
        assertThat(ui.find("dialog.confirm-dialog").getText()).contains("Revoke token deploy?");
        ui.click("#confirm-ok");
        ui.waiter().until(d -> d.findElements(By.cssSelector("#tokens-table tr[data-token]")).isEmpty());
        assertThat(ui.node().store().current().admin().apiTokens()).isEmpty();
    }
}
