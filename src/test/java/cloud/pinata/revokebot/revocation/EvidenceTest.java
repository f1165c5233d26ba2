package cloud.pinata.revokebot.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RevokeOutcome.Verification;
import org.junit.jupiter.api.Test;

/** The evidence rules, one line each: what the bot may claim from the revoke call and the key's listed state. */
class EvidenceTest {
    static final RevokeOutcome OK = new RevokeOutcome.Revoked(200, Verification.UNVERIFIED);
    static final RevokeOutcome TIMEOUT = new RevokeOutcome.Unavailable(0, "no answer from Pinata", true);
    static final RevokeOutcome FORBIDDEN =
            new RevokeOutcome.Refused(RevokeOutcome.Reason.BOT_NOT_ALLOWED, 403, "NO_SCOPES_FOUND");
    static final KeyState GONE = new KeyState.NotActive();
    static final KeyState LISTED_REVOKED = new KeyState.ListedRevoked();
    static final KeyState ACTIVE = new KeyState.StillActive();
    static final KeyState UNKNOWN = new KeyState.Unknown("Pinata did not answer");

    private static Verification verification(RevokeOutcome o) {
        return assertInstanceOf(RevokeOutcome.Revoked.class, o).verification();
    }

    @Test
    void aTwoHundredForAKeyListedActiveThatThenLeftTheListIsVerified() {
        assertEquals(Verification.VERIFIED, verification(Evidence.afterCall(true, OK, GONE)));
        assertEquals(Verification.VERIFIED, verification(Evidence.afterCall(true, OK, LISTED_REVOKED)));
    }

    @Test
    void aTwoHundredForAKeyStillListedActiveIsNotVerified() {
        assertEquals(Verification.STILL_LISTED_ACTIVE, verification(Evidence.afterCall(true, OK, ACTIVE)));
    }

    @Test
    void aTwoHundredWithTheStateUnreadableIsRevokedButNotVerified() {
        assertEquals(Verification.UNVERIFIED, verification(Evidence.afterCall(true, OK, UNKNOWN)));
        assertEquals(Outcome.REVOKED, Evidence.afterCall(true, OK, UNKNOWN).ending());
    }

    @Test
    void aTwoHundredForAKeyNoListingShowedActiveProvesNothing() {
        var outcome = Evidence.afterCall(false, OK, GONE);
        assertEquals(Verification.NOT_CHECKED, verification(outcome));
        assertEquals(Outcome.ACCEPTED_UNVERIFIED, outcome.ending(), "never the outcome REVOKED");
        assertEquals(
                Verification.VERIFIED,
                verification(Evidence.afterCall(false, OK, LISTED_REVOKED)),
                "unless the V3 list shows it revoked");
    }

    @Test
    void aTimeoutIsRevokedWhenTheKeyLeftTheListAndNotRevokedWhenItIsStillThere() {
        assertEquals(Verification.VERIFIED, verification(Evidence.afterCall(true, TIMEOUT, GONE)));
        var still = assertInstanceOf(RevokeOutcome.Unavailable.class, Evidence.afterCall(true, TIMEOUT, ACTIVE));
        assertTrue(still.detail().endsWith(RevokeOutcome.Unavailable.STILL_ACTIVE), still.detail());
    }

    @Test
    void aTimeoutWithTheStateUnreadableIsSaidToBeUnknown() {
        var unknown = assertInstanceOf(RevokeOutcome.Unavailable.class, Evidence.afterCall(true, TIMEOUT, UNKNOWN));
        assertTrue(unknown.detail().contains(Evidence.UNKNOWN_STATE), unknown.detail());
        assertTrue(unknown.detail().contains("Pinata did not answer"), unknown.detail());
        assertFalse(unknown.detail().contains(RevokeOutcome.Unavailable.STILL_ACTIVE));
    }

    @Test
    void aKeyNeverSeenActiveThatIsNotActiveAfterATimeoutIsUnknownNotRevoked() {
        var outcome = assertInstanceOf(RevokeOutcome.Unavailable.class, Evidence.afterCall(false, TIMEOUT, GONE));
        assertTrue(outcome.detail().contains(Evidence.UNKNOWN_STATE), outcome.detail());
    }

    @Test
    void aRefusalIsTheRefusalWhateverTheListsSay() {
        assertEquals(FORBIDDEN, Evidence.afterCall(true, FORBIDDEN, GONE));
        assertFalse(Evidence.needsStateAfter(FORBIDDEN));
        assertTrue(Evidence.needsStateAfter(OK));
        assertTrue(Evidence.needsStateAfter(TIMEOUT));
    }

    @Test
    void crashRecoveryFollowsTheSameRulesAndSaysTheBotStopped() {
        assertEquals(Verification.VERIFIED, verification(Evidence.afterCrash(true, GONE)));
        var still = assertInstanceOf(RevokeOutcome.Unavailable.class, Evidence.afterCrash(true, ACTIVE));
        assertTrue(still.detail().startsWith("the bot stopped during the call"), still.detail());
        assertTrue(still.detail().endsWith(RevokeOutcome.Unavailable.STILL_ACTIVE));
        assertInstanceOf(RevokeOutcome.Unavailable.class, Evidence.afterCrash(false, GONE));
    }
}
