package io.duet.proxy.edge;

import io.duet.proxy.http1.ChunkedDecoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Scans the raw bytes of HTTP/1.x request heads as they arrive, in any number of pieces, and says when a head
 * breaks a rule Undertow's parser would only answer 400 for (or not at all): request line over its limit, header
 * block over its byte or field limit, a PROXY header, obs-fold, a version other than HTTP/1.1 or HTTP/1.0, too
 * many empty lines before the request line. It also notices {@code Transfer-Encoding: chunked} and then validates
 * the chunked body that follows strictly ({@link #scanBody}). Pure: no I/O, no clock, no allocation per byte
 * (one {@link ChunkedDecoder} per chunked request).
 *
 * <p>One scanner per connection; not thread-safe: only the thread that reads the connection uses it.
 */
final class HeadScanner {
    /** The head is not complete yet. */
    static final int CONTINUE = 0;
    /** The head ended at {@link #headEnd()}; what follows is body or the next request. */
    static final int DONE = 1;
    /** Malformed head (DUET-EDGE-0400). */
    static final int BAD_REQUEST = 400;
    /** Request line over the limit (DUET-EDGE-0414). */
    static final int REQUEST_LINE_TOO_LONG = 414;
    /** Header block over its byte limit (DUET-EDGE-0431). */
    static final int HEADERS_TOO_LARGE = 431;
    /** More header fields than allowed (DUET-EDGE-0431). */
    static final int TOO_MANY_HEADERS = 432;
    /** A PROXY protocol header (v1 or v2) where none is expected (DUET-EDGE-0404). */
    static final int PROXY_HEADER = 490;
    /** A malformed chunked body (DUET-EDGE-0401). */
    static final int BAD_CHUNKING = 491;

    /** Empty lines tolerated before a request line (RFC 9112 2.2 allows at least one). */
    static final int MAX_LEADING_BLANK_BYTES = 16;
    private static final byte[] PROXY_V1 = {'P', 'R', 'O', 'X', 'Y', ' '};
    private static final long HTTP_1_1 = pack("HTTP/1.1");
    private static final long HTTP_1_0 = pack("HTTP/1.0");

    // Transfer-Encoding: chunked in the current head, matched while the header lines stream by (see matchTe).
    private static final byte[] TE_NAME = "transfer-encoding:".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.ISO_8859_1);
    private static final int TE_NAME_MATCH = 0;
    private static final int TE_OTHER = 1;
    private static final int TE_VALUE_WS = 2;
    private static final int TE_VALUE = 3;
    private static final int TE_TRAILING_WS = 4;

    private final int maxRequestLineBytes;
    private final int maxHeaderBytes;
    private final int maxHeaderCount;

    private boolean firstRequest = true;
    private boolean started;
    private boolean inRequestLine = true;
    private int leadingBlankBytes;
    private int requestLineBytes;
    private int proxyMatch;
    private long versionTail;   // last 8 bytes of the request line
    private int beforeVersion;  // the byte before them
    private int lineBytes;
    private int headerBytes;
    private int headerCount;
    private int teState;
    private int teIndex;
    private boolean chunkedHead;
    /** Index just after the head in the buffer of the scan that ended it. */
    private int headEnd;
    /** While a chunked request body streams through: its strict validator (null otherwise). */
    private ChunkedDecoder chunkedBody;

    HeadScanner(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaderCount) {
        this.maxRequestLineBytes = maxRequestLineBytes;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaderCount = maxHeaderCount;
    }

    private static long pack(String s) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | s.charAt(i);
        }
        return v;
    }

    /** True once a byte of the current head was scanned. */
    boolean started() {
        return started;
    }

    /** True until the first head of the connection ended (a PROXY header is looked for only there). */
    boolean firstRequest() {
        return firstRequest;
    }

    /** Index just after the head, in the buffer of the {@link #scan} that returned {@link #DONE}. */
    int headEnd() {
        return headEnd;
    }

    /** True while the body of a chunked request is being validated. */
    boolean inChunkedBody() {
        return chunkedBody != null;
    }

    /** Gets ready for the next head (and forgets a chunked body that was being validated). */
    void reset() {
        started = false;
        inRequestLine = true;
        leadingBlankBytes = 0;
        requestLineBytes = 0;
        proxyMatch = 0;
        versionTail = 0;
        beforeVersion = 0;
        lineBytes = 0;
        headerBytes = 0;
        headerCount = 0;
        teState = TE_NAME_MATCH;
        teIndex = 0;
        chunkedHead = false;
        chunkedBody = null;
    }

    /**
     * Advances over {@code b[from, to)} (absolute indexes; the buffer's position and limit are not used or moved).
     *
     * @return {@link #CONTINUE}, {@link #DONE}, or a rejection: {@link #BAD_REQUEST}, {@link #REQUEST_LINE_TOO_LONG},
     *         {@link #HEADERS_TOO_LARGE}, {@link #TOO_MANY_HEADERS} or {@link #PROXY_HEADER}
     */
    int scan(ByteBuffer b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b.get(i);
            started = true;
            if (inRequestLine) {
                if (requestLineBytes == 0 && (c == '\r' || c == '\n')) {
                    if (++leadingBlankBytes > MAX_LEADING_BLANK_BYTES) {
                        return BAD_REQUEST;
                    }
                    continue;
                }
                if (c == '\n') {
                    // Only HTTP/1.1 and HTTP/1.0 (Undertow serves other 1.x versions as if they were 1.1).
                    if (beforeVersion != ' ' || (versionTail != HTTP_1_1 && versionTail != HTTP_1_0)) {
                        return BAD_REQUEST;
                    }
                    inRequestLine = false;
                    lineBytes = 0;
                    continue;
                }
                if (c != '\r') {
                    beforeVersion = (int) (versionTail >>> 56);
                    versionTail = (versionTail << 8) | (c & 0xff);
                }
                if (firstRequest) {
                    if (c == 0 && requestLineBytes == 0 && leadingBlankBytes >= 4) {
                        return PROXY_HEADER; // PROXY v2 signature: CR LF CR LF NUL ...
                    }
                    if (proxyMatch == requestLineBytes && proxyMatch < PROXY_V1.length && c == PROXY_V1[proxyMatch]) {
                        if (++proxyMatch == PROXY_V1.length) {
                            return PROXY_HEADER;
                        }
                    }
                }
                if (c != '\r' && ++requestLineBytes > maxRequestLineBytes) {
                    return REQUEST_LINE_TOO_LONG;
                }
            } else {
                if (c == '\n') {
                    if (lineBytes == 0) {
                        firstRequest = false;
                        headEnd = i + 1;
                        if (chunkedHead) {
                            chunkedBody = new ChunkedDecoder();
                        }
                        return DONE;
                    }
                    if ((teState == TE_VALUE && teIndex == CHUNKED.length) || teState == TE_TRAILING_WS) {
                        chunkedHead = true;
                    }
                    teState = TE_NAME_MATCH;
                    teIndex = 0;
                    if (++headerCount > maxHeaderCount) {
                        return TOO_MANY_HEADERS;
                    }
                    lineBytes = 0;
                } else if (c != '\r') {
                    if (lineBytes == 0 && (c == ' ' || c == '\t')) {
                        return BAD_REQUEST; // obs-fold (or whitespace before the first field): RFC 9112 5.2, 2.2
                    }
                    lineBytes++;
                    if (teState != TE_OTHER) {
                        matchTe(c);
                    }
                }
                if (++headerBytes > maxHeaderBytes) {
                    return HEADERS_TOO_LARGE;
                }
            }
        }
        return CONTINUE;
    }

    /**
     * Validates raw chunked body bytes {@code b[from, to)} strictly (sizes in hex, CRLF after each chunk's data,
     * bounded extensions and trailers): Undertow's own decoder tolerates some malformed framing, and a proxy in
     * front of Duet that reads the boundaries differently must never see two requests where Duet sees one. Call
     * only while {@link #inChunkedBody()}.
     *
     * @return {@link #CONTINUE} (more body to come), {@link #DONE} (the body ended; what follows is the next
     *         request) or {@link #BAD_CHUNKING}
     */
    int scanBody(ByteBuffer b, int from, int to) {
        ByteBuffer v = b.duplicate();
        v.limit(to).position(from);
        try {
            while (true) {
                long avail = chunkedBody.next(v);
                if (avail == ChunkedDecoder.DONE) {
                    chunkedBody = null;
                    return DONE;
                }
                int skip = (int) Math.min(avail, v.remaining());
                if (skip == 0) {
                    return CONTINUE;
                }
                v.position(v.position() + skip);
                chunkedBody.consumed(skip);
            }
        } catch (IOException e) {
            chunkedBody = null;
            return BAD_CHUNKING;
        }
    }

    /**
     * Follows one byte of a header line against {@code Transfer-Encoding: chunked} (name case-insensitive, value
     * exactly chunked with optional whitespace around it). The edge handler refuses any other Transfer-Encoding;
     * this only decides whether the body that follows the head is validated as chunked.
     */
    private void matchTe(byte c) {
        int lower = c >= 'A' && c <= 'Z' ? c + 32 : c;
        switch (teState) {
            case TE_NAME_MATCH:
                if (lower == TE_NAME[teIndex]) {
                    if (++teIndex == TE_NAME.length) {
                        teState = TE_VALUE_WS;
                        teIndex = 0;
                    }
                } else {
                    teState = TE_OTHER;
                }
                return;
            case TE_VALUE_WS:
                if (c == ' ' || c == '\t') {
                    return;
                }
                teState = TE_VALUE;
                // fall through to the value
            case TE_VALUE:
                if (teIndex < CHUNKED.length && lower == CHUNKED[teIndex]) {
                    teIndex++;
                } else if (teIndex == CHUNKED.length && (c == ' ' || c == '\t')) {
                    teState = TE_TRAILING_WS;
                } else {
                    teState = TE_OTHER;
                }
                return;
            case TE_TRAILING_WS:
                if (c != ' ' && c != '\t') {
                    teState = TE_OTHER;
                }
                return;
            default:
        }
    }
}
