package cloud.pinata.revokebot.revocation;

/** Display helpers for public API key ids. */
public final class Keys {
    private Keys() {}

    /** {@code a1b2c3d4e5f6a7b8c9d0} → {@code a1b2…c9d0}; short keys are shown whole. */
    public static String shorten(String apiKey) {
        if (apiKey == null || apiKey.length() <= 10) {
            return apiKey;
        }
        return apiKey.substring(0, 4) + "…" + apiKey.substring(apiKey.length() - 4);
    }
}
