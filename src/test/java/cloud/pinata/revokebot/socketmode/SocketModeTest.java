package cloud.pinata.revokebot.socketmode;

import static cloud.pinata.revokebot.socketmode.FakeSocketModeSlack.APP_TOKEN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.BotHarness.OUTSIDER;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.FakeSlack;
import cloud.pinata.revokebot.support.LogCapture;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.app_backend.SlackSignature;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Socket Mode, whole app: with {@code SLACK_APP_TOKEN} and no signing secret the bot connects to a fake Socket Mode
 * server, takes commands and clicks as envelopes, acknowledges each one, and runs the same flow as over HTTP.
 */
class SocketModeTest {
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";

    BotHarness h;
    FakeSocketModeSlack socket;
    LogCapture logs;

    @BeforeEach
    void start() throws Exception {
        logs = new LogCapture();
        h = new BotHarness();
        socket = new FakeSocketModeSlack(h.slack.apiUrl());
        h.env("SLACK_API_URL", socket.apiUrl())
                .env("SLACK_APP_TOKEN", APP_TOKEN)
                .env("SLACK_SIGNING_SECRET", "");
        h.pinata.addKey(KEY, "ci-deploy", false, "f".repeat(64));
    }

    @AfterEach
    void stop() throws Exception {
        if (h != null) {
            h.close();
        }
        socket.close();
        logs.close();
    }

    @Test
    void revokesKeyEndToEndOverSocketMode() throws Exception {
        h.start();
        socket.awaitConnected();

        socket.send("e1", "slash_commands", command(ADMIN, KEY + " leaked in a public repo"));
        var ack = socket.awaitAck("e1");
        assertTrue(ack.getAsJsonObject("payload").get("text").getAsString().contains("Checking"), ack.toString());

        var requestId = h.awaitCardRequestId(1);
        var card = h.slack.calls("chat.postMessage").get(0);
        assertEquals(CHANNEL, card.param("channel"));
        assertTrue(card.blocksText().contains("leaked in a public repo"), card.blocksText());

        socket.send("e2", "interactive", click(ADMIN2, requestId));
        assertEquals("e2", socket.awaitAck("e2").get("envelope_id").getAsString());

        await("result message", () -> h.slack.calls("chat.postMessage").size() == 2);
        assertEquals(1, h.pinata.revokeCalls().size());
        assertTrue(h.pinata.isRevoked(KEY));
        assertTrue(h.slack.calls("chat.postMessage").get(1).shownText().contains("has been revoked"));
        var stored = h.bot().requests().find(requestId).orElseThrow();
        assertEquals(RequestState.REVOKED, stored.state());
        assertEquals(ADMIN2, stored.decidedBy());
    }

    @Test
    void asksSlackForTheSocketUrlWithTheAppTokenNotTheBotToken() throws Exception {
        h.start();
        socket.awaitConnected();
        assertFalse(socket.connectionOpens().isEmpty());
        assertTrue(
                socket.connectionOpens().stream().allMatch(("Bearer " + APP_TOKEN)::equals),
                socket.connectionOpens()::toString);
        assertTrue(h.slack.calls("apps.connections.open").isEmpty(), "the app token never reaches the Web API fake");
    }

    @Test
    void refusesCommandFromUserOutsideAdminGroupOverSocketMode() throws Exception {
        h.start();
        socket.awaitConnected();

        socket.send("e1", "slash_commands", command(OUTSIDER, KEY));
        socket.awaitAck("e1");

        await("refusal", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("Only members")));
        assertTrue(h.slack.calls("chat.postMessage").isEmpty(), "no card for an outsider");
        assertTrue(h.pinata.revokeCalls().isEmpty());
    }

    @Test
    void httpEventsRejectEveryRequestWhenNoSigningSecretIsConfigured() throws Exception {
        h.start();
        socket.awaitConnected();

        var signedWithOldSecret = h.command(ADMIN, CHANNEL, KEY);
        assertEquals(401, signedWithOldSecret.statusCode());

        // Bolt's own stand-in when no secret is given is the public string "---": it must not open the door.
        var body = "token=x&team_id=" + FakeSlack.TEAM + "&channel_id=" + CHANNEL + "&user_id=" + ADMIN
                + "&command=%2Fpinata-revoke&text=" + KEY + "&response_url=" + h.slack.responseUrl("forged");
        var timestamp = Long.toString(Instant.now().getEpochSecond());
        var forged = h.post(body, timestamp, new SlackSignature.Generator("---").generate(timestamp, body));
        assertEquals(401, forged.statusCode());

        var unsigned = h.post(body, null, null);
        assertEquals(401, unsigned.statusCode());

        assertTrue(h.slack.calls("chat.postMessage").isEmpty());
        assertTrue(h.slack.privateMessages().isEmpty());
        assertTrue(h.bot().audit().recent(10).isEmpty(), "nothing recorded for rejected requests");
    }

    @Test
    void healthIsServedOverHttpInSocketMode() throws Exception {
        h.start();
        socket.awaitConnected();
        var health = h.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"ok\"}", health.body());
    }

    @Test
    void appTokenNeverReachesTheLogs() throws Exception {
        h.start();
        socket.awaitConnected();
        socket.send("e1", "slash_commands", command(ADMIN, KEY));
        socket.awaitAck("e1");
        h.awaitCardRequestId(1);
        h.close();
        h = null;

        assertTrue(logs.all().contains("Socket Mode"), "the connection is logged");
        assertFalse(logs.all().contains(APP_TOKEN), logs::all);
        assertFalse(logs.all().contains(APP_TOKEN.substring("xapp-".length())), logs::all);
    }

    @Test
    void reconnectsWhenSlackAsksForARefreshAndKeepsServing() throws Exception {
        h.start();
        socket.awaitConnected();
        var before = socket.connections();

        socket.requestRefresh();
        await("a new WebSocket", () -> socket.connections() > before);

        socket.send("e1", "slash_commands", command(ADMIN, KEY));
        socket.awaitAck("e1");
        h.awaitCardRequestId(1);
    }

    @Test
    void closingTheBotClosesTheWebSocket() throws Exception {
        h.start();
        socket.awaitConnected();
        h.close();
        h = null;
        assertTrue(socket.awaitClosed(), "the bot closed its Socket Mode WebSocket on shutdown");
    }

    @Test
    void wrongAppTokenFailsStartUpWithoutPrintingIt() throws Exception {
        var wrong = "xapp-1-A0APP-999-n0tTh3R1ghtT0k3n";
        h.env("SLACK_APP_TOKEN", wrong);

        var e = assertThrows(IllegalStateException.class, h::start);

        assertTrue(e.getMessage().contains("invalid_auth"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong), e.getMessage());
        assertFalse(logs.all().contains(wrong), logs::all);
        assertEquals(1, socket.connectionOpens().size());
        assertFalse(socket.isConnected(), "no WebSocket without a URL from Slack");
    }

    @Test
    void withoutAppTokenTheBotNeverOpensASocketConnection() throws Exception {
        h.env("SLACK_APP_TOKEN", "").env("SLACK_SIGNING_SECRET", BotHarness.SIGNING_SECRET);
        h.start();

        var ack = h.command(ADMIN, CHANNEL, KEY);
        assertEquals(200, ack.statusCode());
        h.awaitCardRequestId(1);

        assertTrue(socket.connectionOpens().isEmpty(), "apps.connections.open was called without an app token");
        assertTrue(h.slack.calls("apps.connections.open").isEmpty());
    }

    /** A slash command as the JSON payload Socket Mode carries (the same fields as the HTTP form). */
    private JsonObject command(String user, String text) {
        var p = new JsonObject();
        BotHarness.commandFields(user, CHANNEL, text, h.slack.responseUrl("socket-cmd-" + user))
                .forEach(p::addProperty);
        return p;
    }

    /** A Revoke click as the JSON payload Socket Mode carries: the harness's HTTP form body, unwrapped. */
    private JsonObject click(String user, String requestId) {
        var form = h.clickBody("revoke_confirm", user, CHANNEL, requestId, "1700000000.000001");
        var json = URLDecoder.decode(form.substring("payload=".length()), StandardCharsets.UTF_8);
        return JsonParser.parseString(json).getAsJsonObject();
    }
}
