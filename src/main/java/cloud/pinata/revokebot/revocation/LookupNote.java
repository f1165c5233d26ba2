package cloud.pinata.revokebot.revocation;

/** Why a bulk key has no details from Pinata's listing; stored by {@link #code()} (the codes stored since V4). */
public enum LookupNote {
    /** A complete, fresh listing did not show the key active: it is skipped, never sent. */
    NOT_ACTIVE("not_listed"),
    /** Pinata's listing could not be read before the card: the key's result will not be verified. */
    UNAVAILABLE("unavailable");

    private final String code;

    LookupNote(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The note a stored code names; null for null. */
    public static LookupNote of(String code) {
        if (code == null) {
            return null;
        }
        for (var n : values()) {
            if (n.code.equals(code)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown lookup note " + code);
    }
}
