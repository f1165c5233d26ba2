package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.BotHarness.OUTSIDER;
import static cloud.pinata.revokebot.support.Eventually.await;
import static cloud.pinata.revokebot.support.Eventually.awaitValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.WholeAppTest;
import org.junit.jupiter.api.Test;

/** The App Home tab: an admin sees what waits and the latest outcomes, where they may see; anyone else how to ask. */
class AppHomeTest extends WholeAppTest {
    static final String KEY2 = "f0e1d2c3b4a5968778695a4b";
    static final String PRIVATE = "C0PRIVATE";

    @Test
    void anAdminSeesWaitingCardsWithLinksAndOutcomesOnlyWhereTheyActed() {
        h.pinata.addKey(KEY2, "secret-project", false, "d".repeat(64));
        h.pinata.addKey("0a1b2c3d4e5f60718293", "old", false, "c".repeat(64));
        h.start();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        var waiting = h.awaitCardRequestId(1);
        h.command(ADMIN, CHANNEL, "0a1b2c3d4e5f60718293 rotate");
        var cancelled = h.awaitCardRequestId(2);
        h.click("revoke_cancel", ADMIN2, CHANNEL, cancelled);
        await(
                "cancelled",
                () -> h.bot().requests().find(cancelled).orElseThrow().state() == RequestState.CANCELLED);
        h.command(ADMIN2, PRIVATE, KEY2 + " private incident"); // a channel ADMIN never used the bot in
        h.awaitCardRequestId(3);

        assertEquals(200, h.appHomeOpened(ADMIN).statusCode());
        var publish = awaitValue(
                "views.publish",
                () -> h.slack.calls("views.publish").stream().findFirst().orElse(null));
        assertEquals(ADMIN, publish.param("user_id"));
        var view = publish.param("view");
        assertTrue(view.contains("Waiting for a decision"), view);
        assertTrue(view.contains("a1b2…c9d0"), view);
        var ts = h.cardTsOf(waiting).replace(".", "");
        assertTrue(view.contains("https://slack.com/archives/" + CHANNEL + "/p" + ts + "|open the card"), view);
        assertTrue(view.contains("Latest outcomes") && view.contains("was cancelled"), view);
        assertTrue(view.contains("1 more request waits"), view);
        assertFalse(
                view.contains(PRIVATE)
                        || view.contains("secret-project")
                        || view.contains("f0e1…5a4b")
                        || view.contains("private incident"),
                "nothing of a channel the admin was not seen in: " + view);
    }

    @Test
    void anyoneElseSeesWhatTheBotDoesAndHowToAsk() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        h.awaitCardRequestId(1);
        h.appHomeOpened(OUTSIDER);
        var publish = awaitValue(
                "views.publish",
                () -> h.slack.calls("views.publish").stream().findFirst().orElse(null));
        assertEquals(OUTSIDER, publish.param("user_id"));
        var view = publish.param("view");
        assertTrue(view.contains("\"type\":\"home\""), view);
        assertTrue(view.contains("/pinata-revoke") && view.contains("Revoke leaked Pinata key"), view);
        assertFalse(view.contains("Waiting for a decision") || view.contains("a1b2…c9d0"), view);
    }
}
