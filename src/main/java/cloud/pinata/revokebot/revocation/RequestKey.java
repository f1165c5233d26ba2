package cloud.pinata.revokebot.revocation;

/**
 * One key of a bulk request, in the order given. {@code details} is null when Pinata did not list it
 * ({@code lookupNote} says why); {@code outcome}, {@code detail} and
 * {@code pinataStatus} are null until the key has been handled.
 */
public record RequestKey(
        int position,
        String apiKey,
        KeyDetails details,
        LookupNote lookupNote,
        boolean revokedBefore,
        Outcome outcome,
        String detail,
        Integer pinataStatus) {

    /**
     * The key ended revoked, by this request or before it. A 200 after which Pinata still lists the key as active is
     * not counted: the channel is never told a key is dead while Pinata shows it alive.
     */
    public boolean revoked() {
        return outcome == Outcome.ALREADY_REVOKED || (outcome == Outcome.REVOKED && !stillListedActive());
    }

    /** Pinata answered 200 to the revoke call, yet a fresh listing still shows the key active. */
    public boolean stillListedActive() {
        return outcome == Outcome.REVOKED && STILL_LISTED_ACTIVE.equals(detail);
    }

    /** The detail stored with a "revoked" outcome when a fresh listing still shows the key active. */
    public static final String STILL_LISTED_ACTIVE = "still_listed_active";
}
