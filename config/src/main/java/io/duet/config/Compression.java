package io.duet.config;

import java.util.List;

/**
 * gzip responses the backend sent uncompressed, when the client accepts gzip.
 *
 * @param enabled   off unless set
 * @param mimeTypes compressible types (default text/*, JSON, JavaScript, XML, SVG)
 * @param minBytes  responses with a smaller known length are sent as they are (default 1024)
 * @param level     gzip level 1-9 (default 6)
 */
public record Compression(Boolean enabled, List<String> mimeTypes, Integer minBytes, Integer level) {
    public static final List<String> DEFAULT_MIME_TYPES = List.of(
            "text/html", "text/plain", "text/css", "text/xml", "text/javascript",
            "application/json", "application/javascript", "application/xml", "image/svg+xml");

    public Compression {
        enabled = enabled != null && enabled;
        mimeTypes = mimeTypes == null || mimeTypes.isEmpty() ? DEFAULT_MIME_TYPES : Lists.copy(mimeTypes);
        minBytes = minBytes == null ? 1024 : minBytes;
        level = level == null ? 6 : level;
    }
}
