package io.duet.appliance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.Route;
import io.duet.config.store.ConfigStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;

/** The History page in headless Chromium against a real node ({@link AdminUiBrowser}). */
@Tag("browser")
class HistoryPageBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    /** Commits the current document with a fixed-response route inserted first in the first host. */
    private long insertRouteFirst(String name, String summary) throws Exception {
        ConfigStore store = ui.node().store();
        DuetConfig cur = store.current();
        ObjectNode doc = (ObjectNode) JSON.readTree(ConfigCodec.encode(cur, ConfigCodec.Format.JSON));
        ArrayNode routes = (ArrayNode) doc.get("virtualHosts").get(0).get("routes");
        ObjectNode route = routes.insertObject(0).put("name", name);
        route.putObject("match").putObject("path").put("prefix", "/" + name);
        route.putObject("respond").put("status", 200).put("body", name);
        DuetConfig next = ConfigCodec.decode(doc.toString(), ConfigCodec.Format.JSON);
        return store.propose(next, cur.revision(), "admin", summary).revision();
    }

    /**
     * A route inserted first shows in the diff as one addition (the routes below matched by name, not renamed), and
     * clicking Diff again hides it: never two copies (the bug: the diff stacked on every click).
     */
    @Test
    void diffByNameShownOnce() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        long rev = insertRouteFirst("first", "a route first");
        ui.open("history");
        String button = "button[data-diff='" + rev + "']";
        ui.click(button);
        String diff = ui.find("#diff-" + rev).getText();
        assertThat(diff).startsWith("+ $.virtualHosts[0].routes[0]: {\"name\":\"first\"").doesNotContain("~ ");
        assertThat(diff.lines()).hasSize(1);
        ui.click(button); // hides it
        ui.waiter().until(d -> d.findElements(By.id("diff-" + rev)).isEmpty());
        ui.click(button);
        ui.find("#diff-" + rev);
        ui.waiter().until(d -> d.findElements(By.cssSelector(".diff")).size() == 1);
        assertThat(ui.browser().findElements(By.cssSelector(".diff"))).hasSize(1);
    }

    /**
     * Every Diff and Roll back button names its revision in its accessible name (what a screen reader announces in a
     * list of a dozen identical buttons otherwise): "Diff revision 3", "Roll back to revision 2".
     */
    @Test
    void actionButtonsNameTheirRevision() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        long before = ui.node().store().current().revision();
        long rev = insertRouteFirst("named", "a route to name the buttons");
        ui.open("history");
        ui.find("tr[data-revision='" + rev + "']");
        assertThat(ui.find("button[data-diff='" + rev + "']").getAccessibleName()).isEqualTo("Diff revision " + rev);
        assertThat(ui.find("button[data-rollback='" + before + "']").getAccessibleName())
                .isEqualTo("Roll back to revision " + before);
        for (org.openqa.selenium.WebElement b : ui.browser().findElements(By.cssSelector("#history-table button"))) {
            String revision = b.getAttribute(b.getAttribute("data-diff") != null ? "data-diff" : "data-rollback");
            assertThat(b.getAccessibleName()).as("the buttons of revision %s", revision)
                    .isIn("Diff revision " + revision, "Roll back to revision " + revision);
        }
        assertThat(ui.browser().findElements(By.cssSelector("#history-table button"))).hasSizeGreaterThanOrEqualTo(3);
    }

    /** Each revision shows its change summary; rollback asks first: cancel changes nothing, confirm rolls back. */
    @Test
    void summaryShownAndRollbackConfirmed() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        long before = ui.node().store().current().revision();
        long rev = insertRouteFirst("extra", "add route extra");
        ui.open("history");
        assertThat(ui.find("tr[data-revision='" + rev + "'] .history-summary").getText()).isEqualTo("add route extra");

        ui.click("button[data-rollback='" + before + "']");
        assertThat(ui.find("#rollback-confirm").getText()).isEqualTo("Roll back to revision " + before + " now");
        ui.click("#rollback-cancel");
        ui.waiter().until(d -> d.findElements(By.id("rollback-confirm")).isEmpty());
        assertThat(ui.node().store().current().revision()).as("cancel commits nothing").isEqualTo(rev);

        ui.click("button[data-rollback='" + before + "']");
        ui.click("#rollback-confirm");
        ui.waiter().until(d -> ui.node().store().current().revision() == rev + 1);
        assertThat(ui.node().store().current().virtualHosts().get(0).routes()).extracting(Route::name)
                .doesNotContain("extra");
        ui.find("tr[data-revision='" + (rev + 1) + "']");
    }
}
