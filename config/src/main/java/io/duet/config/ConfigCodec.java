package io.duet.config;

/**
 * Reads and writes configuration documents as JSON or YAML (Jackson). Reading reports syntax errors, unknown
 * fields and wrong types as violations with their JSON paths; it does not run the validator.
 */
public final class ConfigCodec {
    public enum Format {
        JSON, YAML;

        /** YAML for names ending in .yaml or .yml, JSON otherwise. */
        public static Format ofFileName(String fileName) {
            String n = fileName.toLowerCase(java.util.Locale.ROOT);
            return n.endsWith(".yaml") || n.endsWith(".yml") ? YAML : JSON;
        }
    }

    private ConfigCodec() {
    }

    public static DuetConfig decode(String text, Format format) throws InvalidConfigException {
        throw new UnsupportedOperationException("TODO");
    }

    /** Decodes, then validates: the result has no errors. */
    public static DuetConfig decodeValid(String text, Format format) throws InvalidConfigException {
        return ConfigValidator.requireValid(decode(text, format));
    }

    public static String encode(DuetConfig config, Format format) {
        throw new UnsupportedOperationException("TODO");
    }
}
