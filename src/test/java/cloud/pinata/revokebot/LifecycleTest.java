package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.Outcome;
import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.FakePinata;
import cloud.pinata.revokebot.support.WholeAppTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests from start to every final state: restarts, expiry, Pinata's refusals, Slack's refusals, bad input. */
class LifecycleTest extends WholeAppTest {

    @Test
    void pendingRequestCanBeConfirmedAfterRestart() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY + " before deploy");
        var id = h.awaitCardRequestId(1);
        h.restart();
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await(
                "revoked after restart",
                () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
        assertEquals(1, h.pinata.revokeCalls().size());
        await(
                "card rewritten",
                () -> h.slack.calls("chat.update").stream()
                        .anyMatch(c -> c.blocksText().contains("revoked")));
    }

    @Test
    void clickAfterExpiryIsRefusedAndCardSaysExpired() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        h.clock.advance(Duration.ofMinutes(10));
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("clicker told", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("has expired")));
        await(
                "card rewritten",
                () -> h.slack.calls("chat.update").stream()
                        .anyMatch(c -> c.blocksText().contains("Expired")));
        assertTrue(h.pinata.revokeCalls().isEmpty());
        assertEquals(
                RequestState.EXPIRED, h.bot().requests().find(id).orElseThrow().state());
    }

    @Test
    void confirmationThatArrivesAfterExpiryCannotWinTheTransition() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        var expiry = h.bot().requests().find(id).orElseThrow().expiresAt();
        assertFalse(
                h.bot().requests().startRevoking(id, ADMIN2, "instance-test", expiry),
                "checked before a slow admin look-up, written after the deadline");
        assertTrue(h.bot().requests().startRevoking(id, ADMIN2, "instance-test", expiry.minusMillis(1)));
    }

    @Test
    void clickJustBeforeExpiryStillWorks() {
        h.env("CONFIRM_TTL", "90s").start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        h.clock.advance(Duration.ofSeconds(89));
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("revoked", () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
    }

    @Test
    void sweepExpiresPendingCardsNobodyClicked() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        assertEquals(0, h.bot().service().expireDue(), "nothing is due yet");
        h.clock.advance(Duration.ofMinutes(11));
        assertEquals(1, h.bot().service().expireDue());
        assertEquals(0, h.bot().service().expireDue(), "an expired request is expired once");
        assertEquals(
                RequestState.EXPIRED, h.bot().requests().find(id).orElseThrow().state());
        var update = h.slack.calls("chat.update");
        assertEquals(1, update.size());
        assertTrue(update.get(0).blocksText().contains("Expired"));
        assertFalse(update.get(0).blocksText().contains("revoke_confirm"));
        assertEquals("expire", h.bot().audit().recent(1).get(0).action());
    }

    @ParameterizedTest(name = "Pinata {0} → {1}")
    @CsvSource({
        "401, bot_credential_invalid, PINATA_ADMIN_JWT",
        "403, bot_not_allowed, not an Admin key",
        "404, key_not_found, Pinata answered 404",
        "400, rejected, rejected the request",
        "500, pinata_unavailable, The key is still active",
    })
    void pinataErrorGivesCorrectFinalCard(int status, String outcome, String advice) {
        var body = status == 401
                ? "{\"error\":{\"reason\":\"INVALID_CREDENTIALS\",\"details\":\"Invalid/expired credentials\"}}"
                : status == 403
                        ? "{\"error\":{\"reason\":\"NO_SCOPES_FOUND\",\"details\":\"no admin\"}}"
                        : "{\"error\":\"x\"}";
        for (int i = 0; i < 4; i++) {
            h.pinata.scriptRevoke(FakePinata.json(status, body));
        }
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("result", () -> h.slack.calls("chat.postMessage").size() == 2);
        var stored = h.bot().requests().find(id).orElseThrow();
        assertEquals(RequestState.FAILED, stored.state());
        assertEquals(Outcome.of(outcome), stored.outcome());
        assertEquals(status, stored.pinataStatus());
        assertEquals(status >= 500 ? 4 : 1, h.pinata.revokeCalls().size(), "only 5xx is retried");
        var finalCard = h.slack
                .calls("chat.update")
                .get(h.slack.calls("chat.update").size() - 1)
                .blocksText();
        assertTrue(finalCard.contains("failed"), finalCard);
        assertTrue(finalCard.contains(advice), finalCard);
        assertFalse(finalCard.contains("revoke_confirm"));
        var result = h.slack.calls("chat.postMessage").get(1).shownText();
        assertTrue(result.contains("was *not* revoked"), result);
        assertTrue(result.contains(advice), result);
    }

    @Test
    void botNotInChannelTellsRequesterHowToFixIt() {
        h.slack.failMethod("chat.postMessage", "not_in_channel");
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        await("advice", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("/invite")));
        var audit = h.bot().audit().recent(1).get(0);
        assertEquals("card_not_posted:not_in_channel", audit.outcome());
        var stored = h.bot().requests().find(audit.requestId()).orElseThrow();
        assertEquals(RequestState.CANCELLED, stored.state(), "a request without a card does not stay pending");
    }

    @Test
    void keyPinataListsAsRevokedGetsNoCard() {
        h.pinata.addKey("deadbeefdeadbeef", "old", true, "d".repeat(64));
        h.start();
        h.command(ADMIN, CHANNEL, "deadbeefdeadbeef");
        await("told", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("already lists")));
        assertTrue(h.slack.calls("chat.postMessage").isEmpty());
    }

    @Test
    void lookupFailureStillPostsCardWithDetailsUnavailable() {
        h.pinata.failList(FakePinata.json(503, "busy"));
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        h.awaitCardRequestId(1);
        assertTrue(h.slack.calls("chat.postMessage").get(0).blocksText().contains("Key details unavailable"));
    }

    @Test
    void keyNoListingShowsActiveIsRefusedBeforeTheCard() {
        h.start();
        h.command(ADMIN, CHANNEL, "0000111122223333");
        await("refusal", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("not an active key")));
        assertTrue(
                h.slack.privateMessages().stream()
                        .anyMatch(m -> m.contains("`0000111122223333`")
                                && m.contains("typo")
                                && m.contains("another organisation")
                                && m.contains("already revoked")),
                () -> "names the likely causes: " + h.slack.privateMessages());
        assertTrue(
                h.slack.calls("chat.postMessage").stream()
                        .noneMatch(c -> c.blocksText().contains("revoke_confirm")),
                "no card");
        assertTrue(h.pinata.revokeCalls().isEmpty());
        assertEquals("not_active_key", h.bot().audit().recent(1).get(0).outcome());
    }

    @Test
    void helpAndBadInputAreAnsweredInTheAckAndChangeNothing() {
        h.start();
        for (var text : new String[] {"", "help", "not-a-key!", "abc", "a1b2 c3d4 has spaces?", "x".repeat(41)}) {
            var ack = h.command(ADMIN, CHANNEL, text);
            assertEquals(200, ack.statusCode());
            assertTrue(
                    BotHarness.ackText(ack).contains("/pinata-revoke &lt;key&gt; [reason…]"),
                    text + " → " + ack.body());
        }
        await("audited", () -> h.bot().audit().recent(10).size() == 6);
        assertTrue(h.slack.calls("chat.postMessage").isEmpty());
        assertTrue(h.pinataCallsSinceStart().isEmpty());
        assertTrue(h.bot().audit().recent(10).stream().allMatch(a -> a.requestId() == null));
    }
}
