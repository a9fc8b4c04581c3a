package io.duet.admin.api;

import io.duet.admin.message.AdminMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The OpenAPI description of the API, a resource of this module ({@code openapi.json}). */
public final class OpenApi {
    private static volatile byte[] cached;

    private OpenApi() {
    }

    public static byte[] document() {
        byte[] d = cached;
        if (d == null) {
            try (InputStream in = OpenApi.class.getResourceAsStream("openapi.json")) {
                if (in == null) {
                    throw new IllegalStateException(AdminMessage.NO_OPENAPI.id() + " this build has no openapi.json");
                }
                d = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cached = d;
        }
        return d;
    }
}
