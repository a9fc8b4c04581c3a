package io.duet.admin.api;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The component schemas of openapi.json as a JSON-schema validator sees them (OpenAPI 3.0 dialect: {@code nullable},
 * {@code $ref} into the same document), as a generated client would read them. Test support; thread-safe.
 */
public final class OpenApiSchemas {
    private static final String BASE = "https://duet.invalid/api/v1/openapi.json";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30(),
            b -> b.schemas(Map.of(BASE, new String(OpenApi.document(), StandardCharsets.UTF_8))));

    private OpenApiSchemas() {
    }

    /** The problems of {@code json} against the component schema {@code name} ({@code Document}, {@code Pool} ...). */
    public static List<String> problems(String name, String json) {
        Schema schema = REGISTRY.getSchema(SchemaLocation.of(BASE + "#/components/schemas/" + name));
        return schema.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }
}
