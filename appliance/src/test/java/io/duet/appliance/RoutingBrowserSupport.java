package io.duet.appliance;

import io.duet.appliance.node.EmbeddedDocuments;
import io.duet.config.BalancerAlgorithm;
import io.duet.config.DuetConfig;
import io.duet.config.Pool;
import io.duet.config.Server;
import io.duet.config.store.ConfigStore;
import io.duet.testkit.http.RawHttp;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/** What the routing area's browser tests share: pools of the stub backends, requests with headers, the dialog. */
final class RoutingBrowserSupport {
    private RoutingBrowserSupport() {
    }

    /** Commits pools {@code one} (backend b1) and {@code two} (b2) beside what the node's document holds. */
    static void addPools(AdminUiBrowser ui) throws Exception {
        ConfigStore store = ui.node().store();
        DuetConfig c = store.current();
        List<Pool> pools = List.of(pool("one", ui, 0), pool("two", ui, 1));
        store.propose(new DuetConfig(c.revision(), c.listeners(), c.limits(), c.forwarding(), c.accessLog(),
                c.virtualHosts(), pools, c.certificates(), c.vips(), c.admin(), c.failover()), c.revision(), "test",
                "pools one and two");
    }

    private static Pool pool(String name, AdminUiBrowser ui, int backend) {
        return new Pool(name, BalancerAlgorithm.ROUND_ROBIN.id(), List.of(
                new Server("b" + (backend + 1), "127.0.0.1", ui.backend(backend).port(), null, null)));
    }

    /** The plain listener's answer to {@code method path} for {@code host}, with extra header lines ("Name: value"). */
    static RawHttp.Response request(AdminUiBrowser ui, String method, String host, String path, String... headers)
            throws Exception {
        return request(ui.node().listenerAddress(EmbeddedDocuments.LISTENER), method, host, path, headers);
    }

    /** As above, to the listener at {@code to}. */
    static RawHttp.Response request(InetSocketAddress to, String method, String host, String path, String... headers)
            throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", to.getPort()), 5_000);
        s.setSoTimeout(10_000);
        try (RawHttp client = RawHttp.over(s)) {
            StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
            for (String h : headers) {
                b.append(h).append("\r\n");
            }
            client.send(b.append("Connection: close\r\n\r\n").toString());
            return client.readResponse();
        }
    }

    /** The confirmation dialog once shown (its text), then its confirm ({@code true}) or cancel button clicked. */
    static String answerDialog(AdminUiBrowser ui, boolean confirm) {
        WebElement dialog = ui.find("#confirm-dialog");
        String text = dialog.getText();
        ui.click(confirm ? "#confirm-ok" : "#confirm-cancel");
        ui.waiter().until(d -> d.findElements(By.id("confirm-dialog")).isEmpty());
        return text;
    }
}
