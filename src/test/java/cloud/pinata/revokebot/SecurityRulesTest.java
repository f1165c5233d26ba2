package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.BotHarness.OUTSIDER;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.LogCapture;
import cloud.pinata.revokebot.support.TestJwt;
import cloud.pinata.revokebot.support.WholeAppTest;
import com.slack.api.app_backend.SlackSignature;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every security rule of docs/design.md §8, each with a test that fails if the rule is removed. */
class SecurityRulesTest extends WholeAppTest {
    LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = new LogCapture();
    }

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    private int nonAuthSlackCalls() {
        return (int) h.slack.calls().stream()
                .filter(c -> !c.method().equals("auth.test"))
                .count();
    }

    private String commandBody(String text) {
        return "team_id=" + cloud.pinata.revokebot.support.FakeSlack.TEAM + "&channel_id=" + CHANNEL
                + "&channel_name=inc-x&user_id="
                + ADMIN + "&command=%2Fpinata-revoke&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
                + "&response_url=" + URLEncoder.encode(h.slack.responseUrl("x"), StandardCharsets.UTF_8);
    }

    @Test
    void unsignedBadlySignedAndStaleRequestsGet401AndChangeNothing() {
        h.start();
        var body = commandBody(KEY + " test");
        var now = Long.toString(Instant.now().getEpochSecond());
        var stale = Long.toString(Instant.now().minusSeconds(6 * 60).getEpochSecond());
        var generator = new SlackSignature.Generator(BotHarness.SIGNING_SECRET);

        assertEquals(401, h.post(body, null, null).statusCode(), "unsigned");
        assertEquals(401, h.post(body, now, "v0=" + "0".repeat(64)).statusCode(), "bad signature");
        assertEquals(
                401,
                h.post(body, now, new SlackSignature.Generator("another-secret").generate(now, body))
                        .statusCode(),
                "signed with another secret");
        assertEquals(
                401,
                h.post(body, stale, generator.generate(stale, body)).statusCode(),
                "stale, though correctly signed");
        assertEquals(
                401,
                h.post(body + "&x=tampered", now, generator.generate(now, body)).statusCode(),
                "body changed after signing");

        assertEquals(0, nonAuthSlackCalls());
        assertTrue(h.pinataCallsSinceStart().isEmpty());
        assertEquals("", h.databaseDump());
        // The same body, correctly signed and fresh, is accepted: the 401s above were about the signature.
        assertEquals(200, h.post(body, now, generator.generate(now, body)).statusCode());
    }

    @Test
    void nonAdminCommandChangesNothing() {
        h.start();
        h.command(OUTSIDER, CHANNEL, KEY + " trying");
        await(
                "denial",
                () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("Only members of the Pinata admin")));
        assertTrue(h.slack.calls("chat.postMessage").isEmpty(), "no card");
        assertTrue(h.pinataCallsSinceStart().isEmpty(), "Pinata not even asked about the key");
        var audit = h.bot().audit().recent(5);
        assertEquals("not_admin", audit.get(0).outcome());
        assertEquals(OUTSIDER, audit.get(0).userId());
    }

    @Test
    void refusesClickFromUserOutsideAdminGroup() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", OUTSIDER, CHANNEL, id);
        await(
                "denial",
                () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("Only members of the Pinata admin")));
        h.click("revoke_cancel", OUTSIDER, CHANNEL, id);
        await(
                "second denial",
                () -> h.slack.privateMessages().stream()
                                .filter(m -> m.contains("Only members"))
                                .count()
                        == 2);
        assertTrue(h.pinata.revokeCalls().isEmpty());
        assertTrue(h.slack.calls("chat.update").isEmpty());
        assertEquals(
                RequestState.PENDING, h.bot().requests().find(id).orElseThrow().state());
    }

    @Test
    void clickSpamFromANonAdminDoesNotSpendTheUserGroupRateLimit() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        var before = h.slack.calls("usergroups.users.list").size();
        for (int i = 0; i < 10; i++) {
            h.click("revoke_confirm", OUTSIDER, CHANNEL, id);
        }
        await(
                "all refused",
                () -> h.slack.privateMessages().stream()
                                .filter(m -> m.contains("Only members"))
                                .count()
                        == 10);
        assertEquals(before, h.slack.calls("usergroups.users.list").size(), "refused from the cached member list");
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await(
                "admin still confirms",
                () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
        assertEquals(before + 1, h.slack.calls("usergroups.users.list").size(), "an admin's click is checked afresh");
    }

    @Test
    void userRemovedFromGroupAfterCommandCannotConfirm() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        h.slack.setGroup(
                BotHarness.ADMINS, ADMIN2); // ADMIN removed; the command path's cache must not be used at click time
        h.click("revoke_confirm", ADMIN, CHANNEL, id);
        await("denial", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("Only members")));
        assertTrue(h.pinata.revokeCalls().isEmpty());
        assertEquals(
                RequestState.PENDING, h.bot().requests().find(id).orElseThrow().state());
    }

    @Test
    void userGroupLookupFailureDenies() {
        h.start();
        h.slack.failGroup(BotHarness.ADMINS, "missing_scope");
        h.command(ADMIN, CHANNEL, KEY);
        await(
                "denial",
                () -> h.slack.privateMessages().stream()
                        .anyMatch(m -> m.contains("couldn't verify") && m.contains("missing_scope")));
        assertTrue(h.slack.calls("chat.postMessage").isEmpty());
        assertEquals(
                "admin_check_failed:missing_scope",
                h.bot().audit().recent(1).get(0).outcome());
    }

    @Test
    void userGroupLookupFailureAtClickDenies() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        h.slack.failGroup(BotHarness.ADMINS, "http_500");
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("denial", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("couldn't verify")));
        assertTrue(h.pinata.revokeCalls().isEmpty());
        assertEquals(
                RequestState.PENDING, h.bot().requests().find(id).orElseThrow().state());
    }

    @Test
    void concurrentDoubleClicksCallPinataOnce() throws Exception {
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        h.pinata.holdRevokes();
        var clicks = 12;
        // All clicks pass the admin check together, so they really race for the PENDING → REVOKING transition.
        h.slack.barrierOnGroupLookups(clicks);
        var pool = Executors.newFixedThreadPool(clicks);
        var go = new CountDownLatch(1);
        var futures = new ArrayList<java.util.concurrent.Future<Integer>>();
        for (int i = 0; i < clicks; i++) {
            var user = i % 2 == 0 ? ADMIN : ADMIN2;
            futures.add(pool.submit(() -> {
                go.await();
                return h.click("revoke_confirm", user, CHANNEL, id).statusCode();
            }));
        }
        go.countDown();
        for (var f : futures) {
            assertEquals(200, f.get(20, TimeUnit.SECONDS));
        }
        assertTrue(h.pinata.awaitHeld());
        await(
                "losers told",
                () -> h.slack.privateMessages().stream()
                                .filter(m -> m.contains("already being handled"))
                                .count()
                        == clicks - 1);
        h.pinata.release();
        await("result", () -> h.slack.calls("chat.postMessage").size() == 2);
        pool.shutdown();
        assertEquals(1, h.pinata.revokeCalls().size());
        assertEquals(
                RequestState.REVOKED, h.bot().requests().find(id).orElseThrow().state());
        assertEquals(
                1,
                h.bot().audit().recent(100).stream()
                        .filter(a -> a.outcome().equals("revoked"))
                        .count());
    }

    @Test
    void requesterCannotConfirmOwnRequestUnderTwoPersonRule() {
        h.env("REQUIRE_SECOND_ADMIN", "true").start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN, CHANNEL, id);
        await(
                "refusal",
                () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("another admin must confirm")));
        assertTrue(h.pinata.revokeCalls().isEmpty());
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("revoked", () -> h.pinata.revokeCalls().size() == 1);
        await("final state", () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
    }

    @Test
    void requesterMayConfirmOwnRequestWithoutTwoPersonRule() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN, CHANNEL, id);
        await("revoked", () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
    }

    @Test
    void pastedJwtOfAKeyNotInTheOrganisationIsRefusedAndNeverStoredLoggedOrSent() {
        h.start();
        var leaked = TestJwt.forKey("0123456789abcdef0123", "9".repeat(64));
        var ack = h.command(ADMIN, CHANNEL, leaked + " found in ticket");
        assertEquals(200, ack.statusCode());
        assertTrue(ack.body().contains("leaked JWT"), ack.body());
        assertFalse(ack.body().contains(leaked));
        await("audit", () -> !h.bot().audit().recent(1).isEmpty());
        assertEquals("not_active_key", h.bot().audit().recent(1).get(0).outcome());
        assertSecretNowhere(leaked, ack.body());
        assertSecretNowhere(leaked.split("\\.")[1], ack.body());
        assertTrue(h.pinataCallsSinceStart().isEmpty(), "the key index answered; Pinata never saw the JWT");
    }

    @Test
    void pasted64HexSecretIsRefusedEvenInsideTheReason() {
        h.start();
        var secret = "0123456789abcdef".repeat(4);
        var ack = h.command(ADMIN, CHANNEL, KEY + " the secret was " + secret);
        assertTrue(ack.body().contains("API secret"), ack.body());
        await("audit", () -> !h.bot().audit().recent(1).isEmpty());
        assertSecretNowhere(secret, ack.body());
        assertTrue(h.slack.calls("chat.postMessage").isEmpty(), "no card for a command carrying a secret");
        assertTrue(h.pinataCallsSinceStart().isEmpty());
    }

    @Test
    void botCredentialAndListedSecretsNeverReachLogsSlackOrDatabase() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY + " rotate");
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("done", () -> h.slack.calls("chat.postMessage").size() == 2);
        for (var secret : new String[] {TestJwt.bot(), TestJwt.BOT_SECRET, LISTED_SECRET}) {
            assertSecretNowhere(secret, "");
        }
        // The JWT did reach Pinata, where it belongs.
        assertEquals("Bearer " + TestJwt.bot(), h.pinata.revokeCalls().get(0).authorization());
    }

    @Test
    void mrkdwnInReasonIsEscaped() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY + " <!channel> see <https://evil.example|this> & ping <@U0ADMIN2>");
        h.awaitCardRequestId(1);
        var text = h.slack.calls("chat.postMessage").get(0).blocksText();
        assertTrue(
                text.contains("&lt;!channel&gt; see &lt;https://evil.example|this&gt; &amp; ping &lt;@U0ADMIN2&gt;"),
                text);
        assertFalse(text.contains("<!channel>"));
        assertFalse(text.contains("<https://evil"));
    }

    @Test
    void mrkdwnInKeyNameFromPinataIsEscaped() {
        h.pinata.addKey("00000000aaaaaaaa", "<!here> evil", false, "e".repeat(64));
        h.start();
        h.command(ADMIN, CHANNEL, "00000000aaaaaaaa");
        h.awaitCardRequestId(1);
        var text = h.slack.calls("chat.postMessage").get(0).blocksText();
        assertTrue(text.contains("&lt;!here&gt; evil"), text);
        assertFalse(text.contains("<!here>"));
    }

    @Test
    void refusesToRevokeTheBotsOwnKey() {
        h.start();
        h.command(ADMIN, CHANNEL, TestJwt.BOT_KEY.toUpperCase() + " oops");
        await("refusal", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("bot's own Pinata key")));
        assertTrue(h.slack.calls("chat.postMessage").isEmpty());
        assertTrue(h.pinataCallsSinceStart().isEmpty());
        assertEquals("self_key_refused", h.bot().audit().recent(1).get(0).outcome());
    }

    @Test
    void commandOutsideAllowedChannelsIsRefused() {
        h.env("ALLOWED_CHANNELS", "C0OTHER,sec-").start();
        h.command(ADMIN, CHANNEL, KEY);
        await(
                "refusal",
                () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("not enabled in this channel")));
        assertTrue(h.slack.calls("chat.postMessage").isEmpty());
        assertTrue(h.pinataCallsSinceStart().isEmpty(), "nothing is looked up for a channel the bot is not enabled in");
        assertEquals("channel_not_allowed", h.bot().audit().recent(1).get(0).outcome());
    }

    @Test
    void historyAndStatusAreRefusedWhereTheCommandIsNotEnabled() {
        h.env("ALLOWED_CHANNELS", "C0OTHER").start();
        h.command(ADMIN, CHANNEL, "history");
        h.command(ADMIN, CHANNEL, "status " + KEY);
        await(
                "two refusals",
                () -> h.slack.privateMessages().stream()
                                .filter(m -> m.contains("not enabled in this channel"))
                                .count()
                        == 2);
        assertTrue(h.slack.privateMessages().stream().noneMatch(m -> m.contains("audit record")));
        assertTrue(h.pinataCallsSinceStart().isEmpty(), "status looked nothing up");
    }

    @Test
    void aClickOnAnyMessageButTheStoredCardChangesNothing() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY + " leak");
        var id = h.awaitCardRequestId(1);
        // A duplicate of the card (a retried chat.postMessage) carries the same buttons under another ts.
        h.click("revoke_confirm", ADMIN2, CHANNEL, id, "1699999999.999999");
        await(
                "told to use the current card",
                () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("old copy")));
        assertEquals(
                RequestState.PENDING, h.bot().requests().find(id).orElseThrow().state());
        assertTrue(h.pinata.revokeCalls().isEmpty());
        assertEquals("stale_card", h.bot().audit().recent(1).get(0).outcome());

        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await(
                "revoked from the real card",
                () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
    }

    @Test
    void aNonAdminOutsideAllowedChannelsLearnsNothingAboutTheConfiguration() {
        h.env("ALLOWED_CHANNELS", "C0OTHER,sec-").start();
        h.command(OUTSIDER, CHANNEL, KEY);
        await("refusal", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("Only members")));
        assertTrue(
                h.slack.privateMessages().stream().noneMatch(m -> m.contains("C0OTHER") || m.contains("sec-")),
                "the allowed channels are shown only after the admin check");
        assertEquals("not_admin", h.bot().audit().recent(1).get(0).outcome());
    }

    @Test
    void commandInAllowedChannelByNamePrefixWorks() {
        h.env("ALLOWED_CHANNELS", "C0OTHER,inc-").start();
        h.command(ADMIN, CHANNEL, KEY);
        h.awaitCardRequestId(1);
    }

    @Test
    void requestIdFromAnotherChannelChangesNothing() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, "C0ELSEWHERE", id);
        await("refusal", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("don't recognise")));
        var last = id.charAt(id.length() - 1);
        // Always differs from the real id, whatever its last character is.
        h.click("revoke_confirm", ADMIN2, CHANNEL, id.substring(0, id.length() - 1) + (last == '0' ? '1' : '0'));
        h.click("revoke_confirm", ADMIN2, CHANNEL, null);
        await(
                "refusals",
                () -> h.slack.privateMessages().stream()
                                .filter(m -> m.contains("don't recognise"))
                                .count()
                        == 3);
        assertTrue(h.pinata.revokeCalls().isEmpty());
        assertEquals(
                RequestState.PENDING, h.bot().requests().find(id).orElseThrow().state());
    }

    private void assertSecretNowhere(String secret, String ackBody) {
        assertFalse(ackBody.contains(secret), "ack");
        assertFalse(logs.all().contains(secret), "logs");
        for (var call : h.slack.calls()) {
            assertFalse(call.everything().contains(secret), "Slack call " + call.method());
        }
        for (var call : h.pinata.calls()) {
            assertFalse(call.body().contains(secret) || call.path().contains(secret), "Pinata call body/path");
        }
        assertFalse(h.databaseDump().contains(secret), "database");
    }
}
