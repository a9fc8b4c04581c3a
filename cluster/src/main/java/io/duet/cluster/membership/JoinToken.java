package io.duet.cluster.membership;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

import static io.duet.cluster.message.ClusterMessage.TOKEN_MALFORMED;

/**
 * A one-time join token as printed by {@code duet cluster init} and {@code duet cluster token}: where to join (the
 * issuing proxy's join endpoint), which cluster to trust there (the SHA-256 pin of the cluster CA) and the secret
 * that proves the holder may join (only its hash is stored). Printed as {@code duet-join-v1.} and the base64url of
 * the three lines. Immutable; any thread.
 *
 * @param endpoint host:port of the join endpoint ({@code [v6]:port} for IPv6)
 * @param pin      {@code sha256:} and 64 hex digits
 * @param secret   43 base64url characters (32 random bytes)
 */
public record JoinToken(String endpoint, String pin, String secret) {
    static final String PREFIX = "duet-join-v1.";
    private static final Pattern PIN = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new token for an endpoint and CA pin with a fresh random secret. */
    static JoinToken create(String endpoint, String pin) {
        byte[] s = new byte[32];
        RANDOM.nextBytes(s);
        return new JoinToken(endpoint, pin, Base64.getUrlEncoder().withoutPadding().encodeToString(s));
    }

    /** The printed form. */
    public String encode() {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                (endpoint + "\n" + pin + "\n" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** A short id of the token for logs (the first 8 hex digits of its secret's hash); not secret. */
    public String id() {
        return JoinTokens.hash(secret).substring(0, 8);
    }

    /**
     * Parses a printed token.
     *
     * @throws IllegalArgumentException {@code DUET-JOIN-0001}, saying what is wrong (never echoing the secret)
     */
    public static JoinToken parse(String text) {
        String t = text == null ? "" : text.trim();
        if (!t.startsWith(PREFIX)) {
            throw new IllegalArgumentException(TOKEN_MALFORMED + " a join token starts with '" + PREFIX
                    + "'; copy the whole token that `duet cluster init` or `duet cluster token` printed");
        }
        String[] lines;
        try {
            lines = new String(Base64.getUrlDecoder().decode(t.substring(PREFIX.length())), StandardCharsets.UTF_8)
                    .split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TOKEN_MALFORMED
                    + " the join token is damaged (not base64url): copy it again, whole");
        }
        if (lines.length != 3 || !lines[0].matches("\\S+:[0-9]{1,5}") || !PIN.matcher(lines[1]).matches()
                || !SECRET.matcher(lines[2]).matches()) {
            throw new IllegalArgumentException(TOKEN_MALFORMED
                    + " the join token is damaged (endpoint, CA pin and secret expected): copy it again, whole");
        }
        return new JoinToken(lines[0], lines[1], lines[2]);
    }

    /** The host of the endpoint, without IPv6 brackets. */
    String host() {
        String h = endpoint.substring(0, endpoint.lastIndexOf(':'));
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    int port() {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    @Override
    public String toString() {
        return "JoinToken[" + endpoint + " " + pin + " id " + id() + "]";
    }

    /** host:port with brackets around an IPv6 literal. */
    public static String endpoint(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
