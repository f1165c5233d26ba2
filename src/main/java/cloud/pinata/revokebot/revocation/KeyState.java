package cloud.pinata.revokebot.revocation;

/**
 * What Pinata's listings show about a key now: the evidence read after a revoke call, after an unclear failure and
 * in crash recovery. Only {@link ListedRevoked} and {@link NotActive} can support "revoked".
 */
public sealed interface KeyState {
    /** Pinata's V3 list of revoked keys shows it. */
    record ListedRevoked() implements KeyState {}

    /** A fresh listing of the part of the active list where the key would be no longer shows it. */
    record NotActive() implements KeyState {}

    /** A fresh listing still shows it active. */
    record StillActive() implements KeyState {}

    /** Pinata could not be asked, or its answer cannot decide; {@code reason} is safe to show. */
    record Unknown(String reason) implements KeyState {}
}
