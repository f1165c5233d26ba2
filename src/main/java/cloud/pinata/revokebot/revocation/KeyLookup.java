package cloud.pinata.revokebot.revocation;

/** Result of the best-effort look-up of a key before the card is posted. */
public sealed interface KeyLookup {
    /** Pinata lists the key. */
    record Found(KeyDetails details) implements KeyLookup {}

    /** Pinata answered, and the key is not among the organisation's keys. */
    record NotListed() implements KeyLookup {}

    /** Pinata could not be asked; the reason is safe to show (no secrets). */
    record Unavailable(String reason) implements KeyLookup {}
}
