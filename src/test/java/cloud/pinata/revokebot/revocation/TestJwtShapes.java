package cloud.pinata.revokebot.revocation;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** JWTs of given claims for parser tests: HS256 header, a 43-character signature (as HS256's is). */
final class TestJwtShapes {
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    static final String SIGNATURE = "Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1zaWduYXQ";

    private TestJwtShapes() {}

    static String pinata(String claimsJson) {
        return withHeader("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claimsJson);
    }

    static String withHeader(String headerJson, String claimsJson) {
        return ENC.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + ENC.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8)) + "." + SIGNATURE;
    }

    static String withPayloadPart(String payloadPart) {
        return ENC.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "." + payloadPart + "."
                + SIGNATURE;
    }
}
