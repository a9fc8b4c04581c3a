package io.duet.testkit.http;

import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Ready-made answers for {@link StubBackend#handler}; each handler is stateless and thread-safe. */
public final class Answers {
    private Answers() {
    }

    /**
     * Answers with what was received: {@code uri=} (raw request URI as received), {@code query=}, {@code path=}
     * (decoded) and one {@code h:name=value} line per request header value (name lower-cased), as UTF-8 text.
     */
    public static HttpHandler echo() {
        return exchange -> {
            StringBuilder b = new StringBuilder();
            b.append("uri=").append(exchange.getRequestURI()).append('\n');
            b.append("query=").append(exchange.getQueryString()).append('\n');
            b.append("path=").append(exchange.getRequestPath()).append('\n');
            exchange.getRequestHeaders().forEach(values -> values.forEach(v -> b.append("h:")
                    .append(values.getHeaderName().toString().toLowerCase(Locale.ROOT)).append('=').append(v).append('\n')));
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getResponseSender().send(b.toString(), StandardCharsets.UTF_8);
        };
    }
}
