package io.duet.proxy.forward;

import io.duet.proxy.pool.BackendPool;
import io.duet.proxy.pool.BackendServer;

/** What forwarding reports to metrics. I/O thread; implementations must be cheap and never block. */
public interface ForwardEvents {
    void noServer(BackendPool pool);

    void connectFailed(BackendServer server, boolean timeout);

    void responseTimeout(BackendServer server);

    void retry(BackendServer server);

    ForwardEvents NOOP = new ForwardEvents() {
        @Override
        public void noServer(BackendPool pool) {
        }

        @Override
        public void connectFailed(BackendServer server, boolean timeout) {
        }

        @Override
        public void responseTimeout(BackendServer server) {
        }

        @Override
        public void retry(BackendServer server) {
        }
    };
}
