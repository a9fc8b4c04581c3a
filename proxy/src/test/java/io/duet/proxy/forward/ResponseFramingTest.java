package io.duet.proxy.forward;

import io.duet.proxy.http1.ChunkedDecoder;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The forwarder's response framing in isolation: {@link ResponseHead} (where a head ends, what it says about the
 * body and the connection) and {@link ChunkedDecoder} (fed whole and one byte at a time, so every state survives a
 * read boundary).
 */
class ResponseFramingTest {

    private static ByteBuffer direct(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buf = ByteBuffer.allocateDirect(b.length);
        buf.put(b).flip();
        return buf;
    }

    private static ResponseHead parse(String head, HeaderMap out) {
        ByteBuffer buf = direct(head);
        int end = ResponseHead.end(buf, 0, buf.limit());
        assertThat(end).as("head end").isEqualTo(buf.limit());
        ResponseHead h = new ResponseHead();
        String error = h.parse(buf, 0, end, out);
        assertThat(error).as("parse error").isNull();
        return h;
    }

    // The end of a head is found with CRLF or bare LF line ends, and not before the blank line arrived.
    @Test
    void headEnd() {
        ByteBuffer crlf = direct("HTTP/1.1 200 OK\r\nA: b\r\n\r\nbody");
        assertThat(ResponseHead.end(crlf, 0, crlf.limit())).isEqualTo(crlf.limit() - 4);
        ByteBuffer lf = direct("HTTP/1.1 200 OK\nA: b\n\nbody");
        assertThat(ResponseHead.end(lf, 0, lf.limit())).isEqualTo(lf.limit() - 4);
        ByteBuffer partial = direct("HTTP/1.1 200 OK\r\nA: b\r\n\r");
        assertThat(ResponseHead.end(partial, 0, partial.limit())).isEqualTo(-1);
    }

    // Content-Length frames the body and is passed on; a list of equal values is one value; keep-alive by default.
    @Test
    void contentLength() {
        HeaderMap out = new HeaderMap();
        ResponseHead h = parse("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\nX-A:  v  \r\n\r\n", out);
        assertThat(h.status).isEqualTo(200);
        assertThat(h.contentLength).isEqualTo(5);
        assertThat(h.chunked).isFalse();
        assertThat(h.close).isFalse();
        assertThat(out.getFirst(Headers.CONTENT_LENGTH)).isEqualTo("5");
        assertThat(out.getFirst("X-A")).isEqualTo("v");
    }

    // Transfer-Encoding with chunked last frames the body; Content-Length next to it is dropped and the connection
    // is not reused; a coding without chunked last means the body runs to the end of the connection.
    @Test
    void transferEncoding() {
        HeaderMap out = new HeaderMap();
        ResponseHead h = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 9\r\n\r\n", out);
        assertThat(h.chunked).isTrue();
        assertThat(h.contentLength).isEqualTo(-1);
        assertThat(h.close).isTrue();
        assertThat(out.contains(Headers.CONTENT_LENGTH)).isFalse();
        assertThat(out.contains(Headers.TRANSFER_ENCODING)).isFalse();
        ResponseHead gz = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", new HeaderMap());
        assertThat(gz.chunked).isFalse();
        assertThat(gz.bodyUntilClose()).isTrue();
        assertThat(gz.close).isTrue();
    }

    // HTTP/1.0 closes unless it asks for keep-alive; Connection: close closes; no-body statuses and HEAD have none.
    @Test
    void connectionAndNoBody() {
        assertThat(parse("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", new HeaderMap()).close).isTrue();
        assertThat(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n", new HeaderMap()).close)
                .isFalse();
        assertThat(parse("HTTP/1.1 200 OK\r\nConnection: Upgrade, close\r\nContent-Length: 1\r\n\r\n", new HeaderMap())
                .close).isTrue();
        ResponseHead notModified = parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n", new HeaderMap());
        assertThat(notModified.noBody(false)).isTrue();
        ResponseHead ok = parse("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", new HeaderMap());
        assertThat(ok.noBody(false)).isFalse();
        assertThat(ok.noBody(true)).isTrue();
        assertThat(parse("HTTP/1.1 204\r\n\r\n", new HeaderMap()).noBody(false)).isTrue();
    }

    // Header names backends send often map to Undertow's constants; others keep their spelling.
    @Test
    void headerNames() {
        HeaderMap out = new HeaderMap();
        parse("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nX-Custom-Thing: 1\r\nSet-Cookie: a=1\r\n"
                + "Set-Cookie: b=2\r\n\r\n", out);
        assertThat(out.get(Headers.CONTENT_TYPE).getHeaderName()).isSameAs(Headers.CONTENT_TYPE);
        assertThat(out.get("x-custom-thing").getHeaderName().toString()).isEqualTo("X-Custom-Thing");
        assertThat(out.get(Headers.SET_COOKIE)).containsExactly("a=1", "b=2");
    }

    // A chunked body decodes the same whole and fed one byte at a time; extensions and trailers are skipped.
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 1000})
    void chunkedDecodesAcrossAnyReadBoundary(int piece) throws IOException {
        String wire = "5;name=value\r\nhello\r\n1\r\n,\r\n6\r\n world\r\n0\r\nX-T: 1\r\nX-U: 2\r\n\r\nNEXT";
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        ChunkedDecoder d = new ChunkedDecoder();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(bytes.length);
        buf.flip();
        int fed = 0;
        boolean done = false;
        while (!done) {
            buf.compact();
            int n = Math.min(piece, bytes.length - fed);
            buf.put(bytes, fed, n);
            fed += n;
            buf.flip();
            while (true) {
                long avail = d.next(buf);
                if (avail == ChunkedDecoder.DONE) {
                    done = true;
                    break;
                }
                int take = (int) Math.min(avail, buf.remaining());
                if (take == 0) {
                    break;
                }
                byte[] chunk = new byte[take];
                buf.get(chunk);
                body.write(chunk);
                d.consumed(take);
            }
        }
        assertThat(body.toString(StandardCharsets.ISO_8859_1)).isEqualTo("hello, world");
        assertThat(StandardCharsets.ISO_8859_1.decode(buf).toString() + new String(bytes, fed, bytes.length - fed,
                StandardCharsets.ISO_8859_1)).isEqualTo("NEXT");
    }

    // Malformed chunked framing is an error, never guessed: bad size, missing CRLF after data, oversized size.
    @ParameterizedTest
    @ValueSource(strings = {"zz\r\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n", "12345678901234567\r\n", "\r\n",
            "5\r\nhello\r\n0\r\n\rX", "5 x\r\nhello\r\n0\r\n\r\n"})
    void malformedChunkedIsAnError(String wire) {
        ChunkedDecoder d = new ChunkedDecoder();
        ByteBuffer buf = ByteBuffer.wrap(wire.getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> {
            while (true) {
                long avail = d.next(buf);
                if (avail == ChunkedDecoder.DONE || (avail == 0 && !buf.hasRemaining())) {
                    return;
                }
                int take = (int) Math.min(avail, buf.remaining());
                buf.position(buf.position() + take);
                d.consumed(take);
            }
        }).isInstanceOf(IOException.class);
    }
}
