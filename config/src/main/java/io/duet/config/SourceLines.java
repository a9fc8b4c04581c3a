package io.duet.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of a document's text (JSON or YAML) where each JSON path starts, in the paths violations use
 * ({@code $.pools[0].servers[1].port}): a field at the line of its name, a list element at the line it starts on. So
 * an editor puts each violation of the text on its line. Made by {@link ConfigCodec#lines}; immutable, thread-safe.
 */
public final class SourceLines {
    private final Map<String, Integer> lines;

    private SourceLines(Map<String, Integer> lines) {
        this.lines = Map.copyOf(lines);
    }

    static SourceLines of(ObjectMapper mapper, String text) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = mapper.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                JsonStreamContext c = p.getParsingContext();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    c = c.getParent();
                }
                int line = p.currentTokenLocation().getLineNr();
                if (c.inRoot()) {
                    lines.putIfAbsent("$", line);
                } else if (t == JsonToken.FIELD_NAME || c.inArray() && t != JsonToken.END_ARRAY
                        && t != JsonToken.END_OBJECT) {
                    lines.putIfAbsent(path(c), line);
                }
            }
        } catch (JsonProcessingException e) {
            // A syntax error: the lines before it are known; the read problem itself says where it is.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SourceLines(lines);
    }

    private static String path(JsonStreamContext c) {
        if (c.inRoot()) {
            return "$";
        }
        String parent = path(c.getParent());
        return c.inArray() ? parent + "[" + c.getCurrentIndex() + "]" : parent + "." + c.getCurrentName();
    }

    /**
     * The line (from 1) of {@code path}, or of its nearest enclosing path in the text (a missing field is shown at
     * the object that lacks it); 0 when not even the document's start was read.
     */
    public int lineOf(String path) {
        for (String p = path; ; ) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return lines.getOrDefault("$", 0);
            }
            p = p.substring(0, cut);
        }
    }
}
