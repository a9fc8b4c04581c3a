package io.duet.proxy.edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge's head scanner on byte arrays: every head the conduit refuses itself (the cases of EdgeLimitsTest,
 * EdgeFramingTest, EdgeProxyProtocolTest and SmugglingScenarioTest that the scanner decides, and proxy/ERRORS.md's
 * DUET-EDGE-0400/0401/0404/0414/0431), heads that pass, and heads that arrive in pieces.
 */
class HeadScannerTest {
    /** The limits of EdgeLimitsTest: request line 200 bytes, header block 1000 bytes, 10 fields. */
    private static HeadScanner scanner() {
        return new HeadScanner(200, 1000, 10);
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static int scan(HeadScanner s, String text) {
        ByteBuffer b = bytes(text);
        return s.scan(b, 0, b.limit());
    }

    /** Scans {@code text} one byte per call, as a slowloris would send it; the first result that is not CONTINUE. */
    private static int scanBytewise(HeadScanner s, String text) {
        ByteBuffer b = bytes(text);
        for (int i = 0; i < b.limit(); i++) {
            int r = s.scan(b, i, i + 1);
            if (r != HeadScanner.CONTINUE) {
                return r;
            }
        }
        return HeadScanner.CONTINUE;
    }

    @Test
    void wholeHeadIsDoneAndEndsAfterTheEmptyLine() {
        HeadScanner s = scanner();
        String head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        assertThat(scan(s, head + "next")).isEqualTo(HeadScanner.DONE);
        assertThat(s.headEnd()).isEqualTo(head.length());
        assertThat(s.started()).isTrue();
        assertThat(s.firstRequest()).isFalse();
        assertThat(s.inChunkedBody()).isFalse();
    }

    @Test
    void http10AndBareLfLinesPass() {
        assertThat(scan(scanner(), "GET / HTTP/1.0\r\n\r\n")).isEqualTo(HeadScanner.DONE);
        assertThat(scan(scanner(), "GET / HTTP/1.1\nHost: a\n\n")).isEqualTo(HeadScanner.DONE);
    }

    @Test
    void headInPiecesContinuesUntilItEnds() {
        HeadScanner s = scanner();
        assertThat(s.started()).isFalse();
        assertThat(scan(s, "GET / HT")).isEqualTo(HeadScanner.CONTINUE);
        assertThat(s.started()).isTrue();
        assertThat(scan(s, "TP/1.1\r\nHost:")).isEqualTo(HeadScanner.CONTINUE);
        assertThat(scan(s, " a\r\n\r")).isEqualTo(HeadScanner.CONTINUE);
        assertThat(scan(s, "\n")).isEqualTo(HeadScanner.DONE);
        assertThat(scanBytewise(scanner(), "GET /x HTTP/1.1\r\nHost: a\r\nX-Custom: v1\r\n\r\n")).isEqualTo(HeadScanner.DONE);
    }

    @Test
    void scanUsesAbsoluteIndexesAndLeavesThePositionAlone() {
        HeadScanner s = scanner();
        ByteBuffer b = bytes("xxGET / HTTP/1.1\r\n\r\nyy");
        b.position(5);
        assertThat(s.scan(b, 2, 20)).isEqualTo(HeadScanner.DONE);
        assertThat(s.headEnd()).isEqualTo(20);
        assertThat(b.position()).isEqualTo(5);
        assertThat(b.limit()).isEqualTo(22);
    }

    // EdgeLimitsTest.requestLineOverLimitIs414: 200 bytes pass, 201 are 414 (DUET-EDGE-0414).
    @Test
    void requestLineOverTheLimitIs414() {
        String atLimit = "GET /" + "a".repeat(200 - "GET / HTTP/1.1".length()) + " HTTP/1.1";
        assertThat(atLimit).hasSize(200);
        assertThat(scan(scanner(), atLimit + "\r\nHost: a\r\n\r\n")).isEqualTo(HeadScanner.DONE);
        assertThat(scan(scanner(), "GET /b" + "a".repeat(200 - "GET / HTTP/1.1".length()) + " HTTP/1.1\r\nHost: a\r\n\r\n"))
                .isEqualTo(HeadScanner.REQUEST_LINE_TOO_LONG);
        // EdgeLimitsTest.hugeRequestLineIs414NotUndertows400: decided before the line ends.
        assertThat(scan(scanner(), "GET /" + "a".repeat(100_000))).isEqualTo(HeadScanner.REQUEST_LINE_TOO_LONG);
    }

    // EdgeLimitsTest.headerBlockOverLimitIs431 (DUET-EDGE-0431, header bytes).
    @Test
    void headerBlockOverTheLimitIs431() {
        assertThat(scan(scanner(), "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(1000) + "\r\n\r\n"))
                .isEqualTo(HeadScanner.HEADERS_TOO_LARGE);
        assertThat(scan(scanner(), "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(900) + "\r\n\r\n"))
                .isEqualTo(HeadScanner.DONE);
    }

    // EdgeLimitsTest.tooManyHeaderFieldsIs431 (DUET-EDGE-0431, field count): 10 fields pass, 11 do not.
    @Test
    void tooManyHeaderFieldsIs431() {
        StringBuilder ok = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 1; i < 10; i++) {
            ok.append("X-").append(i).append(": v\r\n");
        }
        assertThat(scan(scanner(), ok + "\r\n")).isEqualTo(HeadScanner.DONE);
        assertThat(scan(scanner(), ok + "X-10: v\r\n\r\n")).isEqualTo(HeadScanner.TOO_MANY_HEADERS);
    }

    // EdgeFramingTest: obs-fold, an unknown protocol version, the HTTP/2 preface on an HTTP/1 listener (DUET-EDGE-0400).
    @ParameterizedTest
    @ValueSource(strings = {
            "POST /x HTTP/1.1\r\nHost: a\r\nX-A: a\r\n b\r\nContent-Length: 0\r\n\r\n",
            "POST /x HTTP/1.1\r\nHost: a\r\nX-A: a\r\n\tb\r\n\r\n",
            "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
            "GET /x HTTP/1.7\r\nHost: a\r\n\r\n",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            "GET /x\r\nHost: a\r\n\r\n",
            "GET /xHTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /x http/1.1\r\nHost: a\r\n\r\n",
    })
    void malformedHeadIs400(String head) {
        assertThat(scan(scanner(), head)).isEqualTo(HeadScanner.BAD_REQUEST);
        assertThat(scanBytewise(scanner(), head)).isEqualTo(HeadScanner.BAD_REQUEST);
    }

    // RFC 9112 2.2: empty lines before the request line are tolerated, up to 16 bytes of them.
    @Test
    void leadingEmptyLinesAreToleratedUpToALimit() {
        assertThat(scan(scanner(), "\r\n".repeat(8) + "GET / HTTP/1.1\r\n\r\n")).isEqualTo(HeadScanner.DONE);
        assertThat(scan(scanner(), "\r\n".repeat(8) + "\n" + "GET / HTTP/1.1\r\n\r\n")).isEqualTo(HeadScanner.BAD_REQUEST);
    }

    // EdgeProxyProtocolTest.v1FromUntrustedPeerIs400 / v2FromUntrustedPeerIs400AndPlainHttpPasses (DUET-EDGE-0404).
    @Test
    void proxyHeadersAreRefusedOnTheFirstRequestOnly() {
        assertThat(scan(scanner(), "PROXY TCP4 203.0.113.7 192.0.2.1 51000 80\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n"))
                .isEqualTo(HeadScanner.PROXY_HEADER);
        byte[] v2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11};
        assertThat(scanner().scan(ByteBuffer.wrap(v2), 0, v2.length)).isEqualTo(HeadScanner.PROXY_HEADER);

        HeadScanner s = scanner();
        assertThat(scan(s, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(HeadScanner.DONE);
        s.reset();
        // On a later request "PROXY" is just an (unknown) method; Undertow's parser decides about it.
        assertThat(scan(s, "PROXY /x HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(HeadScanner.DONE);
    }

    @Test
    void resetStartsTheNextHeadWithFreshCounters() {
        HeadScanner s = scanner();
        StringBuilder nine = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 1; i < 10; i++) {
            nine.append("X-").append(i).append(": v\r\n");
        }
        assertThat(scan(s, nine + "\r\n")).isEqualTo(HeadScanner.DONE);
        s.reset();
        assertThat(s.started()).isFalse();
        assertThat(scan(s, nine + "\r\n")).isEqualTo(HeadScanner.DONE);
    }

    // Transfer-Encoding: chunked (any case, whitespace around the value) starts the strict body check.
    @ParameterizedTest
    @ValueSource(strings = {
            "Transfer-Encoding: chunked",
            "transfer-encoding:chunked",
            "TRANSFER-ENCODING: \tCHUNKED \t",
    })
    void chunkedHeadStartsTheBodyCheck(String te) {
        HeadScanner s = scanner();
        assertThat(scan(s, "POST /x HTTP/1.1\r\nHost: a\r\n" + te + "\r\n\r\n")).isEqualTo(HeadScanner.DONE);
        assertThat(s.inChunkedBody()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Transfer-Encoding: xchunked",
            "Transfer-Encoding: chunked, chunked",
            "Transfer-Encoding: gzip",
            "X-Transfer-Encoding: chunked",
            "Content-Length: 5",
    })
    void otherHeadsHaveNoChunkedBody(String field) {
        HeadScanner s = scanner();
        assertThat(scan(s, "POST /x HTTP/1.1\r\nHost: a\r\n" + field + "\r\n\r\n")).isEqualTo(HeadScanner.DONE);
        assertThat(s.inChunkedBody()).isFalse();
    }

    private static HeadScanner chunked() {
        HeadScanner s = new HeadScanner(8000, 8000, 100);
        assertThat(scan(s, "POST /upload HTTP/1.1\r\nHost: x.test\r\nTransfer-Encoding: chunked\r\n\r\n"))
                .isEqualTo(HeadScanner.DONE);
        return s;
    }

    // SmugglingScenarioTest.malformedChunkedBodyRefused and EdgeFramingTest.malformedChunkSizeClosesTheConnection
    // (DUET-EDGE-0401).
    @ParameterizedTest
    @ValueSource(strings = {
            "zz\r\nhello\r\n0\r\n\r\n",
            "zz\r\nabc\r\n0\r\n\r\n",
            "5\r\nhelloXX0\r\n\r\n",
            "5\r\nhello0\r\n\r\n",
            "fffffffffffffffff\r\nx\r\n0\r\n\r\n",
            "-5\r\nhello\r\n0\r\n\r\n",
            "5 x\r\nhello\r\n0\r\n\r\n",
    })
    void malformedChunkedBodyIsBadChunking(String body) {
        HeadScanner s = chunked();
        ByteBuffer b = bytes(body + "GET /smuggled HTTP/1.1\r\nHost: x.test\r\n\r\n");
        assertThat(s.scanBody(b, 0, b.limit())).isEqualTo(HeadScanner.BAD_CHUNKING);
        assertThat(s.inChunkedBody()).isFalse();
    }

    // SmugglingScenarioTest.wellFormedChunkedBodyAndPipelinedRequestPass: the body ends where it says, in pieces too.
    @Test
    void wellFormedChunkedBodyEndsAndTheNextRequestFollows() {
        String body = "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        HeadScanner s = chunked();
        ByteBuffer b = bytes(body + "GET /next HTTP/1.1\r\n\r\n");
        assertThat(s.scanBody(b, 0, body.length())).isEqualTo(HeadScanner.DONE);
        assertThat(s.inChunkedBody()).isFalse();

        HeadScanner pieces = chunked();
        ByteBuffer p = bytes(body);
        int r = HeadScanner.CONTINUE;
        for (int i = 0; i < p.limit() && r == HeadScanner.CONTINUE; i++) {
            r = pieces.scanBody(p, i, i + 1);
        }
        assertThat(r).isEqualTo(HeadScanner.DONE);
    }

    @Test
    void chunkedBodyNotYetEndedContinues() {
        HeadScanner s = chunked();
        ByteBuffer b = bytes("40\r\n" + "x".repeat(64) + "\r\n");
        assertThat(s.scanBody(b, 0, b.limit())).isEqualTo(HeadScanner.CONTINUE);
        assertThat(s.inChunkedBody()).isTrue();
    }
}
