package cloud.pinata.revokebot.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds Pinata-shaped JWTs for tests: the payload carries scopedKeyKey and scopedKeySecret as Pinata's do. */
public final class TestJwt {
    public static final String BOT_KEY = "b07b07b07b07b07b07b0";
    public static final String BOT_SECRET = "5ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e7aaaa";

    private TestJwt() {}

    public static String forKey(String key, String secret) {
        var enc = Base64.getUrlEncoder().withoutPadding();
        var header = enc.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        var payload = enc.encodeToString(("{\"userInformation\":{\"id\":\"u1\",\"email\":\"ops@example.com\"},"
                        + "\"authenticationType\":\"scopedKey\",\"scopedKeyKey\":\"" + key + "\",\"scopedKeySecret\":\""
                        + secret + "\",\"iat\":1700000000}")
                .getBytes(StandardCharsets.UTF_8));
        // An HS256 signature's length (32 bytes, 43 characters); nobody checks it, so a digest of the rest will do.
        return header + "." + payload + "." + enc.encodeToString(sha256(header + "." + payload));
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String bot() {
        return forKey(BOT_KEY, BOT_SECRET);
    }
}
