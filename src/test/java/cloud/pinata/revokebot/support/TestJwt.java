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
        return header + "." + payload + ".c2lnbmF0dXJlLW5vdC1jaGVja2Vk";
    }

    public static String bot() {
        return forKey(BOT_KEY, BOT_SECRET);
    }
}
