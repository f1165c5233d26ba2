package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.BotHarness.OUTSIDER;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.Outcome;
import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.WholeAppTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** help, history, status and --dry-run, over HTTP like every other command. */
class OperatorCommandsTest extends WholeAppTest {
    @BeforeEach
    void start() {
        h.start();
    }

    @Test
    void helpListsEverySubcommand() {
        var text = BotHarness.ackText(h.command(ADMIN, CHANNEL, "help"));
        // A raw "<key>" is a control sequence to Slack and vanishes; "&lt;key&gt;" is shown as <key>.
        assertFalse(text.contains("<key>"), text);
        for (var expected :
                new String[] {"--dry-run <key>", "status <key>", "history [N]", "/pinata-revoke <key> [reason…]"}) {
            assertTrue(BotHarness.rendered(text).contains(expected), expected + " in " + text);
        }
    }

    @Test
    void dryRunRendersTheCardAndConfirmingNeverRevokes() {
        h.command(ADMIN, CHANNEL, "--dry-run " + KEY + " drill");
        var id = h.awaitCardRequestId(1);
        var card = h.slack.calls("chat.postMessage").get(0).blocksText();
        assertTrue(card.contains("DRY RUN"), card);
        assertTrue(card.contains("drill"));
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("dry-run result", () -> h.slack.calls("chat.postMessage").size() == 2);
        assertTrue(h.pinata.calls().stream().allMatch(c -> c.method().equals("GET")), "only read calls reached Pinata");
        var stored = h.bot().requests().find(id).orElseThrow();
        assertEquals(RequestState.DRY_RUN_CONFIRMED, stored.state());
        assertEquals(Outcome.DRY_RUN_CONFIRMED, stored.outcome());
        var finalCard = h.slack.calls("chat.update").get(0).blocksText();
        assertTrue(finalCard.contains("Dry run confirmed"), finalCard);
        assertTrue(h.slack.calls("chat.postMessage").get(1).shownText().contains("nothing was revoked"));
        assertFalse(h.pinata.isRevoked(KEY));
    }

    @Test
    void dryRunStillRefusesNonAdminClicks() {
        h.command(ADMIN, CHANNEL, "--dry-run " + KEY);
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", OUTSIDER, CHANNEL, id);
        await("refusal", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("Only members")));
        assertEquals(
                RequestState.PENDING, h.bot().requests().find(id).orElseThrow().state());
    }

    @Test
    void historyIsForAdminsOnlyAndNewestFirst() {
        h.command(ADMIN, CHANNEL, "help");
        h.command(ADMIN, CHANNEL, "not-a-key");
        await("two audit records", () -> h.bot().audit().recent(10).size() == 2);

        h.command(OUTSIDER, CHANNEL, "history");
        await("outsider refused", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("Only members")));
        assertTrue(h.slack.privateMessages().stream().noneMatch(m -> m.contains("audit record")));

        h.command(ADMIN, CHANNEL, "history 2");
        var shown = awaitReply("audit record");
        assertTrue(shown.contains("Last 2 audit records"), shown);
        // Newest first: the outsider's refused history request, then the invalid input.
        assertTrue(shown.indexOf("not_admin") < shown.indexOf("invalid_input"), shown);
        assertFalse(shown.contains("→ *help*"), "only 2 records shown");
    }

    @Test
    void historyShowsOnlyTheChannelItIsAskedIn() {
        h.command(ADMIN, CHANNEL, "help");
        h.command(ADMIN, "C0ELSEWHERE", "not-a-key");
        await("two audit records", () -> h.bot().audit().recent(10).size() == 2);

        h.command(ADMIN, "C0ELSEWHERE", "history");
        var shown = awaitReply("audit record");
        assertTrue(shown.contains("invalid_input"), shown);
        assertFalse(shown.contains("→ *help*"), "a record of another channel is never shown: " + shown);
    }

    @Test
    void statusShowsWhatPinataSaysNow() {
        h.command(ADMIN, CHANNEL, "status " + KEY);
        var shown = awaitReply("is ");
        assertTrue(shown.contains("*active*") && shown.contains("ci-deploy"), shown);
        assertFalse(shown.contains("f".repeat(64)), "the listed secret is never shown");
        h.command(OUTSIDER, CHANNEL, "status " + KEY);
        await("outsider refused", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("Only members")));
        assertEquals("key_active", h.bot().audit().recent(2).get(1).outcome());
    }

    @Test
    void badSubcommandArgumentsGetUsage() {
        assertTrue(BotHarness.ackText(h.command(ADMIN, CHANNEL, "history 0")).contains("history"));
        assertTrue(BotHarness.ackText(h.command(ADMIN, CHANNEL, "status nope")).contains("status"));
        assertTrue(BotHarness.ackText(h.command(ADMIN, CHANNEL, "--dry-run")).contains("needs a key"));
    }

    private String awaitReply(String containing) {
        return cloud.pinata.revokebot.support.Eventually.awaitValue(
                "reply containing " + containing,
                () -> h.slack.privateMessages().stream()
                        .filter(m -> m.contains(containing))
                        .findFirst()
                        .orElse(null));
    }
}
