package cloud.pinata.revokebot.revocation;

import java.util.Locale;

/**
 * How a request, or one key of a bulk request, ended: stored by {@link #code()} (the lower-case name, the codes
 * the database has always held), shown by the Slack package through switches the compiler checks.
 */
public enum Outcome {
    /** Pinata answered 2xx and the key was listed active before (the detail says whether it was verified). */
    REVOKED,
    /** Pinata answered 2xx, but no listing showed the key active before: a 200 alone proves nothing. */
    ACCEPTED_UNVERIFIED,
    /** Pinata listed the key as revoked before the card (a bulk key): skipped. */
    ALREADY_REVOKED,
    BOT_CREDENTIAL_INVALID,
    BOT_NOT_ALLOWED,
    BOT_KEY_REVOKED,
    KEY_NOT_FOUND,
    ROUTE_NOT_FOUND,
    REJECTED,
    /** Not sent: no listing shows the key as an active key of this organisation (a bulk key). */
    NOT_ACTIVE,
    /** No definite answer: the detail says what is known (still listed active, or unknown). */
    PINATA_UNAVAILABLE,
    /** A bulk request in which some keys, not all, ended revoked. */
    PARTIAL,
    /** A bulk request in which no key ended revoked. */
    FAILED,
    CANCELLED,
    EXPIRED,
    DRY_RUN_CONFIRMED,
    /** Slack refused the card; nothing could be clicked, so the request ended at once. */
    CARD_NOT_POSTED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome a stored code names; null for null. */
    public static Outcome of(String code) {
        return code == null ? null : valueOf(code.toUpperCase(Locale.ROOT));
    }

    /** The outcome that ends a request moved out of PENDING into {@code state} (never REVOKING). */
    public static Outcome ending(RequestState state) {
        return switch (state) {
            case CANCELLED -> CANCELLED;
            case EXPIRED -> EXPIRED;
            case DRY_RUN_CONFIRMED -> DRY_RUN_CONFIRMED;
            case REVOKED -> REVOKED;
            case FAILED -> FAILED;
            case PENDING, REVOKING -> throw new IllegalArgumentException(state + " is not an end");
        };
    }
}
