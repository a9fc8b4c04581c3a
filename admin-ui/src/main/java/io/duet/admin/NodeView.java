package io.duet.admin;

import io.duet.admin.service.LiveNode;

import java.util.List;
import java.util.Map;

/**
 * What the admin API shows about the running node that is not in the document ({@link LiveNode}: live server
 * health, the cluster, traffic figures, the handoff). The appliance implements it over the data plane and the
 * cluster member (admin-ui knows neither). Any thread; must not block long.
 */
public interface NodeView extends LiveNode {
    /** Nothing known (tests, or a node without a data plane). */
    NodeView NONE = new NodeView() {
        @Override
        public List<Map<String, Object>> health() {
            return List.of();
        }

        @Override
        public Map<String, Object> cluster() {
            return Map.of("mode", "standalone");
        }

        @Override
        public Map<String, Object> metrics() {
            return Map.of();
        }
    };
}
