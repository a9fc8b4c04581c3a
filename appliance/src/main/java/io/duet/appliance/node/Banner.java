package io.duet.appliance.node;

import io.duet.appliance.bootstrap.NodeBootstrap;
import io.duet.appliance.bootstrap.Version;
import io.duet.cluster.membership.JoinToken;
import io.duet.config.DuetConfig;
import io.duet.config.Listener;
import io.duet.proxy.DataPlane;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The startup banner: version, node, revision, listeners, metrics URL, paths; with the demo, what to try.
 * Stateless; reads the running parts it is given.
 */
final class Banner {
    private Banner() {
    }

    /**
     * @param joinAddress the join endpoint's bound address, or null when this node has none
     * @param demo        the demo backends, or null
     */
    static String of(NodeBootstrap bootstrap, DuetConfig config, DataPlane dataPlane, InetSocketAddress management,
                     InetSocketAddress joinAddress, Path configFile, DemoBackends demo) {
        StringBuilder b = new StringBuilder()
                .append("Duet ").append(Version.current()).append(" is running\n")
                .append("  node id      ").append(bootstrap.nodeId()).append('\n')
                .append("  revision     ").append(dataPlane.revision()).append('\n');
        String tryUrl = null;
        for (Listener l : config.listeners()) {
            InetSocketAddress a = dataPlane.address(l.name());
            b.append("  listener     ").append(l.name()).append("  ").append(l.protocol()).append("://")
                    .append(a.getHostString()).append(':').append(a.getPort()).append('\n');
            if (tryUrl == null) {
                tryUrl = l.protocol() + "://localhost:" + a.getPort() + "/";
            }
        }
        b.append("  metrics      http://").append(management.getHostString()).append(':')
                .append(management.getPort()).append("/metrics\n")
                .append(bootstrap.clustered() ? "  cluster      " + bootstrap.clusterMembers() + "\n" : "")
                .append(joinAddress == null ? "" : "  join         https://" + JoinToken.endpoint(
                        bootstrap.clusterHost(), joinAddress.getPort()) + "  (new tokens: duet cluster token --node ID)\n")
                .append("  data dir     ").append(bootstrap.dataDir()).append('\n')
                .append("  config file  ").append(configFile).append('\n')
                .append("  bootstrap    ").append(bootstrap.source()).append('\n');
        if (demo != null) {
            b.append("demo: backends b1 on ").append(hostPort(demo.b1())).append(" and b2 on ")
                    .append(hostPort(demo.b2()))
                    .append(", round-robin\n")
                    .append("  try: curl -H 'Host: demo.local' ").append(tryUrl).append('\n')
                    .append("  or open ").append(tryUrl).append(" in a browser (demo is the default host)\n");
        } else if (tryUrl != null) {
            b.append("  try: curl ").append(tryUrl).append('\n');
        }
        return b.toString();
    }

    static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }
}
