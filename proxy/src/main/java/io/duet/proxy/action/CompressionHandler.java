package io.duet.proxy.action;

import io.duet.proxy.response.QualityValues;
import io.duet.config.Compression;
import io.undertow.conduits.DeflatingStreamSinkConduit;
import io.undertow.server.ConduitWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.encoding.GzipEncodingProvider;
import io.undertow.util.ConduitFactory;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import org.xnio.conduits.StreamSinkConduit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * gzips responses that were sent uncompressed. The decision is taken when the response starts, on the response
 * headers as they are then (the backend's, copied by Duet's forwarder, or a local response's):
 * <ul>
 *   <li>the response is eligible when it has no Content-Encoding and no Content-Range, its status allows a body
 *       (not 1xx, 204, 206, 304), its Content-Type (without parameters) is one of the configured types (an entry
 *       {@code type/*} covers the whole type), and its Content-Length is unknown or at least {@code minBytes};</li>
 *   <li>an eligible response gets {@code Vary: Accept-Encoding} whether or not it is compressed (a cache must not
 *       serve the gzip variant to a client that does not accept it, nor the reverse);</li>
 *   <li>it is compressed when, in addition, the method is not HEAD and the client's Accept-Encoding gives gzip
 *       (or {@code *}) a quality above 0: Content-Encoding becomes gzip, a strong ETag becomes weak, and the
 *       Content-Length is dropped (Undertow's gzip conduit puts the compressed length back when it compressed
 *       the whole body before the first write, else the body goes out chunked).</li>
 * </ul>
 * The compression itself is Undertow's {@link GzipEncodingProvider} (its gzip conduit), with a bounded pool of
 * {@link java.util.zip.Deflater}s at the configured level. Undertow's EncodingHandler is not used: it answers 406
 * to some Accept-Encoding values, writes {@code Content-Encoding: identity}, and adds no Vary.
 *
 * <p>Threads: the decision runs on whichever thread starts the response; never blocks. One wrapper instance serves
 * every exchange (nothing is allocated per request unless the response is compressed).
 */
public final class CompressionHandler implements HttpHandler {

    private static final String GZIP = "gzip";
    private static final int DEFLATER_POOL_SIZE = 64;

    private final Set<String> exactTypes;
    private final String[] wildcardTypes;
    private final long minBytes;
    private final ConduitWrapper<StreamSinkConduit> gzip;
    private final ConduitWrapper<StreamSinkConduit> decision;
    private final HttpHandler next;

    public CompressionHandler(Compression compression, HttpHandler next) {
        if (compression.level() < 1 || compression.level() > 9) {
            throw new IllegalArgumentException("compression.level: " + compression.level() + " (expected: 1-9)");
        }
        if (compression.minBytes() < 0) {
            throw new IllegalArgumentException("compression.minBytes: " + compression.minBytes() + " (expected: 0 or more)");
        }
        Set<String> exact = new HashSet<>();
        List<String> wildcards = new ArrayList<>();
        for (String type : compression.mimeTypes()) {
            String t = type.trim().toLowerCase(Locale.ROOT);
            if (t.endsWith("/*")) {
                wildcards.add(t.substring(0, t.length() - 1));
            } else {
                exact.add(t);
            }
        }
        this.exactTypes = Set.copyOf(exact);
        this.wildcardTypes = wildcards.toArray(new String[0]);
        this.minBytes = compression.minBytes();
        this.gzip = new GzipEncodingProvider(
                DeflatingStreamSinkConduit.simpleDeflaterPool(DEFLATER_POOL_SIZE, compression.level()))
                .getResponseWrapper();
        this.decision = this::wrap;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.addResponseWrapper(decision);
        next.handleRequest(exchange);
    }

    private StreamSinkConduit wrap(ConduitFactory<StreamSinkConduit> factory, HttpServerExchange exchange) {
        HeaderMap headers = exchange.getResponseHeaders();
        if (!eligible(exchange, headers)) {
            return factory.create();
        }
        addVary(headers);
        if (exchange.getRequestMethod().equals(Methods.HEAD)
                || QualityValues.encodingQuality(exchange.getRequestHeaders().get(Headers.ACCEPT_ENCODING), GZIP) <= 0) {
            return factory.create();
        }
        headers.put(Headers.CONTENT_ENCODING, GZIP);
        headers.remove(Headers.CONTENT_LENGTH);
        String etag = headers.getFirst(Headers.ETAG);
        if (etag != null && !etag.startsWith("W/")) {
            headers.put(Headers.ETAG, "W/" + etag);
        }
        return gzip.wrap(factory, exchange);
    }

    private boolean eligible(HttpServerExchange exchange, HeaderMap headers) {
        int status = exchange.getStatusCode();
        if (status < 200 || status == 204 || status == 206 || status == 304) {
            return false;
        }
        if (headers.contains(Headers.CONTENT_ENCODING) || headers.contains(Headers.CONTENT_RANGE)) {
            return false;
        }
        String length = headers.getFirst(Headers.CONTENT_LENGTH);
        if (length != null) {
            try {
                long n = Long.parseLong(length.trim());
                if (n == 0 || n < minBytes) {
                    return false;
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return compressibleType(headers.getFirst(Headers.CONTENT_TYPE));
    }

    boolean compressibleType(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        if (exactTypes.contains(type)) {
            return true;
        }
        for (String wildcard : wildcardTypes) {
            if (type.startsWith(wildcard)) {
                return true;
            }
        }
        return false;
    }

    private static void addVary(HeaderMap headers) {
        HeaderValues vary = headers.get(Headers.VARY);
        if (vary != null) {
            for (String value : vary) {
                for (String token : value.split(",")) {
                    String t = token.trim();
                    if (t.equals("*") || t.equalsIgnoreCase("Accept-Encoding")) {
                        return;
                    }
                }
            }
        }
        headers.add(Headers.VARY, "Accept-Encoding");
    }
}
