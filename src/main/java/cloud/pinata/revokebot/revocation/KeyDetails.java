package cloud.pinata.revokebot.revocation;

/** What Pinata says about a key, minus its secret. Every field may be null when Pinata omits it. */
public record KeyDetails(String name, String createdAt, String scopes, boolean revoked) {}
