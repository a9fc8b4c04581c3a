package io.duet.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@link ConfigCodec} turns what Jackson reports while reading into violations with JSON paths, line and column:
 * the first pass that finds every unknown field, the handler that collects the wrong values Jackson can step over,
 * and the violation for the problem that ends a read.
 *
 * <p>Stateless apart from {@link Collector}, which is one per read (not thread-safe).
 */
final class ReadProblems {
    private static final Pattern OUT_OF_RANGE = Pattern.compile("Numeric value \\(([^)]*)\\) out of range");

    private ReadProblems() {
    }

    /** The violation for a problem Jackson could not step over. */
    static Violation fromException(JsonProcessingException e) {
        String where = at(e.getLocation());
        if (e instanceof UnrecognizedPropertyException u) {
            return ConfigMessage.UNKNOWN_FIELD.error(path(u), unknownField(u.getPropertyName(),
                    u.getKnownPropertyIds()) + where);
        }
        if (e instanceof MismatchedInputException && e.getOriginalMessage() != null) {
            String original = e.getOriginalMessage();
            if (original.startsWith("No content to map")) {
                return ConfigMessage.SYNTAX.error("$", "the document is empty (expected: an object)");
            }
            if (original.startsWith("Trailing token")) {
                return ConfigMessage.SYNTAX.error("$", "more content after the end of the document" + where);
            }
        }
        InputCoercionException ice = e instanceof InputCoercionException direct ? direct
                : e.getCause() instanceof InputCoercionException wrapped ? wrapped : null;
        if (ice != null) {
            String p = e instanceof JsonMappingException m ? path(m) : contextPath(ice.getProcessor() == null ? null
                    : ice.getProcessor().getParsingContext(), null);
            Matcher number = OUT_OF_RANGE.matcher(String.valueOf(ice.getOriginalMessage()));
            String value = number.find() ? number.group(1) : "number";
            long max = ice.getTargetType() == Integer.TYPE ? Integer.MAX_VALUE : Long.MAX_VALUE;
            String start = ice.getProcessor() != null ? at(ice.getProcessor().currentTokenLocation()) : where;
            return ConfigMessage.WRONG_TYPE.error(p, lastName(p) + ": " + value
                    + " (expected: an integer of at most " + max + ")" + start);
        }
        if (e instanceof JsonMappingException m && !(e.getCause() instanceof com.fasterxml.jackson.core.JsonParseException)
                && (e instanceof MismatchedInputException || e instanceof InvalidFormatException
                || !m.getPath().isEmpty())) {
            String p = path(m);
            if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
                String found = e instanceof InvalidFormatException f ? " " + quote(f.getValue()) : "";
                return ConfigMessage.WRONG_TYPE.error(p, lastName(p) + ":" + found
                        + " (expected: " + describe(mi.getTargetType()) + ")" + where);
            }
            return ConfigMessage.WRONG_TYPE.error(p, lastName(p) + ": " + e.getOriginalMessage() + where);
        }
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        message = message.replaceAll("\\s+", " ").trim();
        if (message.startsWith("Duplicate field")) {
            String p = contextPath(e.getProcessor() instanceof JsonParser jp ? jp.getParsingContext() : null, null);
            return ConfigMessage.DUPLICATE_FIELD.error(p, "duplicate field '" + lastName(p)
                    + "' (expected: each field once)" + where);
        }
        return ConfigMessage.SYNTAX.error(contextPath(e.getProcessor() instanceof JsonParser p
                ? p.getParsingContext() : null, null), message + where);
    }

    /** Components of each record type, by name. */
    private static final ClassValue<Map<String, Type>> COMPONENTS = new ClassValue<>() {
        @Override
        protected Map<String, Type> computeValue(Class<?> type) {
            Map<String, Type> m = new LinkedHashMap<>();
            for (RecordComponent c : type.getRecordComponents()) {
                m.put(c.getName(), c.getGenericType());
            }
            return m;
        }
    };

    /**
     * Walks the value the parser is on and reports every field no record declares. {@code expected} is the
     * Java type the value binds to; values of another shape are skipped (the binding pass reports them).
     */
    static void unknownFields(JsonParser p, Type expected, String path, List<Violation> out)
            throws IOException {
        JsonToken t = p.currentToken();
        Class<?> raw = expected instanceof ParameterizedType pt ? (Class<?>) pt.getRawType()
                : expected instanceof Class<?> c ? c : Object.class;
        if (t == JsonToken.START_OBJECT && raw.isRecord()) {
            Map<String, Type> components = COMPONENTS.get(raw);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonLocation location = p.currentTokenLocation();
                p.nextToken();
                Type component = components.get(name);
                if (component == null) {
                    out.add(ConfigMessage.UNKNOWN_FIELD.error(path + "." + name,
                            unknownField(name, new ArrayList<>(components.keySet())) + at(location)));
                    p.skipChildren();
                } else {
                    unknownFields(p, component, path + "." + name, out);
                }
            }
        } else if (t == JsonToken.START_ARRAY && List.class.isAssignableFrom(raw)
                && expected instanceof ParameterizedType pt) {
            Type element = pt.getActualTypeArguments()[0];
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                unknownFields(p, element, path + "[" + i++ + "]", out);
            }
        } else {
            p.skipChildren();
        }
    }

    private static String unknownField(String name, Collection<?> known) {
        TreeSet<String> names = new TreeSet<>();
        if (known != null) {
            known.forEach(k -> names.add(String.valueOf(k)));
        }
        return "unknown field '" + name + "'" + (names.isEmpty() ? "" : " (known: " + String.join(", ", names) + ")");
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder("$");
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    /**
     * The JSON path of the value the parser is on. {@code ctx} is the parser's context; when the parser is on the
     * start of an object or array, that context is the new container, so its parent names the value.
     */
    private static String contextPath(JsonStreamContext ctx, JsonToken token) {
        JsonStreamContext c = ctx;
        if (c != null && (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)) {
            c = c.getParent();
        }
        Deque<String> parts = new ArrayDeque<>();
        for (; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + c.getCurrentIndex() + "]");
            } else if (c.inObject() && c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        return "$" + String.join("", parts);
    }

    private static String lastName(String path) {
        int dot = path.lastIndexOf('.');
        int bracket = path.lastIndexOf('[');
        if (path.equals("$")) {
            return "document";
        }
        if (bracket > dot) {
            int prevDot = path.lastIndexOf('.', bracket);
            return path.substring(prevDot + 1);
        }
        return path.substring(dot + 1);
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isRecord()) {
            return "an object (" + type.getSimpleName() + ")";
        }
        return type.getSimpleName();
    }

    private static String quote(Object value) {
        if (value instanceof String s) {
            String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
            return "\"" + shown + "\"";
        }
        return String.valueOf(value);
    }

    private static String describeToken(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a fraction";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Collects the problems Jackson lets a handler step over, so that one read reports several. Each returned
     * replacement value is {@code null}; the document is rejected anyway.
     */
    static final class Collector extends DeserializationProblemHandler {
        final List<Violation> violations = new ArrayList<>();

        void add(Violation v) {
            violations.add(v);
        }

        /** Skips the field: the first pass ({@link #unknownFields}) has reported it with its location. */
        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
                JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String value,
                String failureMsg) {
            JsonParser p = ctxt.getParser();
            String path = contextPath(p.getParsingContext(), p.currentToken());
            add(ConfigMessage.WRONG_TYPE.error(path, lastName(path) + ": " + quote(value)
                    + " (expected: " + describe(targetType) + ")" + at(p.currentTokenLocation())));
            return null;
        }

        @Override
        public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number value,
                String failureMsg) {
            JsonParser p = ctxt.getParser();
            String path = contextPath(p.getParsingContext(), p.currentToken());
            add(ConfigMessage.WRONG_TYPE.error(path, lastName(path) + ": " + value
                    + " (expected: " + describe(targetType) + ")" + at(p.currentTokenLocation())));
            return null;
        }

        @Override
        public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t,
                JsonParser p, String failureMsg) throws IOException {
            String path = contextPath(p.getParsingContext(), t);
            add(ConfigMessage.WRONG_TYPE.error(path, lastName(path) + ": " + describeToken(t)
                    + " (expected: " + describe(targetType.getRawClass()) + ")" + at(p.currentTokenLocation())));
            p.skipChildren();
            return null;
        }

        @Override
        public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
                ValueInstantiator valueInsta, JsonParser p, String msg) throws IOException {
            JsonToken t = p.currentToken();
            String path = contextPath(p.getParsingContext(), t);
            add(ConfigMessage.WRONG_TYPE.error(path, lastName(path) + ": " + describeToken(t)
                    + " (expected: " + describe(instClass) + ")" + at(p.currentTokenLocation())));
            p.skipChildren();
            return null;
        }
    }
}
