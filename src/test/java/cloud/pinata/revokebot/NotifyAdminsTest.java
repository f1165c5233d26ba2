package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMINS;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.support.WholeAppTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Nobody left waiting: the pending card mentions the admin group, and one reminder follows at half its time. */
class NotifyAdminsTest extends WholeAppTest {

    @Test
    void thePendingCardMentionsTheFirstAdminGroup() {
        h.env("ADMIN_USERGROUPS", ADMINS + ",S0OTHERS").start();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        h.awaitCardRequestId(1);
        var card = h.slack.calls("chat.postMessage").get(0).blocksText();
        assertTrue(card.contains("<!subteam^" + ADMINS + ">"), card);
        assertFalse(card.contains("S0OTHERS"), card);
    }

    @Test
    void notifyUsergroupIsMentionedInstead() {
        h.env("NOTIFY_USERGROUP", "S0ONCALL").start();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        h.awaitCardRequestId(1);
        var card = h.slack.calls("chat.postMessage").get(0).blocksText();
        assertTrue(card.contains("<!subteam^S0ONCALL>"), card);
        assertFalse(card.contains("<!subteam^" + ADMINS + ">"), card);
    }

    @Test
    void notifyAdminsFalseMentionsNobody() {
        h.env("NOTIFY_ADMINS", "false").start();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        var id = h.awaitCardRequestId(1);
        assertFalse(h.slack.calls("chat.postMessage").get(0).blocksText().contains("<!subteam^"));
        h.clock.advance(Duration.ofMinutes(6));
        h.bot().service().sweep();
        await("reminder", () -> h.bot().audit().recent(10).stream().anyMatch(a -> "reminded".equals(a.outcome())));
        var reminder = h.slack.calls("chat.postMessage").stream()
                .filter(c -> id != null && c.shownText().contains("Still waiting"))
                .findFirst()
                .orElseThrow();
        assertFalse(reminder.everything().contains("<!subteam^"), "the reminder mentions nobody either");
    }

    @Test
    void oneReminderInTheCardsThreadAtHalfTimeAcrossARestart() {
        h.start();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        var id = h.awaitCardRequestId(1);
        var ts = h.cardTsOf(id);
        h.clock.advance(Duration.ofMinutes(5).minusSeconds(1)); // the default TTL is 10 minutes
        h.bot().service().sweep();
        h.restart();
        h.bot().service().sweep();
        assertEquals(0, reminders().size(), "not before half time");

        h.clock.advance(Duration.ofSeconds(1));
        h.bot().service().sweep();
        await("reminder posted", () -> reminders().size() == 1);
        var reminder = reminders().get(0);
        assertEquals(ts, reminder.param("thread_ts"), "in the card's thread");
        assertEquals(CHANNEL, reminder.param("channel"));
        assertTrue(reminder.shownText().contains("<!subteam^" + ADMINS + ">"), reminder.shownText());
        assertTrue(reminder.shownText().contains("<@" + ADMIN + ">"), reminder.shownText());

        h.bot().service().sweep();
        h.restart(); // reminded_at is in the database: the new process does not remind again
        h.clock.advance(Duration.ofMinutes(1));
        h.bot().service().sweep();
        assertEquals(1, reminders().size(), "one reminder, even after a restart");
        assertEquals(
                "PENDING", h.bot().requests().find(id).orElseThrow().state().name());
    }

    private java.util.List<cloud.pinata.revokebot.support.FakeSlack.Call> reminders() {
        return h.slack.calls("chat.postMessage").stream()
                .filter(c -> c.shownText().contains("Still waiting for an admin"))
                .toList();
    }
}
