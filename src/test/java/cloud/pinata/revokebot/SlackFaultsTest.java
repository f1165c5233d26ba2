package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.FakeSlack;
import cloud.pinata.revokebot.support.WholeAppTest;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;

/** Slack failing: rate limits and errors are retried within bounds, and no outcome is lost. */
class SlackFaultsTest extends WholeAppTest {

    @Test
    void rateLimitedCardIsRetriedAfterRetryAfter() {
        h.slack.script(
                "chat.postMessage",
                new MockResponse().setResponseCode(429).setHeader("Retry-After", "0"),
                FakeSlack.okFalse("ratelimited"));
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        h.awaitCardRequestId(1);
        assertEquals(3, h.slack.calls("chat.postMessage").size(), "429, ok:false ratelimited, then the card");
    }

    @Test
    void permanentSlackErrorIsNotRetried() {
        h.slack.script("chat.postMessage", FakeSlack.okFalse("channel_not_found"));
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        await("advice", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("channel_not_found")));
        assertEquals(1, h.slack.calls("chat.postMessage").size());
    }

    @Test
    void slackDownForTheCardEndsTheRequestAndTellsTheRequester() {
        var down = new MockResponse().setResponseCode(503);
        h.slack.script("chat.postMessage", down, down, down);
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        await(
                "told",
                () -> h.slack.privateMessages().stream()
                        .anyMatch(m -> m.contains("couldn't post the confirmation card")));
        assertEquals(3, h.slack.calls("chat.postMessage").size(), "bounded retries");
        var audit = h.bot().audit().recent(1).get(0);
        assertEquals(
                RequestState.CANCELLED,
                h.bot().requests().find(audit.requestId()).orElseThrow().state());
    }

    @Test
    void cardThatCannotBeUpdatedHasItsOutcomePostedAsANewMessage() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        h.slack.failMethod("chat.update", "message_not_found");
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await(
                "final card reposted and result posted",
                () -> h.slack.calls("chat.postMessage").size() == 3);
        var reposted = h.slack.calls("chat.postMessage").get(1).blocksText();
        assertTrue(reposted.contains("revoked"), reposted);
        assertFalse(reposted.contains("revoke_confirm"));
        assertTrue(h.slack.calls("chat.postMessage").get(2).shownText().contains("has been revoked"));
        assertEquals(
                RequestState.REVOKED, h.bot().requests().find(id).orElseThrow().state());
    }
}
