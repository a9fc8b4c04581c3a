package io.duet.admin.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.duet.config.ConfigCodec;
import io.duet.config.DuetConfig;
import io.duet.config.InvalidConfigException;

import java.io.IOException;
import java.util.List;

/**
 * The one redaction policy of the admin API: every secret field of the configuration document, and how the API
 * shows it ({@link Mode}): certificates' private keys,
 * passphrases and PKCS#12 files, pools' affinity signing keys, users' password hashes and API tokens' hashes. No
 * answer of the API contains one, whatever the caller's role (a role that could change a secret does not need to
 * read it, as with private keys): each reads {@value #HIDDEN}. A document sent back with {@value #HIDDEN} keeps the
 * stored value of the element of the same name. An export keeps a key only in its sealed form (useless without the
 * cluster's data key) and leaves out users and tokens.
 *
 * <p>Pure; any thread.
 */
public final class Redaction {
    public static final String HIDDEN = "(hidden)";
    private static final String SEALED = "duet-sealed:";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A secret field: in the elements of the list at {@code list}, identified by their {@code id} field, at
     * {@code inner} within the element, the field {@code field}; {@code sealable} when the node seals it at rest.
     */
    private record Field(List<String> list, String id, List<String> inner, String field, boolean sealable) {
    }

    /** The secret fields of the document. A new secret in the document is added here, and nowhere else. */
    private static final List<Field> FIELDS = List.of(
            new Field(List.of("certificates"), "name", List.of(), "privateKey", true),
            new Field(List.of("certificates"), "name", List.of(), "passphrase", false),
            new Field(List.of("certificates"), "name", List.of(), "pkcs12", false),
            new Field(List.of("pools"), "name", List.of("affinity"), "signingKey", true),
            new Field(List.of("admin", "users"), "name", List.of(), "passwordHash", false),
            new Field(List.of("admin", "apiTokens"), "id", List.of(), "sha256", false));

    private Redaction() {
    }

    /** How a document leaves the API. */
    public enum Mode {
        /** As the API shows it to every role: every secret reads {@value #HIDDEN}. */
        SHOWN,
        /**
         * For a backup ({@code GET /config/export}): keys only in their sealed form (a key still in clear, and every
         * other secret, reads {@value #HIDDEN}); no users and tokens (they are restored by an admin, not imported).
         */
        EXPORTED
    }

    /** The document as it leaves the API in {@code mode}. */
    public static ObjectNode redact(DuetConfig config, Mode mode) {
        ObjectNode doc = tree(config);
        for (Field f : FIELDS) {
            for (JsonNode e : list(doc, f)) {
                ObjectNode holder = holder(e, f);
                if (holder != null && holder.hasNonNull(f.field()) && !(mode == Mode.EXPORTED && f.sealable()
                        && holder.get(f.field()).asText().startsWith(SEALED))) {
                    holder.put(f.field(), HIDDEN);
                }
            }
        }
        if (mode == Mode.EXPORTED) {
            doc.remove("admin");
        }
        return doc;
    }

    /** {@link #redact} in {@link Mode#SHOWN}: what every answer of the API shows. */
    public static ObjectNode shown(DuetConfig config) {
        return redact(config, Mode.SHOWN);
    }

    /**
     * {@code proposed} with every secret that reads {@value #HIDDEN} replaced by the value {@code current} holds for
     * the element of the same name (a new element, or one without that secret, keeps {@value #HIDDEN}, which the
     * validator refuses where it matters). The same instance when nothing was hidden.
     *
     * @throws InvalidConfigException the document does not read once the secrets are back (not expected: it read
     *                                before)
     */
    public static DuetConfig keepHidden(DuetConfig proposed, DuetConfig current) throws InvalidConfigException {
        ObjectNode doc = tree(proposed);
        ObjectNode known = null;
        boolean changed = false;
        for (Field f : FIELDS) {
            for (JsonNode e : list(doc, f)) {
                ObjectNode holder = holder(e, f);
                if (holder == null || !HIDDEN.equals(holder.path(f.field()).asText(null))) {
                    continue;
                }
                known = known != null ? known : tree(current);
                JsonNode stored = storedValue(known, f, e.path(f.id()).asText(null));
                if (stored != null) {
                    holder.set(f.field(), stored);
                    changed = true;
                }
            }
        }
        return changed ? ConfigCodec.decode(doc.toString(), ConfigCodec.Format.JSON) : proposed;
    }

    /** The stored value of field {@code f} of the element named {@code id} in {@code known}, or null. */
    private static JsonNode storedValue(ObjectNode known, Field f, String id) {
        if (id == null) {
            return null;
        }
        for (JsonNode e : list(known, f)) {
            if (id.equals(e.path(f.id()).asText(null))) {
                ObjectNode holder = holder(e, f);
                JsonNode v = holder == null ? null : holder.get(f.field());
                return v == null || v.isNull() || HIDDEN.equals(v.asText()) ? null : v;
            }
        }
        return null;
    }

    private static ObjectNode tree(DuetConfig config) {
        try {
            return (ObjectNode) JSON.readTree(ConfigCodec.encode(config, ConfigCodec.Format.JSON));
        } catch (IOException e) {
            throw new IllegalStateException("the codec's own JSON does not read", e);
        }
    }

    /** The elements of the field's list in {@code doc} (empty when there is none). */
    private static JsonNode list(JsonNode doc, Field f) {
        JsonNode n = doc;
        for (String part : f.list()) {
            n = n.path(part);
        }
        return n.isArray() ? n : JSON.createArrayNode();
    }

    /** The object within element {@code e} that holds the field, or null. */
    private static ObjectNode holder(JsonNode e, Field f) {
        JsonNode n = e;
        for (String part : f.inner()) {
            n = n.path(part);
        }
        return n instanceof ObjectNode o ? o : null;
    }
}
