package cloud.pinata.revokebot.revocation;

/**
 * What the bot may claim, from what Pinata showed. The one place that turns a revoke call's answer and the key's
 * listed state into a claim; the click, the checks after a failure, crash recovery and {@code status} all use it.
 * <ul>
 * <li>A 200 proves nothing by itself (Pinata answers 200 to any string).</li>
 * <li>"revoked": the call answered 200 and the key was listed active before.</li>
 * <li>"revoked and verified": additionally, afterwards the V3 list shows it revoked or the active list no longer
 *     shows it.</li>
 * <li>After an unclear failure or a crash: the same lists decide between revoked, not revoked and unknown.</li>
 * </ul>
 */
public final class Evidence {
    private Evidence() {}

    /** Whether a key needs its state read before the outcome of {@code call} can be told. */
    public static boolean needsStateAfter(RevokeOutcome call) {
        return call instanceof RevokeOutcome.Revoked || call instanceof RevokeOutcome.Unavailable;
    }

    /**
     * The claim after the revoke call. {@code listedActiveBefore}: a listing showed the key active before the card;
     * {@code after}: the key's state read after the call (null when not read).
     */
    public static RevokeOutcome afterCall(boolean listedActiveBefore, RevokeOutcome call, KeyState after) {
        if (call instanceof RevokeOutcome.Revoked revoked) {
            if (!listedActiveBefore) {
                // The key was never seen active: the 200 is what Pinata answers to any string.
                return after instanceof KeyState.ListedRevoked
                        ? new RevokeOutcome.Revoked(revoked.status(), RevokeOutcome.Verification.VERIFIED)
                        : new RevokeOutcome.Revoked(revoked.status(), RevokeOutcome.Verification.NOT_CHECKED);
            }
            var verification = after instanceof KeyState.ListedRevoked || after instanceof KeyState.NotActive
                    ? RevokeOutcome.Verification.VERIFIED
                    : after instanceof KeyState.StillActive
                            ? RevokeOutcome.Verification.STILL_LISTED_ACTIVE
                            : RevokeOutcome.Verification.UNVERIFIED;
            return new RevokeOutcome.Revoked(revoked.status(), verification);
        }
        if (call instanceof RevokeOutcome.Unavailable u) {
            return unclear(listedActiveBefore, u.status(), u.detail(), after);
        }
        return call;
    }

    /** A request a dead process left mid-call: nobody knows whether its PUT was sent. Never revokes again. */
    public static RevokeOutcome afterCrash(boolean listedActiveBefore, KeyState after) {
        return unclear(listedActiveBefore, 0, "the bot stopped during the call", after);
    }

    private static RevokeOutcome unclear(boolean listedActiveBefore, int status, String detail, KeyState after) {
        if (after instanceof KeyState.ListedRevoked || (after instanceof KeyState.NotActive && listedActiveBefore)) {
            return new RevokeOutcome.Revoked(status, RevokeOutcome.Verification.VERIFIED);
        }
        if (after instanceof KeyState.StillActive) {
            return new RevokeOutcome.Unavailable(status, detail + "; " + RevokeOutcome.Unavailable.STILL_ACTIVE);
        }
        var why = after instanceof KeyState.Unknown unknown
                ? ": " + unknown.reason()
                : after instanceof KeyState.NotActive
                        ? ": it is not listed active, but no listing ever showed it active"
                        : "";
        return new RevokeOutcome.Unavailable(status, detail + "; " + UNKNOWN_STATE + why);
    }

    /** Part of an unavailable outcome's detail when Pinata's lists could not say whether the key is revoked. */
    public static final String UNKNOWN_STATE = "the key's state could not be confirmed";
}
