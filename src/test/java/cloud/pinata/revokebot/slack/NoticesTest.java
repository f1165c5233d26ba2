package cloud.pinata.revokebot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.AuditEvent;
import cloud.pinata.revokebot.revocation.Notice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Slack's error codes reach users only when they look like error codes (mutation gap of issue 12). */
class NoticesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "missing_scope",
                "ratelimited",
                "http_500",
                "plan_upgrade_required",
                "team.access_denied",
                "a:b-c"
            })
    void realErrorCodesAreShown(String code) {
        assertEquals(code, AuditEvent.safeCode(code));
        assertTrue(Notices.text(new Notice.AdminCheckFailed(code)).contains("`" + code + "`"));
        assertTrue(Notices.text(new Notice.CardNotPosted(code, false)).contains("`" + code + "`"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<!channel> see <https://evil.example|the fix>",
                "`<@U0EVIL>`",
                "Missing Scope",
                "line\nbreak",
                "@here",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                ""
            })
    void anythingElseIsShownAsUnknownError(String error) {
        assertEquals("unknown_error", AuditEvent.safeCode(error));
        for (var message : new String[] {
            Notices.text(new Notice.AdminCheckFailed(error)), Notices.text(new Notice.CardNotPosted(error, false))
        }) {
            assertTrue(message.contains("`unknown_error`"), message);
            assertFalse(!error.isEmpty() && message.contains(error), message);
        }
        assertEquals("unknown_error", AuditEvent.safeCode(null));
    }
}
