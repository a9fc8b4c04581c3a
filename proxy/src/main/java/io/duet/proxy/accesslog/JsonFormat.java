package io.duet.proxy.accesslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * JSON lines: one object per record, fields in a fixed order (see the package documentation), escaping by Jackson.
 * Not thread-safe: one instance per writer thread. Jackson writes into a {@link LineBuffer}'s writer, which the
 * generator is re-bound to when the buffer changes (normally once).
 */
final class JsonFormat implements LineFormat {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .build();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private LineBuffer boundTo;
    private JsonGenerator generator;
    private long cachedMillis = Long.MIN_VALUE;
    private String cachedTime;

    @Override
    public void append(LineBuffer out, AccessRecord r) {
        try {
            if (boundTo != out) {
                generator = FACTORY.createGenerator(out.writer());
                generator.setPrettyPrinter(new MinimalPrettyPrinter(""));
                boundTo = out;
            }
            JsonGenerator g = generator;
            g.writeStartObject();
            g.writeStringField("time", time(r.epochMillis()));
            g.writeStringField("client", r.clientAddress());
            g.writeStringField("method", r.method());
            g.writeStringField("uri", r.uri());
            g.writeStringField("protocol", r.protocol());
            g.writeNumberField("status", r.status());
            g.writeNumberField("bytes_sent", r.responseBytes());
            g.writeNumberField("bytes_received", r.requestBytes());
            g.writeNumberField("duration_us", r.durationMicros());
            g.writeStringField("host", r.host());
            g.writeStringField("vhost", r.vhost());
            g.writeStringField("route", r.route());
            g.writeStringField("pool", r.pool());
            g.writeStringField("server", r.serverId());
            g.writeStringField("referer", r.referer());
            g.writeStringField("user_agent", r.userAgent());
            g.writeStringField("request_id", r.requestId());
            g.writeStringField("listener", r.listener());
            g.writeEndObject();
            g.writeRaw('\n');
            g.flush(); // the line is in the buffer now (the buffer's writer never does I/O)
        } catch (IOException e) {
            boundTo = null; // start a fresh generator for the next record
            throw new UncheckedIOException(e); // the buffer's writer does no I/O: only a generator state error
        }
    }

    private String time(long epochMillis) {
        if (epochMillis != cachedMillis) {
            cachedTime = TIME.format(Instant.ofEpochMilli(epochMillis));
            cachedMillis = epochMillis;
        }
        return cachedTime;
    }
}
