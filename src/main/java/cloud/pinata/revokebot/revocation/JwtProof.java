package cloud.pinata.revokebot.revocation;

/**
 * What {@code GET /data/testAuthentication}, called once with a leaked JWT after its key was revoked, showed.
 * Pinata's docs say 401/403 for an invalid or revoked credential without saying which: both count as refused.
 * Stored as {@link #code()} ({@code refused:401}); the detail of {@code NOT_CHECKED} is a short, fixed phrase.
 */
public record JwtProof(Kind kind, int status, String detail) {
    public enum Kind {
        /**
         * Pinata refused the leaked JWT (401 or 403): it no longer works. It may never have (a forged or mistyped JWT
         * gets the same answer), so this is said beside the key's revocation, never instead of it.
         */
        REFUSED,
        /** Pinata still accepted it (2xx): the leak is not closed. */
        STILL_ACCEPTED,
        /** No answer that says either (rate limited, 5xx, network, an unexpected status). */
        NOT_CHECKED
    }

    public JwtProof {
        detail = detail == null ? "" : detail.replace('|', '/');
    }

    public static JwtProof refused(int status) {
        return new JwtProof(Kind.REFUSED, status, "");
    }

    public static JwtProof stillAccepted(int status) {
        return new JwtProof(Kind.STILL_ACCEPTED, status, "");
    }

    public static JwtProof notChecked(int status, String detail) {
        return new JwtProof(Kind.NOT_CHECKED, status, detail);
    }

    /** {@code kind|status|detail}, as stored. */
    public String code() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "|" + status + "|" + detail;
    }

    /** The proof a stored code names; null for null. */
    public static JwtProof of(String code) {
        if (code == null) {
            return null;
        }
        var parts = code.split("\\|", 3);
        return new JwtProof(
                Kind.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT)),
                Integer.parseInt(parts[1]),
                parts.length > 2 ? parts[2] : "");
    }
}
