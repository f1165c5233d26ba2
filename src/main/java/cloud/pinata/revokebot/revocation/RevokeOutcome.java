package cloud.pinata.revokebot.revocation;

/** What came of one revoke call at Pinata. Decided by HTTP status, never by the body alone. */
public sealed interface RevokeOutcome {
    /** Pinata's HTTP status, or 0 when no response arrived. */
    int status();

    /** How the request (or the bulk key) ends with this outcome; its {@code code()} goes to the audit trail. */
    Outcome ending();

    /** The key is revoked: Pinata answered 2xx, or its key list shows the key revoked after an unclear answer. */
    record Revoked(int status, Verification verification) implements RevokeOutcome {
        /** Revoked, or accepted-unverified when nothing showed the key active before: a 200 alone is no proof. */
        public Outcome ending() {
            return verification == Verification.NOT_CHECKED ? Outcome.ACCEPTED_UNVERIFIED : Outcome.REVOKED;
        }

        /** The evidence supports "revoked": listed active before, and no listing shows it active afterwards. */
        public boolean supportsRevoked() {
            return verification == Verification.VERIFIED || verification == Verification.UNVERIFIED;
        }
    }

    /** What Pinata's key lists said after the revoke (see {@link Evidence}). */
    enum Verification {
        /** Listed active before; afterwards the lists could not be read or could not decide. */
        UNVERIFIED,
        /** Listed active before; afterwards the V3 list shows it revoked, or the active list no longer shows it. */
        VERIFIED,
        /** Pinata said 200 but still lists the key as active. */
        STILL_LISTED_ACTIVE,
        /** No listing showed the key active before the call, so the 200 proves nothing about it. */
        NOT_CHECKED
    }

    /** Pinata answered and refused; retrying will not help. {@code pinataReason} is Pinata's error code, if any. */
    record Refused(Reason reason, int status, String pinataReason) implements RevokeOutcome {
        public Outcome ending() {
            return switch (reason) {
                case BOT_CREDENTIAL_INVALID -> Outcome.BOT_CREDENTIAL_INVALID;
                case BOT_NOT_ALLOWED -> Outcome.BOT_NOT_ALLOWED;
                case BOT_KEY_REVOKED -> Outcome.BOT_KEY_REVOKED;
                case KEY_NOT_FOUND -> Outcome.KEY_NOT_FOUND;
                case ROUTE_NOT_FOUND -> Outcome.ROUTE_NOT_FOUND;
                case REJECTED -> Outcome.REJECTED;
                case NOT_ACTIVE -> Outcome.NOT_ACTIVE;
            };
        }
    }

    /**
     * No definite answer (5xx, 429, network): the key may or may not be revoked; {@code detail} says what is known.
     * {@code ambiguous}: an attempt may have reached Pinata (a timeout, a reset, a 5xx), so the key's state must be read.
     */
    record Unavailable(int status, String detail, boolean ambiguous) implements RevokeOutcome {
        /** Ends {@code detail} when Pinata's key list, read afterwards, still shows the key active. */
        public static final String STILL_ACTIVE = "Pinata still lists the key as active";
        /** The process lost the request's lease and stopped before another call. */
        public static final String LEASE_LOST = "another instance took the request over";

        public Unavailable(int status, String detail) {
            this(status, detail, false);
        }

        public Outcome ending() {
            return Outcome.PINATA_UNAVAILABLE;
        }
    }

    /** Why Pinata refused. */
    enum Reason {
        /** 401: the bot's JWT is invalid: revoked, mistyped, or its key deleted (Pinata JWTs do not expire). */
        BOT_CREDENTIAL_INVALID,
        /** 403 {@code NO_SCOPES_FOUND} and others: the bot's key is not an Admin key. */
        BOT_NOT_ALLOWED,
        /** 403 {@code API_KEY_REVOKED}: the bot's own key was revoked. */
        BOT_KEY_REVOKED,
        /** 404 in Pinata's JSON envelope: Pinata says it does not know something (never seen for an unknown key). */
        KEY_NOT_FOUND,
        /** 404 without Pinata's envelope: the route or {@code PINATA_API_URL} is wrong. */
        ROUTE_NOT_FOUND,
        /** Any other 4xx. */
        REJECTED,
        /** Not sent: no listing shows the key as an active key of this organisation (a bulk request's skipped key). */
        NOT_ACTIVE
    }
}
