package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.WholeAppTest;
import org.junit.jupiter.api.Test;

/** An "error" from Slack (or whatever answers in its place) that is not an error code never reaches the user as sent. */
class SlackErrorCodesTest extends WholeAppTest {
    static final String HOSTILE = "<!channel> see <https://evil.example|the fix>";

    @Test
    void aHostileErrorFromTheUserGroupLookupIsShownAsUnknownError() {
        h.start();
        h.slack.failGroup(BotHarness.ADMINS, HOSTILE);
        h.command(ADMIN, CHANNEL, KEY);
        await("denial", () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("couldn't verify")));
        var denial = h.slack.privateMessages().stream()
                .filter(m -> m.contains("couldn't verify"))
                .findFirst()
                .orElseThrow();
        assertTrue(denial.contains("`unknown_error`"), denial);
        assertTrue(
                h.slack.calls().stream().noneMatch(c -> c.everything().contains("evil.example")),
                "never sent to Slack");
        assertEquals(
                "admin_check_failed:unknown_error",
                h.bot().audit().recent(1).get(0).outcome());
    }
}
