package io.duet.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes configuration documents as JSON or YAML (Jackson). Reading reports syntax errors, unknown
 * fields and wrong types as violations with their JSON paths; it does not run the validator.
 *
 * <p>Unknown fields and most wrong values are collected while reading goes on, so one read reports as many of them
 * as it can; a syntax error, or a value Jackson cannot step over, ends the read with that last problem added.
 * Numbers written as strings ({@code "8080"}) are accepted; fractions where an integer goes are not.
 *
 * <p>How each problem becomes a violation (paths, line and column, what was expected) is {@link ReadProblems}.
 *
 * <p>Thread-safe and stateless: any thread may call it.
 */
public final class ConfigCodec {
    public enum Format {
        JSON, YAML;

        /** YAML for names ending in .yaml or .yml, JSON otherwise. */
        public static Format ofFileName(String fileName) {
            String n = fileName.toLowerCase(Locale.ROOT);
            return n.endsWith(".yaml") || n.endsWith(".yml") ? YAML : JSON;
        }
    }

    private static final ObjectMapper JSON_MAPPER = configure(JsonMapper.builder()).build();
    private static final ObjectMapper YAML_MAPPER = configure(YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .build()))
            .build();
    private static final ObjectWriter JSON_WRITER = JSON_MAPPER.writer(jsonPrinter());
    private static final ObjectWriter YAML_WRITER = YAML_MAPPER.writer();

    private ConfigCodec() {
    }

    /**
     * Reads a document. Every problem found becomes a violation: {@code DUET-CONFIG-0001} syntax,
     * {@code DUET-CONFIG-0002} unknown field, {@code DUET-CONFIG-0003} wrong type,
     * {@code DUET-CONFIG-0004} duplicate field.
     */
    public static DuetConfig decode(String text, Format format) throws InvalidConfigException {
        ObjectMapper mapper = format == Format.YAML ? YAML_MAPPER : JSON_MAPPER;
        ReadProblems.Collector problems = new ReadProblems.Collector();
        ObjectReader reader = mapper.readerFor(DuetConfig.class).withHandler(problems);
        DuetConfig config = null;
        try (JsonParser p = mapper.createParser(text)) {
            // Jackson buffers unknown fields of records and reports them without their location; this first pass
            // finds every one of them with line and column. Syntax errors end it; the binding pass reports those.
            if (p.nextToken() != null) {
                ReadProblems.unknownFields(p, DuetConfig.class, "$", problems.violations);
            }
        } catch (JsonProcessingException e) {
            // Reported by the binding pass below.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            config = reader.readValue(text);
        } catch (JsonProcessingException e) {
            problems.add(ReadProblems.fromException(e));
        } catch (IOException e) {
            // Reading a String does no I/O; Jackson declares it anyway.
            throw new UncheckedIOException(e);
        }
        if (problems.violations.isEmpty() && config == null) {
            problems.add(ConfigMessage.SYNTAX.error("$", "the document is empty (expected: an object)"));
        }
        if (!problems.violations.isEmpty()) {
            throw new InvalidConfigException(problems.violations);
        }
        return config;
    }

    /** Decodes, then validates: the result has no errors. */
    public static DuetConfig decodeValid(String text, Format format) throws InvalidConfigException {
        return ConfigValidator.requireValid(decode(text, format));
    }

    /**
     * Writes a document: pretty printed, fields in record component order, null values and empty lists left out
     * (reading fills the same defaults back, so {@code decode(encode(x))} equals {@code x}).
     */
    public static String encode(DuetConfig config, Format format) {
        try {
            return (format == Format.YAML ? YAML_WRITER : JSON_WRITER).writeValueAsString(config);
        } catch (JsonProcessingException e) {
            // Records of strings, numbers, booleans and lists always serialise.
            throw new IllegalStateException("cannot encode configuration document", e);
        }
    }

    /**
     * Writes a tree of the document (as a redacted view gives it) in the same style as {@link #encode}, so an
     * editor shows the text a file would hold.
     */
    public static String encodeTree(com.fasterxml.jackson.databind.JsonNode tree, Format format) {
        try {
            return (format == Format.YAML ? YAML_WRITER : JSON_WRITER).writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            // A tree of plain values always serialises.
            throw new IllegalStateException("cannot encode configuration document", e);
        }
    }

    /** Where each JSON path of {@code text} starts, by line ({@link SourceLines}); syntax errors end the map early. */
    public static SourceLines lines(String text, Format format) {
        return SourceLines.of(format == Format.YAML ? YAML_MAPPER : JSON_MAPPER, text);
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
        builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .withConfigOverride(List.class, o -> o.setInclude(
                        JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.NON_NULL)))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Collection, c -> c
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.POJO, c -> c
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
        return builder;
    }

    private static DefaultPrettyPrinter jsonPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }
}
