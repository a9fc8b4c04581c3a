package io.duet.proxy.response;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The edge's pre-encoded HTTP/1.1 refusals, byte for byte as the edge has always written them. */
class EdgeErrorTest {

    @Test
    void badRequestIsAClosingPlainTextResponse() {
        assertThat(new String(EdgeError.BAD_REQUEST.http1(), StandardCharsets.US_ASCII)).isEqualTo(
                "HTTP/1.1 400 Bad Request\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Length: 33\r\n"
                        + "Connection: close\r\n\r\n"
                        + "DUET-EDGE-0400 malformed request\n");
    }

    @Test
    void headersTooLargeKeepsItsLongReason() {
        assertThat(new String(EdgeError.HEADERS_TOO_LARGE.http1(), StandardCharsets.US_ASCII)).isEqualTo(
                "HTTP/1.1 431 Request Header Fields Too Large\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Length: 51\r\n"
                        + "Connection: close\r\n\r\n"
                        + "DUET-EDGE-0431 request header block over the limit\n");
    }

    @Test
    void everyRefusalNamesItsIdAndStatusAndCloses() {
        for (EdgeError e : EdgeError.values()) {
            String text = new String(e.http1(), StandardCharsets.US_ASCII);
            assertThat(text).as(e.name()).startsWith("HTTP/1.1 " + e.status() + " ");
            assertThat(text).as(e.name()).contains("\r\nConnection: close\r\n\r\n");
            assertThat(text).as(e.name()).endsWith("\r\n\r\n" + e.text() + "\n");
            assertThat(e.text()).as(e.name()).startsWith("DUET-EDGE-0");
            assertThat(text).as(e.name()).contains("Content-Length: " + (e.text().length() + 1) + "\r\n");
        }
    }
}
