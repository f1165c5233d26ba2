package cloud.pinata.revokebot.revocation;

import static cloud.pinata.revokebot.revocation.DomainParts.ADMIN;
import static cloud.pinata.revokebot.revocation.DomainParts.ADMIN2;
import static cloud.pinata.revokebot.revocation.DomainParts.BOT_KEY;
import static cloud.pinata.revokebot.revocation.DomainParts.CHANNEL;
import static cloud.pinata.revokebot.revocation.DomainParts.OUTSIDER;
import static cloud.pinata.revokebot.revocation.DomainParts.admin;
import static cloud.pinata.revokebot.revocation.DomainParts.in;
import static cloud.pinata.revokebot.revocation.DomainParts.revoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The domain tier: every state transition of a request, and every refusal on the way, against in-memory parts
 * (no HTTP, no database). A broken rule fails here as a one-line assertion; the whole-app tests prove the wiring.
 */
class DomainFlowTest {
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    static final String KEY2 = "b1b2c3d4e5f6a7b8c9d0";
    static final String KEY3 = "c1b2c3d4e5f6a7b8c9d0";

    final DomainParts d = new DomainParts();

    @AfterEach
    void close() {
        d.close();
    }

    private String card(String... keys) {
        for (var k : keys) {
            d.pinata.activeKey(k);
        }
        d.service().startRevocation(admin(), revoke(keys));
        assertEquals(1, d.slack.cards.size(), "one card");
        var id = d.slack.cards.get(0).id();
        assertEquals(RequestState.PENDING, d.request(id).state());
        return id;
    }

    // --- command intake -------------------------------------------------------------------------------------

    @Test
    void aCommandFromAnAdminPostsACardAndStoresItsTs() {
        var id = card(KEY);
        assertEquals("1700000000.000001", d.request(id).cardTs());
        assertEquals(List.of("card_posted"), d.outcomes());
        assertEquals(List.of(false), d.admins.freshChecks, "the command may use the cached membership");
    }

    @Test
    void aNonAdminIsRefusedAndNothingIsStored() {
        d.pinata.activeKey(KEY);
        d.service().startRevocation(in(OUTSIDER, CHANNEL), revoke(KEY));
        assertEquals(List.of(new Notice.NotAdmin()), d.slack.notices());
        assertTrue(d.slack.cards.isEmpty());
        assertEquals(List.of("not_admin"), d.outcomes());
    }

    @Test
    void anAdminCheckThatFailsRefusesWithSlacksCode() {
        d.admins.failure = "missing_scope";
        d.pinata.activeKey(KEY);
        d.service().startRevocation(admin(), revoke(KEY));
        assertEquals(List.of(new Notice.AdminCheckFailed("missing_scope")), d.slack.notices());
        assertEquals(List.of("admin_check_failed:missing_scope"), d.outcomes());
        assertTrue(d.slack.cards.isEmpty());
    }

    @Test
    void theChannelIsCheckedAfterTheAdminCheckSoOnlyAdminsLearnTheAllowedChannels() {
        d.allowedChannels = List.of("C0OTHER");
        var service = d.service();
        service.startRevocation(in(OUTSIDER, CHANNEL), revoke(KEY));
        service.startRevocation(admin(), revoke(KEY));
        assertEquals(
                List.of(new Notice.NotAdmin(), new Notice.ChannelNotAllowed(List.of("C0OTHER"))), d.slack.notices());
        assertEquals(List.of("not_admin", "channel_not_allowed"), d.outcomes());
    }

    @Test
    void theBotsOwnKeyIsRefused() {
        d.service().startRevocation(admin(), revoke(BOT_KEY.toUpperCase()));
        assertEquals(List.of(new Notice.SelfKey()), d.slack.notices());
        assertEquals(List.of("self_key_refused"), d.outcomes());
    }

    @Test
    void aKeyNoListingShowsActiveIsRefusedBeforeTheCard() {
        d.service().startRevocation(admin(), revoke(KEY));
        assertEquals(List.of(new Notice.NotActiveKeys(List.of(KEY), List.of())), d.slack.notices());
        assertTrue(d.slack.cards.isEmpty());
        assertTrue(d.pinata.revokeCalls.isEmpty());
    }

    @Test
    void aKeyTheRevokedListShowsIsAlreadyRevoked() {
        d.pinata.lookups.put(KEY, new KeyLookup.Found(new KeyDetails("old", null, null, true)));
        d.service().startRevocation(admin(), revoke(KEY));
        assertEquals(List.of(new Notice.AlreadyRevoked(List.of(KEY))), d.slack.notices());
        assertEquals(List.of("already_revoked"), d.outcomes());
    }

    @Test
    void aCardSlackRefusesEndsTheRequestAtOnce() {
        d.slack.cardError = "not_in_channel";
        d.pinata.activeKey(KEY);
        d.service().startRevocation(admin(), revoke(KEY));
        var id = d.slack.cards.get(0).id();
        assertEquals(RequestState.CANCELLED, d.request(id).state());
        assertEquals(Outcome.CARD_NOT_POSTED, d.request(id).outcome());
        assertEquals(List.of(new Notice.CardNotPosted("not_in_channel", false)), d.slack.notices());
    }

    @Test
    void historyShowsOnlyTheChannelItIsAskedIn() {
        var service = d.service();
        service.recordAnsweredCommand(in(ADMIN, "C0ELSEWHERE"), new Command.Help());
        service.recordAnsweredCommand(admin(), new Command.Invalid("x"));
        service.answerQuery(admin(), new Command.History(10));
        var shown = d.slack.histories.get(0);
        assertEquals(1, shown.size());
        assertEquals("invalid_input", shown.get(0).outcome());
    }

    // --- decisions ------------------------------------------------------------------------------------------

    @Test
    void aClickThatArrivesBeforeTheCardsTsIsSavedIsTakenFromItsOwnMessage() {
        d.pinata.activeKey(KEY);
        var service = d.service();
        d.slack.beforeTheTsIsSaved = ts -> {
            var id = d.slack.cards.get(0).id();
            assertNull(d.request(id).cardTs(), "the race: the card is out, its ts not saved yet");
            service.confirm(new Click(in(ADMIN2, CHANNEL), id, ts));
        };

        service.startRevocation(admin(), revoke(KEY));

        var id = d.slack.cards.get(0).id();
        assertEquals(RequestState.REVOKED, d.request(id).state(), "the quick click counted: " + d.outcomes());
        assertEquals("1700000000.000001", d.request(id).cardTs());
        assertFalse(d.outcomes().contains("stale_card"), "not called an old copy: " + d.outcomes());
    }

    @Test
    void aQuickClickOnAnotherMessageIsStillAStaleCard() {
        d.pinata.activeKey(KEY);
        var service = d.service();
        d.slack.beforeTheTsIsSaved = ts -> {
            var id = d.slack.cards.get(0).id();
            service.confirm(new Click(in(ADMIN2, CHANNEL), id, ts)); // the card: it becomes the card
            service.cancel(new Click(in(ADMIN2, CHANNEL), id, "1700000000.999999")); // a duplicate's button
        };

        service.startRevocation(admin(), revoke(KEY));

        assertTrue(d.outcomes().contains("stale_card"), d.outcomes().toString());
        assertEquals(RequestState.REVOKED, d.request(d.slack.cards.get(0).id()).state());
    }

    @Test
    void confirmRevokesOnceAndEndsRevokedAndVerified() {
        var id = card(KEY);
        d.service().confirm(d.click(ADMIN2, id));
        var done = d.request(id);
        assertEquals(RequestState.REVOKED, done.state());
        assertEquals(Outcome.REVOKED, done.outcome());
        assertEquals("verified", done.outcomeDetail());
        assertEquals(List.of(KEY), d.pinata.revokeCalls);
        assertEquals(List.of("card_posted", "revoking", "revoked"), d.outcomes());
        assertEquals(
                List.of(id), d.slack.results.stream().map(RevocationRequest::id).toList());
        assertTrue(d.pinata.learnedRevoked.contains(KEY), "the index learns the key is gone");
        assertEquals(List.of(false, true), d.admins.freshChecks, "the click checks membership afresh");
    }

    @Test
    void anUnclearFailureWhileTheKeyIsStillListedEndsFailedNotRevoked() {
        var id = card(KEY);
        d.pinata.answers.add(new RevokeOutcome.Unavailable(502, "Pinata answered 502", true));
        d.pinata.statesAfter.put(KEY, new KeyState.StillActive());
        d.service().confirm(d.click(ADMIN2, id));
        assertEquals(RequestState.FAILED, d.request(id).state());
        assertTrue(
                d.request(id).outcomeDetail().contains(RevokeOutcome.Unavailable.STILL_ACTIVE),
                d.request(id).outcomeDetail());
    }

    @Test
    void aTimeoutOnAPutThatWentThroughEndsRevokedAndVerified() {
        var id = card(KEY);
        d.pinata.answers.add(new RevokeOutcome.Unavailable(0, "read timed out", true));
        d.service().confirm(d.click(ADMIN2, id));
        assertEquals(RequestState.REVOKED, d.request(id).state());
        assertEquals("verified", d.request(id).outcomeDetail());
    }

    @Test
    void cancelEndsTheRequestWithoutCallingPinata() {
        var id = card(KEY);
        d.service().cancel(d.click(ADMIN2, id));
        assertEquals(RequestState.CANCELLED, d.request(id).state());
        assertEquals(ADMIN2, d.request(id).decidedBy());
        assertTrue(d.pinata.revokeCalls.isEmpty());
    }

    @Test
    void aConfirmedDryRunEndsInItsOwnStateAndNeverRevokes() {
        d.pinata.activeKey(KEY);
        var service = d.service();
        service.startRevocation(admin(), new Command.Revoke(List.of(KEY), "drill", true));
        var id = d.slack.cards.get(0).id();
        service.confirm(d.click(ADMIN2, id));
        assertEquals(RequestState.DRY_RUN_CONFIRMED, d.request(id).state());
        assertEquals(Outcome.DRY_RUN_CONFIRMED, d.request(id).outcome());
        assertTrue(d.pinata.revokeCalls.isEmpty());
        assertEquals(1, d.slack.results.size());
    }

    @Test
    void aRequestExpiresAndALateClickIsToldSo() {
        var id = card(KEY);
        d.clock.advance(Duration.ofMinutes(10));
        var service = d.service();
        assertEquals(1, service.expireDue());
        assertEquals(RequestState.EXPIRED, d.request(id).state());
        service.confirm(d.click(ADMIN2, id));
        assertInstanceOf(Notice.AlreadyDecided.class, d.slack.notices().get(0));
        assertTrue(d.pinata.revokeCalls.isEmpty());
    }

    @Test
    void aClickAfterTheDeadlineExpiresTheRequestEvenBeforeTheSweep() {
        var id = card(KEY);
        d.clock.advance(Duration.ofMinutes(10));
        d.service().confirm(d.click(ADMIN2, id));
        assertEquals(RequestState.EXPIRED, d.request(id).state());
        assertEquals(List.of(new Notice.Expired()), d.slack.notices());
        assertTrue(d.pinata.revokeCalls.isEmpty());
    }

    @Test
    void theLosingClickOfARaceIsToldWhoWonAndNothingIsSentTwice() {
        var id = card(KEY);
        // Between this click's checks and its conditional update, another admin cancels.
        d.store.beforeStartRevoking =
                () -> d.store.leavePending(id, RequestState.CANCELLED, ADMIN, d.clock.instant(), null);
        d.service().confirm(d.click(ADMIN2, id));
        assertEquals(RequestState.CANCELLED, d.request(id).state());
        assertInstanceOf(Notice.AlreadyDecided.class, d.slack.notices().get(0));
        assertTrue(d.outcomes().contains("lost_race"), d.outcomes().toString());
        assertTrue(d.pinata.revokeCalls.isEmpty());
    }

    @Test
    void aSecondClickOnADecidedRequestChangesNothing() {
        var id = card(KEY);
        var service = d.service();
        service.confirm(d.click(ADMIN2, id));
        service.confirm(d.click(ADMIN, id));
        assertEquals(List.of(KEY), d.pinata.revokeCalls, "exactly one PUT");
        assertTrue(d.outcomes().contains("already_revoked"), d.outcomes().toString());
    }

    @Test
    void theRequesterCannotConfirmTheirOwnRequestUnderTheTwoPersonRule() {
        var id = card(KEY);
        d.service().confirm(d.click(ADMIN, id));
        assertEquals(List.of(new Notice.SecondAdminRequired()), d.slack.notices());
        assertEquals(RequestState.PENDING, d.request(id).state());
    }

    @Test
    void aNonAdminClickIsRefusedAfterAFreshCheck() {
        var id = card(KEY);
        d.service().confirm(d.click(OUTSIDER, id));
        assertEquals(List.of(new Notice.NotAdmin()), d.slack.notices());
        assertEquals(List.of(false, true), d.admins.freshChecks);
        assertEquals(RequestState.PENDING, d.request(id).state());
    }

    @Test
    void aClickOnAnotherMessageThanTheStoredCardIsRefused() {
        var id = card(KEY);
        d.service().confirm(new Click(in(ADMIN2, CHANNEL), id, "1699999999.000001"));
        assertEquals(List.of(new Notice.StaleCard()), d.slack.notices());
        assertEquals(RequestState.PENDING, d.request(id).state());
        assertTrue(d.pinata.revokeCalls.isEmpty());
    }

    @Test
    void aClickFromAnotherChannelIsAnUnknownRequest() {
        var id = card(KEY);
        d.service()
                .confirm(new Click(in(ADMIN2, "C0ELSEWHERE"), id, d.request(id).cardTs()));
        assertEquals(List.of(new Notice.UnknownRequest()), d.slack.notices());
        assertEquals(RequestState.PENDING, d.request(id).state());
    }

    // --- bulk and leases ------------------------------------------------------------------------------------

    @Test
    void aBulkRequestRecordsEachKeyAndSkipsTheOnesNoListingShowsActive() {
        d.pinata.activeKey(KEY);
        d.pinata.lookups.put(KEY2, new KeyLookup.Found(new KeyDetails("old", null, null, true)));
        var service = d.service();
        service.startRevocation(admin(), revoke(KEY, KEY2, KEY3)); // KEY3: not listed
        var id = d.slack.cards.get(0).id();
        service.confirm(d.click(ADMIN2, id));
        var done = d.request(id);
        assertEquals(
                List.of(Outcome.REVOKED, Outcome.ALREADY_REVOKED, Outcome.NOT_ACTIVE),
                done.keys().stream().map(RequestKey::outcome).toList());
        assertEquals(List.of(KEY), d.pinata.revokeCalls, "only the active key is sent");
        assertEquals(RequestState.FAILED, done.state());
        assertEquals(Outcome.PARTIAL, done.outcome());
    }

    @Test
    void aWorkerThatLostTheLeaseStopsBeforeItsNextCall() {
        d.pinata.activeKey(KEY);
        d.pinata.activeKey(KEY2);
        var service = d.service();
        service.startRevocation(admin(), revoke(KEY, KEY2));
        var id = d.slack.cards.get(0).id();
        // While the first key is revoked, another process takes the request over.
        d.pinata.duringRevoke = () -> d.store.takeOver(id, "other/1");
        service.confirm(d.click(ADMIN2, id));
        assertEquals(List.of(KEY), d.pinata.revokeCalls, "no call after the lease was lost");
        assertEquals(RequestState.REVOKING, d.request(id).state(), "the new owner settles it");
        assertTrue(d.outcomes().contains("lease_lost"), d.outcomes().toString());
    }

    @Test
    void theLeaseIsRenewedBeforeEachKeyOfABulkRevoke() {
        d.pinata.activeKey(KEY);
        d.pinata.activeKey(KEY2);
        var service = d.service();
        service.startRevocation(admin(), revoke(KEY, KEY2));
        var id = d.slack.cards.get(0).id();
        var started = d.clock.instant();
        var seen = new java.util.ArrayList<java.time.Instant>();
        // Each key's call takes 30 s; the lease must have been renewed just before each call.
        d.pinata.duringRevoke = () -> {
            seen.add(d.store.heartbeat(id));
            d.clock.advance(Duration.ofSeconds(30));
        };
        service.confirm(d.click(ADMIN2, id));
        assertEquals(List.of(started, started.plusSeconds(30)), seen);
        assertEquals(RequestState.REVOKED, d.request(id).state());
    }

    // --- recovery -------------------------------------------------------------------------------------------

    private String interrupted(String key) {
        var id = card(key);
        // A process confirmed it and died before finishing: REVOKING, its lease left to lapse.
        assertTrue(d.store.startRevoking(id, ADMIN2, "dead/1", d.clock.instant()));
        return id;
    }

    @Test
    void recoverySettlesALapsedRequestByEvidenceAndNeverRevokesAgain() {
        var id = interrupted(KEY);
        d.clock.advance(Leases.LEASE.plusSeconds(1));
        assertEquals(1, d.service().recoverInterrupted());
        assertEquals(RequestState.REVOKED, d.request(id).state());
        assertEquals("verified", d.request(id).outcomeDetail());
        assertTrue(d.pinata.revokeCalls.isEmpty());
        assertTrue(d.outcomes().contains("revoked"));
        assertEquals("recover", d.audit.records.get(d.audit.records.size() - 1).action());
    }

    @Test
    void recoverySaysUnknownWhenPinataCannotTell() {
        var id = interrupted(KEY);
        d.pinata.statesAfter.put(KEY, new KeyState.Unknown("Pinata answered 503"));
        d.clock.advance(Leases.LEASE.plusSeconds(1));
        d.service().recoverInterrupted();
        assertEquals(RequestState.FAILED, d.request(id).state());
        assertTrue(
                d.request(id).outcomeDetail().contains(Evidence.UNKNOWN_STATE),
                d.request(id).outcomeDetail());
    }

    @Test
    void recoveryLeavesALiveLeaseAlone() {
        var id = interrupted(KEY);
        d.clock.advance(Leases.LEASE.minusSeconds(1));
        assertEquals(0, d.service().recoverInterrupted());
        assertEquals(RequestState.REVOKING, d.request(id).state());
    }

    @Test
    void recoveryWaitsForTheKeyIndex() {
        var id = interrupted(KEY);
        d.pinata.ready = false;
        d.clock.advance(Leases.LEASE.plusSeconds(1));
        assertEquals(0, d.service().recoverInterrupted());
        assertEquals(RequestState.REVOKING, d.request(id).state());
    }

    @Test
    void recoveryOfABulkRequestRecordsTheAlreadyRevokedKeyToo() {
        d.pinata.activeKey(KEY);
        d.pinata.lookups.put(KEY2, new KeyLookup.Found(new KeyDetails("old", null, null, true)));
        d.service().startRevocation(admin(), revoke(KEY, KEY2));
        var id = d.slack.cards.get(0).id();
        assertTrue(d.store.startRevoking(id, ADMIN2, "dead/1", d.clock.instant()));
        d.clock.advance(Leases.LEASE.plusSeconds(1));
        d.service().recoverInterrupted();
        var done = d.request(id);
        assertEquals(RequestState.REVOKED, done.state());
        assertEquals(
                List.of(Outcome.REVOKED, Outcome.ALREADY_REVOKED),
                done.keys().stream().map(RequestKey::outcome).toList());
        assertEquals(
                2,
                d.audit.records.stream()
                        .filter(r -> r.action().equals("revoke_key")
                                || (r.action().equals("recover")
                                        && Outcome.ALREADY_REVOKED.code().equals(r.outcome())))
                        .count(),
                "each key's outcome is audited");
        assertTrue(d.pinata.revokeCalls.isEmpty());
        assertNull(d.slack.notices().stream().findFirst().orElse(null));
    }

    // --- shutdown -------------------------------------------------------------------------------------------

    @Test
    void aStopMidRevokeHandsTheRequestOverAndTheNextSweepSettlesItByEvidence() {
        var id = card(KEY);
        var service = d.service();
        var handedOver = new java.util.concurrent.atomic.AtomicInteger();
        // The process is told to stop while the PUT is on its way; the call then fails as the worker is interrupted.
        d.pinata.duringRevoke = () -> handedOver.set(service.interruptInFlight(Duration.ofSeconds(30)));
        d.pinata.answers.add(new RevokeOutcome.Unavailable(0, "the bot was stopping", true));
        service.confirm(d.click(ADMIN2, id));

        assertEquals(1, handedOver.get());
        assertEquals(
                List.of(id),
                d.slack.interrupted.stream().map(RevocationRequest::id).toList(),
                "the card says so");
        assertEquals(RequestState.REVOKING, d.request(id).state(), "not ended as unknown by the stopping worker");
        assertTrue(d.slack.results.isEmpty());

        // No lease to wait out: the next sweep (of any instance) settles it, without a second PUT.
        assertEquals(1, d.service().recoverInterrupted());
        assertEquals(RequestState.REVOKED, d.request(id).state());
        assertEquals("verified", d.request(id).outcomeDetail());
        assertEquals(List.of(KEY), d.pinata.revokeCalls);
    }

    @Test
    void aTwoHundredTheEvidenceDoesNotSupportNeverEndsRevoked() {
        var id = card(KEY);
        d.pinata.statesAfter.put(KEY, new KeyState.StillActive());
        d.service().confirm(d.click(ADMIN2, id));
        assertEquals(RequestState.FAILED, d.request(id).state());
        assertEquals(Outcome.REVOKED, d.request(id).outcome(), "Pinata's answer is kept");
        assertEquals(RequestKey.STILL_LISTED_ACTIVE, d.request(id).outcomeDetail());

        // A key whose look-up was unavailable before the card: a 200 proves nothing.
        d.pinata.lookups.put(KEY2, new KeyLookup.Unavailable("Pinata answered 503"));
        d.pinata.statesAfter.put(KEY2, new KeyState.Unknown("Pinata answered 503"));
        d.service().startRevocation(admin(), revoke(KEY2));
        var second = d.slack.cards.get(1).id();
        d.service().confirm(d.click(ADMIN2, second));
        assertEquals(RequestState.FAILED, d.request(second).state());
        assertEquals(Outcome.ACCEPTED_UNVERIFIED, d.request(second).outcome());
    }
}
