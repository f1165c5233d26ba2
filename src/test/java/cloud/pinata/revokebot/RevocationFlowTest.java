package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.TestJwt;
import cloud.pinata.revokebot.support.WholeAppTest;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The happy path, end to end over HTTP: command → card → confirm → one PUT → card rewritten → result posted. */
class RevocationFlowTest extends WholeAppTest {
    @BeforeEach
    void start() {
        h.start();
    }

    @Test
    void revokesKeyWhenAdminConfirms() {
        var ack = h.command(ADMIN, CHANNEL, KEY + " leaked in a public repo");
        assertEquals(200, ack.statusCode());
        assertTrue(ack.body().contains("Checking"), ack.body());

        var requestId = h.awaitCardRequestId(1);
        var card = h.slack.calls("chat.postMessage").get(0);
        assertEquals(CHANNEL, card.param("channel"));
        var blocks = card.blocksText();
        assertTrue(blocks.contains("a1b2…c9d0"), blocks);
        assertTrue(blocks.contains("ci-deploy"), "card shows the key's name from Pinata");
        assertTrue(blocks.contains("leaked in a public repo"), "card shows the reason");
        assertTrue(blocks.contains("<@" + ADMIN + ">"), "card names the requester");
        assertTrue(blocks.contains("style=danger"), "Revoke is a danger button");
        assertTrue(blocks.contains("Revoke this key?"), "Revoke has Slack's confirm dialog");
        assertTrue(blocks.contains("revoke_cancel"));
        assertFalse(blocks.contains("f".repeat(64)), "the listed key's secret never reaches Slack");

        var clickAck = h.click("revoke_confirm", BotHarness.ADMIN2, CHANNEL, requestId);
        assertEquals(200, clickAck.statusCode());

        await("result message", () -> h.slack.calls("chat.postMessage").size() == 2);
        var puts = h.pinata.revokeCalls();
        assertEquals(1, puts.size());
        assertEquals("/users/revokeApiKey", puts.get(0).path());
        assertEquals("Bearer " + TestJwt.bot(), puts.get(0).authorization());
        assertEquals(
                KEY,
                JsonParser.parseString(puts.get(0).body())
                        .getAsJsonObject()
                        .get("apiKey")
                        .getAsString());

        var result = h.slack.calls("chat.postMessage").get(1);
        assertEquals(CHANNEL, result.param("channel"));
        assertTrue(result.shownText().contains("has been revoked"), result.shownText());
        assertTrue(result.shownText().contains("<@" + BotHarness.ADMIN2 + ">"));

        var finalCard =
                h.slack.calls("chat.update").get(h.slack.calls("chat.update").size() - 1);
        assertEquals(card.param("channel"), finalCard.param("channel"));
        assertTrue(finalCard.blocksText().contains("revoked"), finalCard.blocksText());
        assertFalse(finalCard.blocksText().contains("revoke_confirm"), "no buttons left on the final card");

        var stored = h.bot().requests().find(requestId).orElseThrow();
        assertEquals(RequestState.REVOKED, stored.state());
        assertEquals(BotHarness.ADMIN2, stored.decidedBy());
        assertEquals(200, stored.pinataStatus());
        var audit = h.bot().audit().recent(10);
        assertTrue(audit.stream()
                .anyMatch(a -> a.action().equals("command") && a.outcome().equals("card_posted")));
        assertTrue(audit.stream()
                .anyMatch(a -> a.action().equals("confirm")
                        && a.outcome().equals("revoked")
                        && Integer.valueOf(200).equals(a.pinataStatus())
                        && KEY.equals(a.apiKey())));
    }

    @Test
    void healthAnswersWhenDatabaseIsUp() {
        var r = h.get("/health");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"ok\""));
    }

    @Test
    void cancelEndsRequestWithoutCallingPinata() {
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        h.click("revoke_cancel", BotHarness.ADMIN2, CHANNEL, id);
        await("card rewritten", () -> !h.slack.calls("chat.update").isEmpty());
        assertTrue(h.slack.calls("chat.update").get(0).blocksText().contains("Cancelled"));
        assertEquals(
                RequestState.CANCELLED,
                h.bot().requests().find(id).orElseThrow().state());
        assertTrue(h.pinata.revokeCalls().isEmpty());
        // A confirm after the cancel changes nothing.
        h.click("revoke_confirm", ADMIN, CHANNEL, id);
        await("clicker told", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("already cancelled")));
        assertTrue(h.pinata.revokeCalls().isEmpty());
    }
}
