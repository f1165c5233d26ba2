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
import cloud.pinata.revokebot.support.LogCapture;
import cloud.pinata.revokebot.support.TestJwt;
import cloud.pinata.revokebot.support.WholeAppTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The message shortcut "Revoke leaked Pinata key": on a message with a JWT, with a key id, with nothing. */
class MessageShortcutTest extends WholeAppTest {
    static final String MESSAGE_TS = "1764640000.000100";
    static final String LEAKED = TestJwt.forKey(KEY, "3c".repeat(32));

    LogCapture logs;

    @BeforeEach
    void startBot() {
        logs = new LogCapture();
        h.start();
    }

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    @Test
    void aMessageWithALeakedJwtInACodeBlockStartsTheFlowInItsThread() {
        var ack = h.messageShortcut(
                ADMIN, CHANNEL, "oops, from the CI log:\n```PINATA_JWT=" + LEAKED + "\nOTHER=1```", MESSAGE_TS, null);
        assertEquals(200, ack.statusCode());
        assertEquals("", ack.body(), "an empty ack: the answers come later");

        var id = h.awaitCardRequestId(1);
        var card = h.slack.calls("chat.postMessage").get(0);
        assertEquals(MESSAGE_TS, card.param("thread_ts"), "a reply in the message's thread");
        assertEquals(CHANNEL, card.param("channel"));
        assertTrue(card.blocksText().contains("Leaked JWT of key `a1b2…c9d0` (ci-deploy)"), card.blocksText());
        await(
                "told to delete the message",
                () -> h.slack.privateMessages().stream()
                        .anyMatch(m -> m.contains("still holds the secret")
                                && m.contains("cannot delete another person's message")));

        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("revoked", () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
        await(
                "result posted",
                () -> h.slack.calls("chat.postMessage").stream()
                        .anyMatch(c -> c.shownText().contains("Pinata now refuses the leaked credential (HTTP 401)")
                                && MESSAGE_TS.equals(c.param("thread_ts"))));
        assertEquals(1, h.pinata.revokeCalls().size());
        assertEquals(1, h.pinata.credentialChecks().size());
        for (var part : LEAKED.split("\\.")) {
            if (part.length() > 40) {
                assertFalse(logs.all().contains(part), "logs");
                assertTrue(
                        h.slack.calls().stream().noneMatch(c -> c.everything().contains(part)), "Slack");
                assertFalse(h.databaseDump().contains(part), "database");
            }
        }
    }

    @Test
    void aMessageWithAKeyIdStartsTheFlowForThatKey() {
        h.messageShortcut(
                ADMIN,
                CHANNEL,
                "the deploy key a1b2c3d4e5f6a7b8c9d0 is in the public repo (commit 3f2a1b7c)",
                MESSAGE_TS,
                "1764630000.000001");
        var id = h.awaitCardRequestId(1);
        var card = h.slack.calls("chat.postMessage").get(0);
        assertEquals("1764630000.000001", card.param("thread_ts"), "a reply joins the thread it is in");
        assertTrue(card.blocksText().contains("a1b2…c9d0"), card.blocksText());
        assertFalse(card.blocksText().contains("Leaked JWT"), card.blocksText());
        assertEquals(KEY, h.bot().requests().find(id).orElseThrow().apiKey());
        await(
                "told to delete the message",
                () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("delete it")));
        assertTrue(
                h.bot().audit().recent(5).stream()
                        .anyMatch(a -> "card_posted".equals(a.outcome())
                                && a.reason().equals("found in a message (message shortcut)")),
                "the message's text is not the reason");
    }

    @Test
    void aMessageWithNothingToRevokeIsAnsweredOnlyToTheCaller() {
        h.messageShortcut(ADMIN, CHANNEL, "hello, the build of 3f2a1b7c is green", MESSAGE_TS, null);
        await(
                "told",
                () -> h.slack.privateMessages().stream()
                        .anyMatch(m -> m.contains("no Pinata key or JWT in this message")));
        assertTrue(h.slack.calls("respond").size() == 1, "through the shortcut's response_url");
        assertTrue(h.slack.calls("chat.postMessage").isEmpty(), "nothing in the channel");
        assertTrue(h.pinataCallsSinceStart().isEmpty());
        assertEquals("nothing_found", h.bot().audit().recent(1).get(0).outcome());
    }

    @Test
    void theSameChecksApply() {
        h.messageShortcut(OUTSIDER, CHANNEL, "key a1b2c3d4e5f6a7b8c9d0", MESSAGE_TS, null);
        await(
                "refused",
                () -> h.slack.privateMessages().stream()
                        .anyMatch(m -> m.contains("Only members of the Pinata admin user group")));
        assertTrue(h.slack.calls("chat.postMessage").isEmpty());
    }

    @Test
    void aNonAdminIsRefusedBeforeTheScanSaysAnything() {
        h.messageShortcut(OUTSIDER, CHANNEL, "hello, nothing secret here", MESSAGE_TS, null);
        await(
                "refused",
                () -> h.slack.privateMessages().stream()
                        .anyMatch(m -> m.contains("Only members of the Pinata admin user group")));
        assertTrue(h.slack.privateMessages().stream().noneMatch(m -> m.contains("no Pinata key or JWT")));
        assertEquals("not_admin", h.bot().audit().recent(1).get(0).outcome());
    }
}
