package cloud.pinata.revokebot.revocation;

/**
 * Lifecycle of a revocation request: {@code PENDING → REVOKING → REVOKED | FAILED},
 * {@code PENDING → CANCELLED | EXPIRED | DRY_RUN_CONFIRMED}. Stored by name; every state but PENDING and REVOKING is
 * final (the database refuses to change it).
 */
public enum RequestState {
    PENDING,
    REVOKING,
    REVOKED,
    FAILED,
    CANCELLED,
    EXPIRED,
    /** A dry run an admin confirmed: every check of a real confirmation passed, nothing was sent to Pinata. */
    DRY_RUN_CONFIRMED;

    public boolean isTerminal() {
        return this != PENDING && this != REVOKING;
    }
}
