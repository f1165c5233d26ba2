package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.BlockKit;
import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.FakePinata;
import cloud.pinata.revokebot.support.FakeSlack;
import cloud.pinata.revokebot.support.WholeAppTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What real Slack does that a lenient fake does not (reference/slack-platform.md): escaped command text,
 * auto-parsed mrkdwn, Block Kit's limits. The harness sends text escaped as Slack does, and fails any test whose
 * payloads the strict fake refused.
 */
class SlackTruthTest extends WholeAppTest {

    @Test
    void reasonWithAmpersandAnglesAndALinkShowsAsTyped() {
        h.start();
        var typed = "a & b <tag> see https://evil.example/?x=1&y=2 and <https://evil.example|click>";
        h.command(ADMIN, CHANNEL, KEY + " " + typed);
        var id = h.awaitCardRequestId(1);

        var card = h.slack.calls("chat.postMessage").get(0).shownText();
        // Escaped exactly once: Slack shows it as typed, and nothing in it is a link or a tag.
        assertTrue(
                card.contains("Reason: a &amp; b &lt;tag&gt; see https://evil.example/?x=1&amp;y=2 and "
                        + "&lt;https://evil.example|click&gt;"),
                card);
        assertTrue(BotHarness.rendered(card).contains("Reason: " + typed), card);
        assertFalse(card.contains("&amp;amp;") || card.contains("&amp;lt;") || card.contains("&amp;gt;"), card);
        assertEquals(typed, h.bot().requests().find(id).orElseThrow().reason(), "stored as typed");
        assertTrue(h.bot().audit().recent(5).stream().anyMatch(a -> typed.equals(a.reason())), "audited as typed");

        h.command(ADMIN, CHANNEL, "history 5");
        await("history", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("a &amp; b &lt;tag&gt;")));
        assertTrue(h.slack.privateMessages().stream().noneMatch(m -> m.contains("&amp;amp;")));
    }

    @Test
    void reasonOf500TypedAmpersandsIsAcceptedThoughSlackSendsIt2500Long() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY + " " + "&".repeat(500));
        var id = h.awaitCardRequestId(1);
        assertEquals("&".repeat(500), h.bot().requests().find(id).orElseThrow().reason());
    }

    @Test
    void typedAtChannelReachesNoMrkdwnObjectWithoutVerbatim() {
        h.pinata.addKey("00000000aaaaaaaa", "@here deploy #general", false, "e".repeat(64));
        h.start();
        h.command(ADMIN, CHANNEL, KEY + " 00000000aaaaaaaa @channel look, @everyone and @here #general");
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("result", () -> h.slack.calls("chat.postMessage").size() == 2);
        h.command(ADMIN, CHANNEL, "history 10");
        await("history", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("@channel")));

        var reached = 0;
        for (var call : h.slack.calls()) {
            var blocks = call.param("blocks");
            for (var typed : List.of("@channel", "@everyone", "@here", "#general")) {
                assertEquals(
                        List.of(),
                        BlockKit.mrkdwnWithoutVerbatim(blocks, typed),
                        () -> call.method() + ": Slack would auto-parse " + typed);
                if (blocks != null && blocks.contains(typed)) {
                    reached++;
                }
            }
            // The top-level text has no verbatim switch: no typed text goes there at all.
            var text = call.param("text");
            assertFalse(
                    text != null && (text.contains("@channel") || text.contains("@here")),
                    () -> call.method() + " text: " + text);
        }
        assertTrue(
                reached >= 8,
                "the typed text did reach the card, the final card, the result and the history: " + reached);
    }

    @Test
    void failedTwentyKeyBulkRevokeGetsAFinalCardSlackAcceptsListingEveryKey() {
        var keys = new ArrayList<String>();
        for (int i = 0; i < 20; i++) {
            var key = String.format("%020x", 0x5eed0000L + i);
            keys.add(key);
            // 100-character names, each character one that escaping makes five.
            h.pinata.addKey(key, ("&" + i + " ").repeat(40).substring(0, 100), false, String.format("%064x", i + 1));
            h.pinata.scriptRevoke(FakePinata.json(404, "{\"error\":\"not found\"}"));
        }
        h.start();
        h.command(ADMIN, CHANNEL, String.join(" ", keys) + " the whole .env of the build server");
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("final", () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.FAILED);
        await("result posted", () -> h.slack.calls("chat.postMessage").size() == 2);

        assertEquals(List.of(), h.refusedBySlack(), "Slack refused a payload");
        var updates = h.slack.calls("chat.update");
        var finalCard = updates.get(updates.size() - 1).shownText();
        assertTrue(finalCard.contains("0 of 20 Pinata API keys revoked"), finalCard);
        var result = h.slack.calls("chat.postMessage").get(1).shownText();
        for (var key : keys) {
            var shortened = "`" + key.substring(0, 4) + "…" + key.substring(16) + "`";
            assertTrue(finalCard.contains(shortened), shortened + " on the final card");
            assertTrue(result.contains(shortened), shortened + " in the result");
        }
        assertTrue(finalCard.length() > 3_000, "a card this long had to be split: " + finalCard.length());
        assertEquals(2, h.slack.calls("chat.postMessage").size(), "no fallback repost: the update itself was accepted");
    }

    @Test
    void everyMessageHasAFullSentenceFallbackText() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("result", () -> h.slack.calls("chat.postMessage").size() == 2);
        var card = h.slack.calls("chat.postMessage").get(0).param("text");
        assertEquals(
                "<@" + ADMIN
                        + "> asks to revoke Pinata API key a1b2…c9d0: an admin must confirm or cancel it on the card.",
                card);
        var result = h.slack.calls("chat.postMessage").get(1).param("text");
        assertTrue(
                result.matches("Pinata API key a1b2…c9d0 was revoked.*, confirmed by <@" + ADMIN2
                        + "> \\(requested by <@" + ADMIN + ">\\)\\."),
                result);
        for (var call : h.slack.calls()) {
            if (!call.method().equals("auth.test") && !call.method().equals("usergroups.users.list")) {
                assertTrue(
                        call.param("text") != null && call.param("text").endsWith("."),
                        () -> call.method() + ": " + call.params());
            }
        }
    }

    @Test
    void sslCheckGets200WithAnEmptyBodyAndNothingElseHappens() {
        h.start();
        var before = h.slack.calls().size();
        var answer = h.sslCheck();
        assertEquals(200, answer.statusCode());
        assertEquals("", answer.body());
        assertEquals(before, h.slack.calls().size(), "no Slack call");
        assertEquals("", h.databaseDump(), "no request, no audit record");
        // Only the check itself is exempt from the signature: an unsigned command still gets 401.
        assertEquals(
                401,
                h.post("command=%2Fpinata-revoke&text=ssl_check%3D1&user_id=" + ADMIN, null, null)
                        .statusCode());
    }

    @Test
    void commandInADirectMessageBetweenPeopleSaysRunItInAChannel() {
        h.slack.failMethod("chat.postMessage", "channel_not_found");
        h.start();
        h.command(ADMIN, "D0DIRECTMSG", KEY + " found in a DM");
        await("told", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("in a channel")));
        var told = String.join("\n", h.slack.privateMessages());
        assertTrue(told.contains("direct message"), told);
        assertFalse(told.contains("/invite"), "nobody can invite the bot into a DM between people: " + told);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plan_upgrade_required", "paid_teams_only"})
    void aWorkspaceWithoutUserGroupsIsToldItNeedsAPaidPlan(String error) {
        h.slack.failGroup(BotHarness.ADMINS, error);
        h.start();
        h.command(ADMIN, CHANNEL, KEY);
        await("told", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("paid Slack plan")));
        assertEquals(
                "admin_check_failed:" + error, h.bot().audit().recent(1).get(0).outcome());
        assertTrue(h.slack.calls("chat.postMessage").isEmpty(), "fail closed: no card");
    }

    /** The fake's refusals are what fails the other tests: check it refuses, with Slack's own answer. */
    @Test
    void theStrictFakeRefusesAnOversizedSectionAsSlackDoes() throws Exception {
        h.start();
        var slack = cloud.pinata.revokebot.slack.SlackApp.methods(
                cloud.pinata.revokebot.slack.SlackApp.client(h.slack.apiUrl()), FakeSlack.BOT_TOKEN);
        var response = slack.chatPostMessage(r -> r.channel(CHANNEL)
                .text("A sentence.")
                .blocks(List.of(com.slack.api.model.block.Blocks.section(s -> s.text(
                        com.slack.api.model.block.composition.BlockCompositions.markdownText("x".repeat(3001)))))));
        assertFalse(response.isOk());
        assertEquals("invalid_blocks", response.getError());
        assertEquals(1, h.slack.violations().size());
        h.slack.forgetViolations();
    }
}
