package cloud.pinata.revokebot.revocation;

/** Lifecycle of a revocation request: {@code PENDING → REVOKING → REVOKED | FAILED}, {@code PENDING → CANCELLED | EXPIRED}. */
public enum RequestState {
    PENDING, REVOKING, REVOKED, FAILED, CANCELLED, EXPIRED;

    public boolean isTerminal() {
        return this != PENDING && this != REVOKING;
    }
}
