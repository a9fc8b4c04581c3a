package io.duet.appliance;

import io.duet.config.BalancerAlgorithm;
import io.duet.config.HashKey;
import io.duet.config.Pool;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The Pools page in headless Chromium against a real node ({@link AdminUiBrowser}). */
@Tag("browser")
class PoolsPageBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    /**
     * The pool form offers every balancer of the document, and for {@code hash} the fields of its key: a named
     * source without its name is refused next to the name, then the pool is committed with balancer and key.
     */
    @Test
    void poolWithHashAndItsKey() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);

        ui.open("pools");
        Select balancer = new Select(ui.find("#pool-balancer"));
        assertThat(balancer.getOptions()).extracting(o -> o.getAttribute("value"))
                .containsExactlyElementsOf(Arrays.stream(BalancerAlgorithm.values()).map(BalancerAlgorithm::id)
                        .toList());
        // round-robin reads no key
        assertThat(ui.browser().findElement(By.id("pool-hash-key")).isDisplayed()).isFalse();
        ui.type("#pool-name", "sticky");
        balancer.selectByValue("hash");
        Select source = new Select(ui.find("#pool-hash-source"));
        assertThat(source.getOptions()).extracting(o -> o.getAttribute("value"))
                .containsExactlyElementsOf(HashKey.SOURCES);
        source.selectByValue("header");
        ui.find("#pool-hash-name");
        ui.type("#pool-servers", "b1 127.0.0.1:" + ui.backend(0).port()
                + "\nb2 127.0.0.1:" + ui.backend(1).port());
        ui.click("#pool-check");
        assertThat(ui.find("#new-pool .error.field").getText()).contains("name: missing for source 'header'");
        ui.type("#pool-hash-name", "X-User");
        ui.click("#pool-check");
        assertThat(ui.find("#diff-preview").getText()).contains("\"balancer\":\"hash\"",
                "\"hashKey\":{\"source\":\"header\",\"name\":\"X-User\"}");
        ui.click("#apply");
        ui.find("[data-server-row='sticky/b2']");
        Pool committed = ui.node().store().current().pool("sticky");
        assertThat(committed.balancer()).isEqualTo(BalancerAlgorithm.HASH.id());
        assertThat(committed.hashKey()).isEqualTo(new HashKey(HashKey.HEADER, "X-User"));
    }
}
