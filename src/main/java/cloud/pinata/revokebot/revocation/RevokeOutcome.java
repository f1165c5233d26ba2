package cloud.pinata.revokebot.revocation;

/** What came of one revoke call at Pinata. Decided by HTTP status, never by the body alone. */
public sealed interface RevokeOutcome {
    /** Pinata's HTTP status, or 0 when no response arrived. */
    int status();

    /** A stable code for the audit trail and the final card. */
    String code();

    /** The key is revoked: Pinata answered 2xx, or its key list shows the key revoked after an unclear answer. */
    record Revoked(int status, Verification verification) implements RevokeOutcome {
        public String code() {
            return "revoked";
        }
    }

    /** What Pinata's key list said after the revoke. */
    enum Verification {
        /** Not checked yet, or the list could not be read. */
        UNVERIFIED,
        /** The list shows the key revoked, or no longer lists it. */
        VERIFIED,
        /** Pinata said 200 but still lists the key as active. */
        STILL_LISTED_ACTIVE
    }

    /** Pinata answered and refused; retrying will not help. {@code pinataReason} is Pinata's error code, if any. */
    record Refused(Reason reason, int status, String pinataReason) implements RevokeOutcome {
        public String code() {
            return reason.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** No definite answer (5xx, 429, network): the key may or may not be revoked; {@code detail} says what is known. */
    record Unavailable(int status, String detail) implements RevokeOutcome {
        /** Ends {@code detail} when Pinata's key list, read afterwards, still shows the key active. */
        public static final String STILL_ACTIVE = "Pinata still lists the key as active";

        public String code() {
            return "pinata_unavailable";
        }
    }

    /** Why Pinata refused. */
    enum Reason {
        /** 401: the bot's JWT is invalid or expired. */
        BOT_CREDENTIAL_INVALID,
        /** 403: the bot's key is not an Admin key, or was itself revoked. */
        BOT_NOT_ALLOWED,
        /** 404: Pinata does not know the key. */
        KEY_NOT_FOUND,
        /** Any other 4xx. */
        REJECTED
    }
}
