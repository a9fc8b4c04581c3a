package io.duet.admin.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.duet.admin.api.Http;
import io.duet.config.ConfigCodec;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The document's two syntaxes on the wire: a request body is YAML when its {@code Content-Type} says so
 * ({@value #YAML}, also {@code application/x-yaml} and {@code text/yaml}), JSON otherwise; an answer holding the
 * document is YAML when {@code Accept} names YAML, JSON otherwise. Stateless; any thread.
 */
final class DocumentFormat {
    static final String YAML = "application/yaml";

    private DocumentFormat() {
    }

    /** The syntax of the request's body. */
    static ConfigCodec.Format ofBody(HttpServerExchange ex) {
        return namesYaml(ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE)) ? ConfigCodec.Format.YAML
                : ConfigCodec.Format.JSON;
    }

    /** The syntax the caller accepts for a document. */
    static ConfigCodec.Format wanted(HttpServerExchange ex) {
        return namesYaml(ex.getRequestHeaders().getFirst(Headers.ACCEPT)) ? ConfigCodec.Format.YAML
                : ConfigCodec.Format.JSON;
    }

    private static boolean namesYaml(String header) {
        if (header == null) {
            return false;
        }
        for (String part : header.toLowerCase(Locale.ROOT).split(",")) {
            String type = part.split(";", 2)[0].trim();
            if (type.equals(YAML) || type.equals("application/x-yaml") || type.equals("text/yaml")) {
                return true;
            }
        }
        return false;
    }

    /** Sends a document (a redacted tree) in the syntax the caller accepts; blocking (a worker thread). */
    static void send(HttpServerExchange ex, JsonNode document) throws IOException {
        ex.getResponseHeaders().put(Headers.VARY, "Accept");
        if (wanted(ex) == ConfigCodec.Format.JSON) {
            Http.send(ex, 200, document);
            return;
        }
        byte[] body = ConfigCodec.encodeTree(document, ConfigCodec.Format.YAML).getBytes(StandardCharsets.UTF_8);
        ex.setStatusCode(200);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, YAML + "; charset=utf-8");
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        try (OutputStream out = ex.getOutputStream()) {
            out.write(body);
        }
    }
}
