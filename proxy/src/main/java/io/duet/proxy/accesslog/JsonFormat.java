package io.duet.proxy.accesslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * JSON lines: one object per record, fields in a fixed order (see the package documentation), escaping by Jackson.
 * Not thread-safe: one instance per writer thread, bound to one output {@link Writer} at a time.
 */
final class JsonFormat {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .build();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private JsonGenerator generator;

    /** Binds to a new output (after open or reopen). */
    void bind(Writer out) throws IOException {
        generator = FACTORY.createGenerator(out);
        generator.setPrettyPrinter(new MinimalPrettyPrinter(""));
    }

    /** Writes one record and its line feed into the generator's buffer. */
    void write(AccessRecord r) throws IOException {
        JsonGenerator g = generator;
        g.writeStartObject();
        g.writeStringField("time", TIME.format(Instant.ofEpochMilli(r.epochMillis())));
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
    }

    /** Pushes the generator's buffer into the bound writer (does not flush the writer). */
    void flush() throws IOException {
        if (generator != null) {
            generator.flush();
        }
    }
}
