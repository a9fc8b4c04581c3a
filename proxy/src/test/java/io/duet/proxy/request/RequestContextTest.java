package io.duet.proxy.request;

import io.undertow.server.HttpServerExchange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestContextTest {
    private final HttpServerExchange exchange = new HttpServerExchange(null);

    @Test
    void oneContextPerExchangeMadeOnTheFirstCall() {
        assertThat(RequestContext.peek(exchange)).isNull();
        RequestContext ctx = RequestContext.of(exchange);
        assertThat(RequestContext.of(exchange)).isSameAs(ctx);
        assertThat(RequestContext.peek(exchange)).isSameAs(ctx);
        assertThat(RequestContext.peek(new HttpServerExchange(null))).isNull();
    }

    @Test
    void carriesWhatEachLayerPutsIn() {
        RequestContext ctx = RequestContext.of(exchange);
        assertThat(ctx.canonicalPath()).isNull();
        assertThat(ctx.requestId()).isNull();
        assertThat(ctx.route()).isNull();
        assertThat(ctx.forwarding()).isNull();
        RequestContext.Snapshot snapshot = new RequestContext.Snapshot() { };
        RequestContext.Guard guard = new RequestContext.Guard() { };
        RequestContext.Binding binding = new RequestContext.Binding() { };
        ctx.canonicalPath("/a b");
        ctx.bodyGuard(guard);
        ctx.start(snapshot, "web", 42);
        ctx.requestId("r-1");
        ctx.bodyPrefix(new byte[] {1});
        ctx.binding(binding);
        assertThat(ctx.canonicalPath()).isEqualTo("/a b");
        assertThat(ctx.bodyGuard()).isSameAs(guard);
        assertThat(ctx.snapshot()).isSameAs(snapshot);
        assertThat(ctx.listener()).isEqualTo("web");
        assertThat(ctx.startNanos()).isEqualTo(42);
        assertThat(ctx.requestId()).isEqualTo("r-1");
        assertThat(ctx.bodyPrefix()).containsExactly(1);
        assertThat(ctx.binding()).isSameAs(binding);
    }

    @Test
    void theRoutesMetricsStartWhenChosenAndEndWhenTheRequestEnds() {
        RequestContext ctx = RequestContext.of(exchange);
        ctx.finished(200, 5); // no route: nothing to end
        List<String> events = new ArrayList<>();
        RequestContext.Route route = new RequestContext.Route() {
            @Override
            public String vhost() {
                return "site";
            }

            @Override
            public String name() {
                return "api";
            }

            @Override
            public void requestStarted() {
                events.add("started");
            }

            @Override
            public void requestFinished(int status, long nanos) {
                events.add("finished " + status + " " + nanos);
            }
        };
        ctx.routeChosen(route);
        assertThat(ctx.route()).isSameAs(route);
        ctx.finished(503, 7);
        assertThat(events).containsExactly("started", "finished 503 7");
    }
}
