package io.duet.proxy.http1;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Decodes a chunked body (RFC 9112 section 7.1) in place: {@link #next} consumes framing bytes and says how many data
 * bytes follow at the buffer's position. Chunk extensions are skipped (at most {@link #MAX_LINE} bytes), trailer
 * fields are read and dropped (at most {@link #MAX_TRAILERS} bytes). A malformed size, a missing CRLF after the
 * data, or an oversized line is an {@link IOException}: the connection cannot be trusted after it.
 * One decoder per response; I/O thread.
 */
public final class ChunkedDecoder {
    public static final long DONE = -1;
    static final int MAX_LINE = 4096;
    static final int MAX_TRAILERS = 16 * 1024;

    private static final int SIZE = 0;
    private static final int EXTENSION = 1;
    private static final int SIZE_LF = 2;
    private static final int DATA = 3;
    private static final int DATA_CR = 4;
    private static final int DATA_LF = 5;
    private static final int TRAILER_START = 6;
    private static final int TRAILER_LINE = 7;
    private static final int FINAL_LF = 8;
    private static final int FINISHED = 9;
    private static final int SIZE_BWS = 10;

    private int state = SIZE;
    private long remaining;
    private int digits;
    private int lineBytes;
    private int trailerBytes;

    /**
     * Consumes framing from {@code buf} (position to limit).
     *
     * @return the data bytes of the current chunk (more than 0; some may not be in the buffer yet, the data that is
     * starts at the buffer's position), 0 when more input is needed, or {@link #DONE} after the last chunk and its
     * trailers (the position is then just after the body)
     */
    public long next(ByteBuffer buf) throws IOException {
        while (true) {
            if (state == DATA) {
                return remaining;
            }
            if (state == FINISHED) {
                return DONE;
            }
            if (!buf.hasRemaining()) {
                return 0;
            }
            byte c = buf.get();
            switch (state) {
                case SIZE: {
                    int v = hex(c);
                    if (v >= 0) {
                        if (++digits > 15) {
                            throw new IOException("chunk size too large");
                        }
                        remaining = remaining << 4 | v;
                    } else if (digits == 0) {
                        throw new IOException("chunk size is not hexadecimal");
                    } else if (c == ';') {
                        state = EXTENSION;
                        lineBytes = 0;
                    } else if (c == ' ' || c == '\t') {
                        state = SIZE_BWS; // only whitespace before a ';' may follow (RFC 9112 7.1.1 BWS)
                        lineBytes = 0;
                    } else if (c == '\r') {
                        state = SIZE_LF;
                    } else if (c == '\n') {
                        endSizeLine();
                    } else {
                        throw new IOException("chunk size is not hexadecimal");
                    }
                    break;
                }
                case SIZE_BWS:
                    if (c == ';') {
                        state = EXTENSION;
                    } else if (c == '\r') {
                        state = SIZE_LF;
                    } else if (c == '\n') {
                        endSizeLine();
                    } else if ((c != ' ' && c != '\t') || ++lineBytes > MAX_LINE) {
                        throw new IOException("chunk size followed by something other than an extension");
                    }
                    break;
                case EXTENSION:
                    if (c == '\n') {
                        endSizeLine();
                    } else if (c == '\r') {
                        state = SIZE_LF;
                    } else if (++lineBytes > MAX_LINE) {
                        throw new IOException("chunk extension too long");
                    }
                    break;
                case SIZE_LF:
                    if (c != '\n') {
                        throw new IOException("chunk size line does not end in CRLF");
                    }
                    endSizeLine();
                    break;
                case DATA_CR:
                    if (c == '\r') {
                        state = DATA_LF;
                    } else if (c == '\n') {
                        startSize();
                    } else {
                        throw new IOException("chunk data is not followed by CRLF");
                    }
                    break;
                case DATA_LF:
                    if (c != '\n') {
                        throw new IOException("chunk data is not followed by CRLF");
                    }
                    startSize();
                    break;
                case TRAILER_START:
                    if (c == '\r') {
                        state = FINAL_LF;
                    } else if (c == '\n') {
                        state = FINISHED;
                    } else {
                        state = TRAILER_LINE;
                        countTrailer();
                    }
                    break;
                case TRAILER_LINE:
                    countTrailer();
                    if (c == '\n') {
                        state = TRAILER_START;
                    }
                    break;
                case FINAL_LF:
                    if (c != '\n') {
                        throw new IOException("the chunked body does not end in CRLF");
                    }
                    state = FINISHED;
                    break;
                default:
                    throw new IllegalStateException("state " + state);
            }
        }
    }

    /** The caller passed on {@code n} data bytes of the current chunk. */
    public void consumed(long n) {
        remaining -= n;
        if (remaining == 0) {
            state = DATA_CR;
        }
    }

    private void endSizeLine() {
        if (remaining == 0) {
            state = TRAILER_START;
        } else {
            state = DATA;
        }
    }

    private void startSize() {
        state = SIZE;
        digits = 0;
        remaining = 0;
    }

    private void countTrailer() throws IOException {
        if (++trailerBytes > MAX_TRAILERS) {
            throw new IOException("chunked trailers too large");
        }
    }

    private static int hex(byte c) {
        return Character.digit((char) (c & 0xff), 16); // Latin-1 holds no other digits than 0-9
    }
}
