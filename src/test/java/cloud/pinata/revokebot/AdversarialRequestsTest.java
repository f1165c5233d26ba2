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
import com.slack.api.app_backend.SlackSignature;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests an attacker, a confused client or a replaying proxy could send, all correctly signed unless stated:
 * each must leave Pinata, the channel and the stored requests exactly as they were, and never cause a 5xx.
 */
class AdversarialRequestsTest {
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    static final String OTHER_TEAM = "T0ELSEWHERE";

    BotHarness h;

    /** What must not move: Pinata calls, messages in the channel, card rewrites, and every stored request. */
    record Snapshot(int pinataCalls, int revokes, int posts, int updates, String requests) {}

    @BeforeEach
    void start() throws Exception {
        h = new BotHarness();
        h.pinata.addKey(KEY, "ci-deploy", false, "f".repeat(64));
        h.start();
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    @Test
    void replayedOrRepeatedConfirmAfterRevocationDoesNotRevokeAgain() {
        var id = pendingRequest();
        var body = clickBody("revoke_confirm", ADMIN2, FakeSlack.TEAM, id);
        var ts = Long.toString(Instant.now().getEpochSecond());
        var signature = new SlackSignature.Generator(BotHarness.SIGNING_SECRET).generate(ts, body);
        assertEquals(200, h.post(body, ts, signature).statusCode());
        await(
                "revoked and announced",
                () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED
                        && h.slack.calls("chat.postMessage").size() == 2);
        var before = snapshot();

        // The very same signed request, replayed: the replay guard drops it before any listener sees it.
        var replay = h.post(body, ts, signature);
        assertEquals(200, replay.statusCode(), "the very same signed request, replayed");
        assertEquals("", replay.body());
        assertEquals(200, h.click("revoke_confirm", ADMIN, CHANNEL, id).statusCode(), "a new click on the old card");
        await("new click refused", () -> alreadyRevokedMessages() == 1);
        assertEquals(200, h.click("revoke_cancel", ADMIN, CHANNEL, id).statusCode(), "a cancel on the old card");
        await("cancel refused", () -> alreadyRevokedMessages() == 2);

        assertNothingChangedSince(before);
        assertEquals(1, h.pinata.revokeCalls().size());
        var stored = h.bot().requests().find(id).orElseThrow();
        assertEquals(RequestState.REVOKED, stored.state());
        assertEquals(ADMIN2, stored.decidedBy());
        assertEquals(
                2,
                h.bot().audit().recent(3).stream()
                        .filter(a -> a.outcome().equals("already_revoked"))
                        .count(),
                "the two new clicks were recorded; the replay never reached the service");
    }

    @Test
    void tamperedSqlishAndHugeRequestIdsAreNotRecognised() {
        var id = pendingRequest();
        var before = snapshot();
        var tampered = List.of(
                flip(id, 0),
                flip(id, id.length() - 1),
                id.toUpperCase(),
                id + " ",
                id.substring(0, id.length() - 1) + "_",
                "' OR 1=1 --",
                id + "' OR '1'='1",
                "x'; UPDATE revocation_request SET state='REVOKING'; --",
                id + "a".repeat(10_000 - id.length()),
                "");
        for (int i = 0; i < tampered.size(); i++) {
            var action = i % 2 == 0 ? "revoke_confirm" : "revoke_cancel";
            var response = h.click(action, ADMIN2, CHANNEL, tampered.get(i));
            assertEquals(200, response.statusCode(), "ack for id #" + i);
            var expected = i + 1;
            await("refusal #" + expected, () -> unrecognisedMessages() == expected);
        }
        assertNothingChangedSince(before);
        assertEquals(
                RequestState.PENDING, h.bot().requests().find(id).orElseThrow().state());
        var audit = h.bot().audit().recent(tampered.size());
        assertTrue(
                audit.stream().allMatch(a -> a.outcome().equals("unknown_request") && a.requestId() == null),
                audit.toString());
    }

    @Test
    void correctlySignedBodyOver64KbGets413AndStoresNothing() {
        var padding = "x".repeat(70_000);
        var body = "team_id=" + FakeSlack.TEAM + "&channel_id=" + CHANNEL + "&channel_name=inc-x&user_id=" + ADMIN
                + "&command=%2Fpinata-revoke&text=" + KEY + "+leaked&response_url="
                + URLEncoder.encode(h.slack.responseUrl("big"), StandardCharsets.UTF_8) + "&padding=" + padding;
        assertTrue(body.length() > 64 * 1024);

        var response = h.postSigned(body);

        assertEquals(413, response.statusCode(), response.body());
        assertEquals("", h.databaseDump());
        assertTrue(h.pinataCallsSinceStart().isEmpty());
        assertEquals(0, nonAuthSlackCalls());
    }

    /** Bodies Bolt does not recognise as a command or an interaction: the adapter answers 400 itself. */
    static Stream<Arguments> unrecognisableBodies() {
        return Stream.of(
                Arguments.of("empty body", ""),
                Arguments.of(
                        "form without a command",
                        "team_id=" + FakeSlack.TEAM + "&channel_id=" + CHANNEL + "&user_id=" + ADMIN + "&text=" + KEY),
                Arguments.of(
                        "random binary",
                        new String(
                                new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, '\r', '\n', '%', '&', '='},
                                StandardCharsets.ISO_8859_1)),
                Arguments.of("empty payload", "payload="));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unrecognisableBodies")
    void unrecognisableSignedBodiesGet400AndChangeNothing(String name, String body) {
        pendingRequest();
        var before = snapshot();
        var auditBefore = auditCount();

        var response = h.postSigned(body);

        assertEquals(400, response.statusCode(), response.body());
        assertEquals("Unrecognised Slack request", response.body());
        assertNoLateEffects(before, auditBefore);
    }

    /** A click with everything a real one names (team, clicker, channel, card), around the {@code {actions}} given. */
    private static final String SIGNED_SHAPE =
            "{\"type\":\"block_actions\",\"team\":{\"id\":\"" + FakeSlack.TEAM + "\"},"
                    + "\"user\":{\"id\":\"" + ADMIN + "\",\"team_id\":\"" + FakeSlack.TEAM
                    + "\"},\"channel\":{\"id\":\"" + CHANNEL + "\"},"
                    + "\"container\":{\"type\":\"message\",\"message_ts\":\"1700000000.000001\"},\"actions\":{actions}}";

    /** Payloads Bolt's parser throws on ({@code {id}} is replaced by a real pending request id). */
    static Stream<Arguments> unparseablePayloads() {
        return Stream.of(
                Arguments.of("invalid JSON", "{not json"),
                Arguments.of("JSON array", "[]"),
                Arguments.of("JSON null", "null"),
                Arguments.of("block_actions with nothing else", "{\"type\":\"block_actions\"}"),
                Arguments.of("block_actions with empty actions", "{\"type\":\"block_actions\",\"actions\":[]}"),
                Arguments.of(
                        "confirm of a real request without user, team or channel",
                        "{\"type\":\"block_actions\",\"actions\":[{\"action_id\":\"revoke_confirm\",\"value\":\"{id}\"}]}"),
                Arguments.of(
                        "signed click from the right team and channel whose action has no action_id",
                        SIGNED_SHAPE.replace("{actions}", "[{\"value\":\"{id}\"}]")),
                Arguments.of("signed click whose only action is null", SIGNED_SHAPE.replace("{actions}", "[null]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unparseablePayloads")
    void unparseableSignedPayloadsAreRefusedAndChangeNothing(String name, String payload) {
        var id = pendingRequest();
        var before = snapshot();
        var auditBefore = auditCount();

        var response =
                h.postSigned("payload=" + URLEncoder.encode(payload.replace("{id}", id), StandardCharsets.UTF_8));

        assertTrue(response.statusCode() >= 400, response.statusCode() + " " + response.body());
        assertNoLateEffects(before, auditBefore);
        assertEquals(
                RequestState.PENDING, h.bot().requests().find(id).orElseThrow().state());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unparseablePayloads")
    void unparseableSignedPayloadsGet4xxNot500(String name, String payload) {
        var id = pendingRequest();

        var response =
                h.postSigned("payload=" + URLEncoder.encode(payload.replace("{id}", id), StandardCharsets.UTF_8));

        assertTrue(
                response.statusCode() >= 400 && response.statusCode() < 500,
                response.statusCode() + " " + response.body());
    }

    @Test
    void unsignedMalformedBodiesGet401() {
        for (var body : List.of(
                "",
                "payload=" + URLEncoder.encode("{not json", StandardCharsets.UTF_8),
                "payload=" + URLEncoder.encode("{\"type\":\"block_actions\"}", StandardCharsets.UTF_8))) {
            var response = h.post(body, null, null);
            assertEquals(401, response.statusCode(), "[" + body + "] → " + response.body());
        }
    }

    @Test
    void clickOnUnknownActionIdChangesNothing() {
        var id = pendingRequest();
        var before = snapshot();
        var auditBefore = auditCount();

        for (var actionId : List.of("revoke_confirm_now", "REVOKE_CONFIRM", "revoke_confirm ", "revoke_", "")) {
            var response = h.click(actionId, ADMIN2, CHANNEL, id);
            assertEquals(404, response.statusCode(), "[" + actionId + "] → " + response.body());
            assertEquals("{\"error\":\"no handler found\"}", response.body());
        }

        assertNoLateEffects(before, auditBefore);
        assertEquals(
                RequestState.PENDING, h.bot().requests().find(id).orElseThrow().state());
    }

    @Test
    void slashCommandWithAnotherNameChangesNothing() {
        var before = snapshot();
        for (var command : List.of("/other", "/pinata-revoke-now", "/PINATA-REVOKE")) {
            var body = "team_id=" + FakeSlack.TEAM + "&channel_id=" + CHANNEL + "&channel_name=inc-x&user_id=" + ADMIN
                    + "&command=" + URLEncoder.encode(command, StandardCharsets.UTF_8) + "&text=" + KEY
                    + "+leaked&response_url="
                    + URLEncoder.encode(h.slack.responseUrl("other"), StandardCharsets.UTF_8);
            var response = h.postSigned(body);
            assertEquals(404, response.statusCode(), command + " → " + response.body());
        }
        assertNoLateEffects(before, 0);
        assertTrue(h.pinataCallsSinceStart().isEmpty(), "the key was not even looked up");
    }

    @Test
    void clickFromAnotherTeamIsRefused() {
        var id = pendingRequest();
        var before = snapshot();

        var confirm = h.postSigned(clickBody("revoke_confirm", ADMIN2, OTHER_TEAM, id));
        assertEquals(200, confirm.statusCode());
        await("confirm refused", () -> unrecognisedMessages() == 1);
        var cancel = h.postSigned(clickBody("revoke_cancel", ADMIN2, OTHER_TEAM, id));
        assertEquals(200, cancel.statusCode());
        await("cancel refused", () -> unrecognisedMessages() == 2);

        assertNothingChangedSince(before);
        assertEquals(
                RequestState.PENDING, h.bot().requests().find(id).orElseThrow().state());
        var audit = h.bot().audit().recent(2);
        assertTrue(
                audit.stream().allMatch(a -> a.outcome().equals("unknown_request") && OTHER_TEAM.equals(a.teamId())),
                audit.toString());
    }

    /** A pending request with its card posted and its "card_posted" audit record written. */
    private String pendingRequest() {
        h.command(ADMIN, CHANNEL, KEY + " leaked in CI logs");
        var id = h.awaitCardRequestId(1);
        await(
                "card_posted audited",
                () -> h.bot().audit().recent(1).stream()
                        .anyMatch(a -> a.outcome().equals("card_posted")));
        return id;
    }

    private Snapshot snapshot() {
        return new Snapshot(
                h.pinataCallsSinceStart().size(),
                h.pinata.revokeCalls().size(),
                h.slack.calls("chat.postMessage").size(),
                h.slack.calls("chat.update").size(),
                requestRows());
    }

    private void assertNothingChangedSince(Snapshot before) {
        assertEquals(before, snapshot());
    }

    /**
     * Every request that reaches a listener leaves an audit record; a help command sent afterwards, once audited,
     * shows the bot has caught up, and must be the only new record.
     */
    private void assertNoLateEffects(Snapshot before, int auditBefore) {
        assertEquals(200, h.command(ADMIN, CHANNEL, "help").statusCode());
        await("help audited", () -> auditCount() > auditBefore);
        assertEquals(auditBefore + 1, auditCount());
        assertEquals("help", h.bot().audit().recent(1).get(0).outcome());
        assertNothingChangedSince(before);
    }

    private long alreadyRevokedMessages() {
        return h.slack.privateMessages().stream()
                .filter(m -> m.contains("already revoked"))
                .count();
    }

    private long unrecognisedMessages() {
        return h.slack.privateMessages().stream()
                .filter(m -> m.contains("don't recognise"))
                .count();
    }

    private int nonAuthSlackCalls() {
        return (int) h.slack.calls().stream()
                .filter(c -> !c.method().equals("auth.test"))
                .count();
    }

    private int auditCount() {
        return h.bot().audit().recent(10_000).size();
    }

    private String requestRows() {
        return h.tableDump("revocation_request");
    }

    private static String flip(String id, int at) {
        var c = id.charAt(at);
        return id.substring(0, at) + (c == '0' ? '1' : '0') + id.substring(at + 1);
    }

    /** A block_actions click as Slack sends it, from {@code teamId}, on the card in {@link BotHarness#CHANNEL}. */
    private String clickBody(String actionId, String user, String teamId, String requestId) {
        return h.clickBody(teamId, actionId, user, CHANNEL, requestId, "1700000000.000001");
    }
}
