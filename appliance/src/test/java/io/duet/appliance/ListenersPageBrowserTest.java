package io.duet.appliance;

import io.duet.appliance.node.EmbeddedDocuments;
import io.duet.config.Listener;
import io.duet.config.ListenerTls;
import io.duet.testkit.http.RawHttp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import static io.duet.appliance.RoutingBrowserSupport.answerDialog;
import static io.duet.appliance.RoutingBrowserSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Listeners page in headless Chromium against a real node ({@link AdminUiBrowser}). */
@Tag("browser")
class ListenersPageBrowserTest {
    @RegisterExtension
    final AdminUiBrowser ui = new AdminUiBrowser();

    /**
     * A listener added from the form serves requests; with the PROXY protocol turned on in its form it takes the
     * client address from a PROXY header; deleted after the confirmation, it is gone from the document.
     */
    @Test
    void listenerAddedEditedAndDeleted() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        String welcome = request(ui, "GET", "localhost", "/").body();
        ui.open("listeners");
        ui.find("tr[data-listener='" + EmbeddedDocuments.TLS_LISTENER + "']");
        ui.click("#listener-new");
        ui.type("#listener-name", "extra");
        ui.type("#listener-address", "127.0.0.1");
        ui.type("#listener-port", "0");
        ui.type("#listener-summary", "a second plain port");
        ui.click("#listener-check");
        ui.click("#apply");
        ui.find("tr[data-listener='extra']");
        await().atMost(Duration.ofSeconds(10)).until(() -> listener("extra") != null);
        await().atMost(Duration.ofSeconds(10)).until(() -> request(listener("extra"), "GET", "localhost", "/").body()
                .equals(welcome));

        ui.type("#listeners-filter", "extr");
        ui.waiter().until(d -> !d.findElement(By.cssSelector("tr[data-listener='" + EmbeddedDocuments.TLS_LISTENER
                + "']")).isDisplayed());
        ui.click("[data-edit-listener='extra']");
        ui.click("#listener-proxy");
        ui.type("#listener-proxy-trusted", "127.0.0.1");
        ui.click("#listener-check");
        ui.click("#apply");
        ui.find("tr[data-listener='extra']");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ui.node().store().current().listeners().stream().anyMatch(l -> l.name().equals("extra")
                        && l.proxyProtocol().enabled()));
        await().atMost(Duration.ofSeconds(10)).until(() -> viaProxyProtocol(listener("extra")).body().equals(welcome));

        ui.click("[data-delete-listener='extra']");
        assertThat(answerDialog(ui, true)).contains("Delete listener extra?");
        await().atMost(Duration.ofSeconds(10)).until(() -> ui.node().store().current().listeners().stream()
                .map(Listener::name).noneMatch("extra"::equals));
    }

    /** The https listener's TLS settings are edited in its form and committed as chosen. */
    @Test
    void tlsSettingsEdited() throws Exception {
        ui.loginAsFirstAdmin(AdminUiBrowser.ADMIN_PASSWORD);
        ui.open("listeners");
        ui.click("[data-edit-listener='" + EmbeddedDocuments.TLS_LISTENER + "']");
        new Select(ui.find("#listener-profile")).selectByValue("modern");
        ui.click("#listener-http2");
        ui.click("#listener-hsts");
        ui.type("#listener-hsts-age", "600");
        ui.click("#listener-hsts-sub");
        ui.click("#listener-check");
        ui.click("#apply");
        ui.find("tr[data-listener='" + EmbeddedDocuments.TLS_LISTENER + "']");
        ListenerTls tls = ui.node().store().current().listeners().stream()
                .filter(l -> l.name().equals(EmbeddedDocuments.TLS_LISTENER)).findFirst().orElseThrow().tls();
        assertThat(tls.profile()).isEqualTo(ListenerTls.MODERN);
        assertThat(tls.http2()).isFalse();
        assertThat(tls.hsts().enabled()).isTrue();
        assertThat(tls.hsts().maxAgeSeconds()).isEqualTo(600L);
        assertThat(tls.hsts().includeSubDomains()).isTrue();
        assertThat(ui.find("tr[data-listener='" + EmbeddedDocuments.TLS_LISTENER + "']").getText())
                .contains("modern", "HSTS");
    }

    private InetSocketAddress listener(String name) {
        try {
            return ui.node().listenerAddress(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static RawHttp.Response viaProxyProtocol(InetSocketAddress to) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", to.getPort()), 5_000);
        try (RawHttp client = RawHttp.over(s)) {
            client.send("PROXY TCP4 192.0.2.7 127.0.0.1 40000 " + to.getPort() + "\r\n"
                    + "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            return client.readResponse();
        }
    }
}
