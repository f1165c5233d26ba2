package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.Outcome;
import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.FakePinata;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /pinata-revoke <key1> <key2> … [reason]: one card, one confirmation, each key revoked in turn. */
class BulkRevokeTest {
    static final String K1 = "1111111111aaaaaaaaaa";
    static final String K2 = "2222222222bbbbbbbbbb";
    static final String K3 = "3333333333cccccccccc";
    static final String OLD = "4444444444dddddddddd";

    BotHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new BotHarness();
        h.pinata.addKey(K1, "ci-deploy", false, "1".repeat(64));
        h.pinata.addKey(K2, "website", false, "2".repeat(64));
        h.pinata.addKey(K3, "backup", false, "3".repeat(64));
        h.pinata.addKey(OLD, "old", true, "4".repeat(64));
        h.start();
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    @Test
    void oneCardOneConfirmationEachKeyInTurnWithAPartialFailureReportedKeyByKey() {
        h.pinata.scriptRevoke(
                FakePinata.json(200, "\"Revoked\""),
                FakePinata.json(400, "{\"error\":{\"reason\":\"INVALID_REQUEST\",\"details\":\"x\"}}"));
        h.command(ADMIN, CHANNEL, K1 + " `" + K2 + "` " + K3 + " " + OLD + " leaked together in one .env file");
        var id = h.awaitCardRequestId(1);
        assertEquals(1, h.slack.calls("chat.postMessage").size(), "one card for every key");
        var card = h.slack.calls("chat.postMessage").get(0).blocksText();
        assertTrue(card.contains("Revoke 4 Pinata API keys?"), card);
        for (var name : List.of("ci-deploy", "website", "backup", "already revoked, will be skipped")) {
            assertTrue(card.contains(name), name + " in " + card);
        }
        assertTrue(card.contains("leaked together in one .env file"));

        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("result", () -> h.slack.calls("chat.postMessage").size() == 2);

        var puts = h.pinata.revokeCalls().stream()
                .map(c -> JsonParser.parseString(c.body())
                        .getAsJsonObject()
                        .get("apiKey")
                        .getAsString())
                .toList();
        assertEquals(List.of(K1, K2, K3), puts, "each key once, in the order given; the revoked one skipped");
        var stored = h.bot().requests().find(id).orElseThrow();
        assertEquals(RequestState.FAILED, stored.state());
        assertEquals(Outcome.PARTIAL, stored.outcome());
        assertEquals(
                List.of(Outcome.REVOKED, Outcome.REJECTED, Outcome.REVOKED, Outcome.ALREADY_REVOKED),
                stored.keys().stream().map(k -> k.outcome()).toList());
        var result = h.slack.calls("chat.postMessage").get(1).shownText();
        assertTrue(result.contains("3 of 4 Pinata API keys are revoked"), result);
        assertTrue(result.contains("`2222…bbbb` (website): Pinata rejected the request"), result);
        var finalCard = h.slack
                .calls("chat.update")
                .get(h.slack.calls("chat.update").size() - 1)
                .blocksText();
        assertTrue(finalCard.contains("3 of 4 Pinata API keys revoked"), finalCard);
        var perKey = h.bot().audit().recent(50).stream()
                .filter(a -> a.action().equals("revoke_key"))
                .toList();
        assertEquals(3, perKey.size(), "one audit record per key revoked in turn");
    }

    @Test
    void allKeysRevokedEndsRevoked() {
        h.command(ADMIN, CHANNEL, K1 + " " + K2);
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("revoked", () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
        assertTrue(h.pinata.isRevoked(K1) && h.pinata.isRevoked(K2));
    }

    @Test
    void bulkWithTheBotsOwnKeyIsRefusedWhole() {
        h.command(ADMIN, CHANNEL, K1 + " " + cloud.pinata.revokebot.support.TestJwt.BOT_KEY);
        await("refusal", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("bot's own Pinata key")));
        assertTrue(h.slack.calls("chat.postMessage").isEmpty());
    }

    @Test
    void moreThanTwentyKeysAreRefused() {
        var sb = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            sb.append(String.format("%020x ", i + 1));
        }
        var ack = BotHarness.ackText(h.command(ADMIN, CHANNEL, sb.toString()));
        assertTrue(ack.contains("at most 20 keys"), ack);
    }
}
