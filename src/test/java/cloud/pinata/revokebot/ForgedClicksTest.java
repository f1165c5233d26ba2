package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.WholeAppTest;
import com.slack.api.app_backend.SlackSignature;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clicks take a fast path past Bolt's dispatcher (and so past Bolt's own signature check): the bot's check before it
 * is all there is. A forged, unsigned, stale or future-dated click on a real pending card gets 401 and changes
 * nothing: not the request, not the card, not Pinata, not the audit trail. (Mutation gaps of issue 12: the fast path
 * run before the signature check; the five-minute window dropped.)
 */
class ForgedClicksTest extends WholeAppTest {

    @ParameterizedTest
    @ValueSource(strings = {"forged", "unsigned", "stale", "future", "bad timestamp"})
    void aClickThatIsNotFreshlySignedBySlackGets401AndChangesNothing(String how) {
        h.start();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        var id = h.awaitCardRequestId(1);
        var slackCalls = h.slack.calls().size();
        var auditRows = h.tableDump("audit_log");
        var requestRows = h.tableDump("revocation_request");

        for (var action : new String[] {"revoke_confirm", "revoke_cancel"}) {
            var body = h.clickBody(action, ADMIN2, CHANNEL, id, "1700000000.000001");
            var now = Instant.now().getEpochSecond();
            var ts = switch (how) {
                case "stale" -> Long.toString(now - 5 * 60 - 30);
                case "future" -> Long.toString(now + 5 * 60 + 30);
                case "bad timestamp" -> "soon";
                default -> Long.toString(now);
            };
            var signature = switch (how) {
                case "forged" -> new SlackSignature.Generator("not-the-signing-secret").generate(ts, body);
                case "unsigned" -> null;
                default -> new SlackSignature.Generator(BotHarness.SIGNING_SECRET).generate(ts, body);
            };
            var response = h.post(body, how.equals("unsigned") ? null : ts, signature);
            assertEquals(401, response.statusCode(), how + " " + action + ": " + response.body());
        }

        // A correctly signed help command afterwards is answered and audited: the bot had time to act on the clicks.
        assertEquals(200, h.command(ADMIN, CHANNEL, "help").statusCode());
        cloud.pinata.revokebot.support.Eventually.await(
                "help audited", () -> h.tableDump("audit_log").contains("|help|"));
        assertEquals(
                RequestState.PENDING, h.bot().requests().find(id).orElseThrow().state());
        assertEquals(requestRows, h.tableDump("revocation_request"), "the request is untouched");
        assertTrue(h.tableDump("audit_log").startsWith(auditRows), "nothing recorded for the clicks");
        assertEquals(
                auditRows.lines().count() + 1, h.tableDump("audit_log").lines().count(), "only the help command");
        assertTrue(h.pinata.revokeCalls().isEmpty(), "Pinata not called");
        assertTrue(
                h.slack.calls().subList(slackCalls, h.slack.calls().size()).stream()
                        .allMatch(
                                c -> c.method().equals("respond") || c.method().equals("auth.test")),
                "no card update, no message in the channel");
    }
}
