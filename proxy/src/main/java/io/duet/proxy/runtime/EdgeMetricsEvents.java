package io.duet.proxy.runtime;

import io.duet.proxy.edge.EdgeEvents;
import io.duet.proxy.metrics.EdgeMetrics;

/** Counts the edge's events in a listener's metrics. I/O thread; counter increments only. */
public final class EdgeMetricsEvents implements EdgeEvents {
    private final EdgeMetrics m;

    public EdgeMetricsEvents(EdgeMetrics metrics) {
        this.m = metrics;
    }

    @Override
    public void requestLineTooLong() {
        m.requestLineTooLong().inc();
    }

    @Override
    public void headersTooLarge() {
        m.headersTooLarge().inc();
    }

    @Override
    public void tooManyHeaders() {
        m.tooManyHeaders().inc();
    }

    @Override
    public void bodyTooLarge() {
        m.bodyTooLarge().inc();
    }

    @Override
    public void headerTimeout() {
        m.headerTimeout().inc();
    }

    @Override
    public void slowBody() {
        m.bodyTimeout().inc();
    }

    @Override
    public void badRequest() {
        m.badRequest().inc();
    }

    @Override
    public void http2StreamRefused() {
        m.http2StreamsRefused().inc();
    }

    @Override
    public void http2ConnectionAbused() {
        m.http2Abused().inc();
    }

    @Override
    public void http2Malformed() {
        m.http2Malformed().inc();
    }

    @Override
    public void proxyProtocolRejected() {
        m.proxyProtocolRejected().inc();
    }

    @Override
    public void connectionLimitReached() {
        m.connectionsRejected().inc();
    }

    @Override
    public void connectionOpened() {
        m.connectionOpened();
    }

    @Override
    public void connectionClosed() {
        m.connectionClosed();
    }
}
