package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.revocation.RevocationService;
import cloud.pinata.revokebot.support.FakePinata;
import cloud.pinata.revokebot.support.FakeSlack;
import cloud.pinata.revokebot.support.LogCapture;
import cloud.pinata.revokebot.support.WholeAppTest;
import java.time.Duration;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the bot claims about a key, against a fake Pinata that is as unkind as the real one: it answers 200 to any
 * string, lists active keys only, rate-limits and closes idle connections. Each claim must rest on what a listing
 * showed, and each revocation must stay within its request budget.
 */
class PinataTruthTest extends WholeAppTest {
    LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = new LogCapture();
    }

    @AfterEach
    void stopCapture() {
        logs.close();
    }

    private String revokeAndAwaitResult(String key) {
        h.command(ADMIN, CHANNEL, key + " leaked in CI logs");
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await(
                "final state",
                () -> h.bot().requests().find(id).orElseThrow().state().isTerminal());
        await("result posted", () -> !result().isEmpty());
        return id;
    }

    private static java.util.List<String> paths(java.util.List<FakePinata.Call> calls) {
        return calls.stream().map(c -> c.method() + " " + c.path()).toList();
    }

    /** What the channel was shown as the result: the last message that is neither a card nor a note in its thread. */
    private String result() {
        return h.slack.calls("chat.postMessage").stream()
                .filter(c -> c.param("thread_ts") == null && !c.blocksText().contains("revoke_confirm"))
                .map(FakeSlack.Call::shownText)
                .reduce((a, b) -> b)
                .orElse("");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "a1b2c3d4e5f6a7b8c9d1", // one character off the listed key: a typo
                "0123456789abcdef0123", // a well-formed key this organisation does not have: another organisation's
            })
    void aKeyNoListingShowsActiveIsRefusedAndNeverSentToPinata(String key) {
        h.start();
        h.command(ADMIN, CHANNEL, key + " leaked");
        await("refusal", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("not an active key")));
        var refusal = h.slack.privateMessages().stream()
                .filter(m -> m.contains("not an active key"))
                .findFirst()
                .orElseThrow();
        assertTrue(refusal.contains("`" + key + "`"), "the key in full, so the typo shows: " + refusal);
        assertTrue(
                refusal.contains("typo")
                        && refusal.contains("another organisation")
                        && refusal.contains("already revoked"),
                refusal);
        assertTrue(h.pinata.revokeCalls().isEmpty(), "Pinata would have answered 200 \"Revoked\" and proved nothing");
        assertTrue(h.slack.calls("chat.postMessage").isEmpty(), "no card");
    }

    @Test
    void aKeyTheV3ListShowsRevokedIsAlreadyRevokedWithNoCard() {
        h.pinata.addKey("deadbeefdeadbeef0001", "old-deploy", true, "d".repeat(64));
        h.start();
        h.command(ADMIN, CHANNEL, "deadbeefdeadbeef0001");
        await("answer", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("already lists")));
        assertTrue(h.slack.calls("chat.postMessage").isEmpty());
        assertTrue(h.pinata.revokeCalls().isEmpty());
        assertEquals("already_revoked", h.bot().audit().recent(1).get(0).outcome());
    }

    @Test
    void withoutTheV3ListARevokedKeyIsNotCalledRevokedButNamedAsAPossibleCause() {
        h.pinata.withoutV3();
        h.pinata.addKey("deadbeefdeadbeef0001", "old-deploy", true, "d".repeat(64));
        h.start();
        h.command(ADMIN, CHANNEL, "deadbeefdeadbeef0001");
        await("answer", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("not an active key")));
        assertTrue(
                h.slack.privateMessages().stream().noneMatch(m -> m.contains("already lists")),
                "no listing said 'revoked', so the bot does not say it");
        assertTrue(h.pinata.revokeCalls().isEmpty());
    }

    @Test
    void revokedAndVerifiedWhenTheKeyLeavesTheActiveListAtThreeRequestsAtMost() {
        h.start();
        h.clock.advance(Duration.ofMinutes(1)); // the index is no longer fresh: the card pays for a front check
        var id = revokeAndAwaitResult(KEY);
        assertEquals(
                RequestState.REVOKED, h.bot().requests().find(id).orElseThrow().state());
        assertEquals("verified", h.bot().requests().find(id).orElseThrow().outcomeDetail());
        assertTrue(result().contains("has been revoked and verified"), result());
        var spent = h.pinataCallsSinceStart();
        assertTrue(spent.size() <= 3, "front check, PUT, locate: " + paths(spent));
    }

    @Test
    void aTwoHundredThatChangedNothingIsNeverCalledVerified() {
        h.pinata.answerOkWithoutRevoking(1);
        h.start();
        var id = revokeAndAwaitResult(KEY);
        var stored = h.bot().requests().find(id).orElseThrow();
        assertEquals("still_listed_active", stored.outcomeDetail());
        assertEquals(
                RequestState.FAILED,
                stored.state(),
                "the request never ends REVOKED while Pinata lists the key active");
        assertFalse(result().contains("verified"), result());
        assertTrue(
                result().contains("still lists the key as active") && result().contains("may *not* be revoked"),
                result());
        assertFalse(result().contains(":white_check_mark:"), "no green check for a key Pinata still lists active");
    }

    @Test
    void aPutThatTimedOutButDidRevokeIsRevokedAndVerified() {
        var timeout = new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
        h.pinata.scriptRevokeThatApplies(timeout, timeout, timeout, timeout);
        h.pinataReadTimeout(Duration.ofMillis(300)).start();
        var id = revokeAndAwaitResult(KEY);
        var stored = h.bot().requests().find(id).orElseThrow();
        assertEquals(RequestState.REVOKED, stored.state(), stored::toString);
        assertEquals("verified", stored.outcomeDetail());
        assertTrue(result().contains("revoked and verified"), result());
        assertFalse(result().contains("not* revoked"), result());
    }

    @Test
    void anUnclearFailureWithTheListsUnreadableIsSaidToBeUnknownNotNotRevoked() {
        var timeout = new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
        h.pinata.scriptRevoke(timeout, timeout, timeout, timeout);
        h.pinataReadTimeout(Duration.ofMillis(300)).start();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        var id = h.awaitCardRequestId(1);
        h.pinata.failList(FakePinata.json(503, "{\"error\":{\"reason\":\"UNAVAILABLE\",\"details\":\"x\"}}"));
        h.pinata.withoutV3();
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await(
                "final state",
                () -> h.bot().requests().find(id).orElseThrow().state().isTerminal());
        await("result posted", () -> !result().isEmpty());
        assertTrue(result().contains("may or may not be revoked"), result());
        assertFalse(result().contains("was *not* revoked"), result());
    }

    @Test
    void aServerErrorOnAPutThatDidNotRevokeIsNotRevoked() {
        h.pinata.scriptRevoke(
                FakePinata.json(500, "{\"error\":{\"reason\":\"INTERNAL\",\"details\":\"x\"}}"),
                FakePinata.json(500, "{\"error\":{\"reason\":\"INTERNAL\",\"details\":\"x\"}}"),
                FakePinata.json(500, "{\"error\":{\"reason\":\"INTERNAL\",\"details\":\"x\"}}"),
                FakePinata.json(500, "{\"error\":{\"reason\":\"INTERNAL\",\"details\":\"x\"}}"));
        h.start();
        var id = revokeAndAwaitResult(KEY);
        assertEquals(
                RequestState.FAILED, h.bot().requests().find(id).orElseThrow().state());
        assertTrue(result().contains("still active"), result());
    }

    @Test
    void aRetryAfterOfSixtySecondsOnThePutIsWaitedOutAndTheChannelIsTold() {
        h.pinata.scriptRevoke(FakePinata.json(429, "{\"error\":{\"reason\":\"RATE_LIMITED\",\"details\":\"x\"}}")
                .setHeader("Retry-After", "60"));
        h.start();
        var before = h.clock.instant();
        var id = revokeAndAwaitResult(KEY);
        assertEquals(
                RequestState.REVOKED, h.bot().requests().find(id).orElseThrow().state());
        assertEquals("verified", h.bot().requests().find(id).orElseThrow().outcomeDetail());
        assertEquals(2, h.pinata.revokeCalls().size());
        assertTrue(Duration.between(before, h.clock.instant()).toSeconds() >= 60, "the bot waited Pinata's 60 s");
        assertTrue(
                h.slack.calls("chat.postMessage").stream()
                        .anyMatch(c ->
                                c.param("text") != null && c.param("text").contains("waiting on Pinata's rate limit")),
                "the channel knows why it waits");
    }

    @Test
    void tenRevocationsInOneMinuteOnTheFreePlanGetNo429() {
        // 700 keys: the index's build alone (78 pages) is more than the free plan's minute.
        h.pinata.rateLimit(60, h.clock);
        var keys = h.pinata.addManyKeys(700).subList(100, 110);
        h.start();
        await("index complete", () -> h.bot().pinata().index().isComplete());
        for (int i = 0; i < keys.size(); i++) {
            h.command(ADMIN, CHANNEL, keys.get(i) + " burst");
            var id = h.awaitCardRequestId(i + 1);
            h.click("revoke_confirm", ADMIN2, CHANNEL, id);
            await(
                    "revoked #" + i,
                    () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
        }
        assertEquals(0, h.pinata.rateLimited(), "no 429 at all, least of all on a PUT");
        assertTrue(keys.stream().allMatch(h.pinata::isRevoked));
    }

    @Test
    void aThousandKeyOrganisationCostsAtMostThreeRequestsPerRevocation() {
        var keys = h.pinata.addManyKeys(1_000);
        h.start();
        await("index complete", () -> h.bot().pinata().index().isComplete());
        assertEquals(1_001, h.bot().pinata().index().activeCount());
        h.clock.advance(Duration.ofMinutes(1));
        var target = keys.get(500);
        var id = revokeAndAwaitResult(target);
        assertEquals("verified", h.bot().requests().find(id).orElseThrow().outcomeDetail());
        var spent = h.pinataCallsSinceStart();
        assertTrue(spent.size() <= 3, "front check, PUT, locate: " + paths(spent));
    }

    @Test
    void aPooledConnectionTheServerClosedIsRetriedAndEveryClaimStillHasItsEvidence() {
        h.pinata.closeIdleConnections();
        h.start();
        h.clock.advance(Duration.ofMinutes(1));
        var id = revokeAndAwaitResult(KEY);
        var card = h.slack.calls("chat.postMessage").get(0).blocksText();
        assertTrue(card.contains("ci-deploy"), card);
        assertFalse(card.contains("unavailable"), card);
        assertEquals(
                "verified",
                h.bot().requests().find(id).orElseThrow().outcomeDetail(),
                "the locate after the PUT also went over a closed pooled connection");
        assertTrue(logs.all().contains("Pinata closed an idle connection (unexpected end of stream"), logs.all());
    }

    @Test
    void aLookupFailureIsLoggedWithWhatFailed() {
        h.start();
        h.pinata.failList(FakePinata.json(503, "{\"error\":{\"reason\":\"UNAVAILABLE\",\"details\":\"x\"}}"));
        h.clock.advance(Duration.ofMinutes(1));
        h.command(ADMIN, CHANNEL, KEY);
        h.awaitCardRequestId(1);
        assertTrue(logs.all().contains("HTTP 503 UNAVAILABLE to GET /users/apiKeys"), logs.all());
    }

    @Test
    void aLeaseLostMidBulkStopsTheWorkerAndTheSettlersOutcomeHolds() throws Exception {
        var keys = h.pinata.addManyKeys(3);
        h.start();
        var other = h.startAnother();
        h.command(ADMIN, CHANNEL, String.join(" ", keys) + " leaked together");
        var id = h.awaitCardRequestId(1);
        h.pinata.holdRevokes();
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        assertTrue(h.pinata.awaitHeld(), "the first key's revoke is at Pinata");
        // The owner stalls (no renewal) past its lease; another instance takes the request over and settles it.
        h.clock.advance(RevocationService.REVOKING_LEASE.plusSeconds(1));
        assertEquals(1, other.service().recoverInterrupted());
        var settled = h.bot().requests().find(id).orElseThrow();
        assertEquals(RequestState.FAILED, settled.state());
        h.pinata.release(); // the stalled owner's first revoke goes through after all

        await(
                "the stalled owner gave up",
                () -> h.bot().audit().recent(20).stream()
                        .anyMatch(a -> id.equals(a.requestId()) && "lease_lost".equals(a.outcome())));
        assertEquals(1, h.pinata.revokeCalls().size(), "no revoke call after the lease was lost");
        assertFalse(h.pinata.isRevoked(keys.get(1)) || h.pinata.isRevoked(keys.get(2)));
        var after = h.bot().requests().find(id).orElseThrow();
        assertEquals(RequestState.FAILED, after.state(), "the settled state stands");
        assertEquals(settled.keys(), after.keys(), "no per-key outcome was overwritten");
        await(
                "correction posted",
                () -> h.slack.calls("chat.postMessage").stream()
                        .anyMatch(
                                c -> c.param("text") != null && c.param("text").contains("It *is* revoked")));
    }

    @Test
    void aLeaseLostDuringASingleRevokeEndsWithACorrectionNotASecondFinalState() throws Exception {
        h.start();
        var other = h.startAnother();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        var id = h.awaitCardRequestId(1);
        h.pinata.holdRevokes();
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        assertTrue(h.pinata.awaitHeld());
        h.clock.advance(RevocationService.REVOKING_LEASE.plusSeconds(1));
        assertEquals(1, other.service().recoverInterrupted());
        assertEquals(
                RequestState.FAILED,
                h.bot().requests().find(id).orElseThrow().state(),
                "at settling time Pinata still listed the key active");
        h.pinata.release();
        await(
                "correction posted",
                () -> h.slack.calls("chat.postMessage").stream()
                        .anyMatch(
                                c -> c.param("text") != null && c.param("text").contains("It *is* revoked")));
        assertEquals(
                RequestState.FAILED, h.bot().requests().find(id).orElseThrow().state(), "terminal states never change");
        assertTrue(h.bot().audit().recent(20).stream().anyMatch(a -> "late:revoked".equals(a.outcome())));
        assertEquals(1, h.pinata.revokeCalls().size(), "the settler never revokes");
    }

    @Test
    void aBulkRevokeRenewsItsLeaseBeforeEveryKey() throws Exception {
        var keys = h.pinata.addManyKeys(3);
        h.start();
        var other = h.startAnother();
        h.command(ADMIN, CHANNEL, String.join(" ", keys));
        var id = h.awaitCardRequestId(1);
        h.pinata.holdRevokes();
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("first key at Pinata", () -> h.pinata.revokeCalls().size() == 1);
        h.clock.advance(RevocationService.REVOKING_LEASE.minusSeconds(1));
        h.pinata.releaseOne();
        await("second key at Pinata", () -> h.pinata.revokeCalls().size() == 2);
        // Two lease lengths since the click, one since the renewal before the second key.
        h.clock.advance(RevocationService.REVOKING_LEASE.minusSeconds(1));
        assertEquals(0, other.service().recoverInterrupted(), "the owner renewed its lease: not another's to settle");
        h.pinata.release();
        await(
                "revoked by its owner",
                () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
        assertEquals(3, h.pinata.revokeCalls().size());
    }
}
