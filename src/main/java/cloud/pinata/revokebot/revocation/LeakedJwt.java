package cloud.pinata.revokebot.revocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A leaked Pinata JWT handed in instead of its key (docs/design.md §3). The payload is decoded offline (no
 * signature can be checked, none needs to be): its {@code scopedKeyKey} is the key to revoke. The value is held
 * only so that, once the key is revoked, Pinata can be asked once whether it still accepts it; it never goes into
 * {@link #toString()}, a log, the database or a message. Only its SHA-256 {@link #fingerprint()} may be stored.
 */
public final class LeakedJwt {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Three non-empty base64url parts; the header of any JWT starts with {@code eyJ} (<code>{"</code>). */
    private static final Pattern SHAPE = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private static final Pattern KEY = Pattern.compile("[0-9a-fA-F]{8,40}");
    /** An HS256 signature: 32 bytes, 43 base64url characters without padding. A shorter one was cut in the paste. */
    static final int HS256_SIGNATURE = 43;

    private final String value;
    private final String apiKey;
    private final String fingerprint;

    private LeakedJwt(String value, String apiKey) {
        this.value = value;
        this.apiKey = apiKey;
        this.fingerprint = sha256(value);
    }

    /** What decoding said: the JWT and its key, or why it cannot be used (without quoting any of it). */
    public sealed interface Decoded permits Usable, Unusable {}

    public record Usable(LeakedJwt jwt) implements Decoded {}

    /** {@code problem} completes "That looks like a leaked Pinata JWT, but …". */
    public record Unusable(String problem) implements Decoded {}

    /** Whether {@code token} is shaped like a whole JWT (three non-empty dot-separated base64url parts). */
    public static boolean looksLikeJwt(String token) {
        return SHAPE.matcher(token).matches();
    }

    /** Decodes {@code token}, which {@link #looksLikeJwt} accepted. */
    public static Decoded decode(String token) {
        var parts = token.split("\\.");
        if (parts.length != 3 || !looksLikeJwt(token)) {
            return new Unusable("it does not have the three parts of a JWT");
        }
        var header = json(parts[0]);
        if (header == null
                || !header.isObject()
                || !"HS256".equals(header.path("alg").asText(null))) {
            return new Unusable("its header does not decode to a Pinata JWT's (HS256)");
        }
        if (parts[2].length() != HS256_SIGNATURE) {
            // A signature cut short (a line break in the paste) would leave its rest in the reason: refuse it whole.
            return new Unusable("its signature is not whole (it may have been cut or split when pasted)");
        }
        var payload = json(parts[1]);
        if (payload == null || !payload.isObject()) {
            return new Unusable("its payload does not decode");
        }
        var key = payload.path("scopedKeyKey");
        if (!key.isTextual()) {
            return new Unusable("its payload names no `scopedKeyKey`, so it is not the JWT of a Pinata API key");
        }
        if (!KEY.matcher(key.asText()).matches()) {
            return new Unusable("its `scopedKeyKey` is not a Pinata key id");
        }
        return new Usable(new LeakedJwt(token, key.asText().toLowerCase(Locale.ROOT)));
    }

    private static JsonNode json(String part) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(part));
        } catch (IllegalArgumentException | java.io.IOException e) {
            // The exception text may quote the input: never passed on.
            return null;
        }
    }

    /** The public key id the JWT belongs to (its {@code scopedKeyKey}), lower case. */
    public String apiKey() {
        return apiKey;
    }

    /** Hex SHA-256 of the JWT: may be stored, tells which leak a request was about, reveals nothing. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The JWT itself, for the one call that proves it dead ({@code GET /data/testAuthentication}) and nothing else. */
    public String reveal() {
        return value;
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "LeakedJwt[key " + Keys.shorten(apiKey) + ", sha256 " + fingerprint.substring(0, 12) + "…]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeakedJwt other && other.fingerprint.equals(fingerprint);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }
}
