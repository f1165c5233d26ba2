package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.FakeSlack;
import cloud.pinata.revokebot.support.Postgres;
import com.slack.api.app_backend.SlackSignature;
import java.nio.file.Files;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12, finding 2: the same signed request sent again within Slack's five-minute window is accepted once, on
 * either of two instances sharing the database.
 */
class ReplayTest {
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";

    BotHarness h;

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private void start(String kind) throws Exception {
        h = new BotHarness();
        if (kind.equals("postgresql")) {
            h.env("DATABASE_URL", Postgres.newJdbcUrl());
        } else {
            h.env(
                    "DATABASE_URL",
                    "jdbc:sqlite:" + Files.createTempDirectory("replay").resolve("bot.db"));
        }
        h.pinata.addKey(KEY, "ci-deploy", false, "f".repeat(64));
        h.start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aReplayedSignedCommandMakesOneCardAcrossTwoInstances(String kind) throws Exception {
        start(kind);
        var other = h.startAnother();
        var body = h.bodyOf(ADMIN, CHANNEL, KEY + " leaked");
        var ts = Long.toString(Instant.now().getEpochSecond());
        var sig = new SlackSignature.Generator(BotHarness.SIGNING_SECRET).generate(ts, body);

        assertEquals(200, h.post(body, ts, sig).statusCode());
        h.awaitCardRequestId(1);
        var replayHere = h.post(body, ts, sig);
        var replayThere = h.postTo(other, body, ts, sig);

        assertEquals(200, replayHere.statusCode());
        assertEquals("", replayHere.body(), "acknowledged with nothing");
        assertEquals(200, replayThere.statusCode());
        assertEquals("", replayThere.body());
        // A later command, audited, shows both instances have caught up: still one card, one revoke request.
        h.command(ADMIN, CHANNEL, "help");
        await("help audited", () -> h.bot().audit().recent(10).stream().anyMatch(a -> "help".equals(a.outcome())));
        assertEquals(1, h.slack.calls("chat.postMessage").size(), "one card");
        assertEquals(
                1,
                h.bot().audit().recent(50).stream()
                        .filter(a -> "card_posted".equals(a.outcome()))
                        .count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aReplayedSignedConfirmClickOnAnotherInstanceChangesNothing(String kind) throws Exception {
        start(kind);
        var other = h.startAnother();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        var id = h.awaitCardRequestId(1);
        var click = h.clickBody("revoke_confirm", ADMIN2, CHANNEL, id, "1700000000.000001");
        var ts = Long.toString(Instant.now().getEpochSecond());
        var sig = new SlackSignature.Generator(BotHarness.SIGNING_SECRET).generate(ts, click);

        assertEquals(200, h.post(click, ts, sig).statusCode());
        await(
                "revoked and announced",
                () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED
                        && h.slack.calls("chat.postMessage").size() == 2
                        && h.bot().audit().recent(5).stream().anyMatch(a -> "revoked".equals(a.outcome())));
        var auditBefore = h.bot().audit().recent(1000).size();
        assertEquals(200, h.postTo(other, click, ts, sig).statusCode());

        h.command(ADMIN, CHANNEL, "help");
        await("help audited", () -> h.bot().audit().recent(1).stream().anyMatch(a -> "help".equals(a.outcome())));
        assertEquals(auditBefore + 1, h.bot().audit().recent(1000).size(), "the replay left no audit record");
        assertEquals(1, h.pinata.revokeCalls().size());
        assertTrue(
                h.slack.privateMessages().stream().noneMatch(m -> m.contains("already")),
                h.slack.privateMessages().toString());
        assertEquals(FakeSlack.TEAM, h.bot().requests().find(id).orElseThrow().teamId());
    }
}
