package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.support.LogCapture;
import cloud.pinata.revokebot.support.TestJwt;
import cloud.pinata.revokebot.support.WholeAppTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, finding 3, through the whole app: a JWT with a space after its first dot used to become the card's
 * reason (its payload holds scopedKeySecret), and a 64-hex secret split 32+32 two "keys" sent to Pinata. Both are
 * refused as pasted secrets, and no piece of them is stored, logged, posted or sent.
 */
class SplitSecretsTest extends WholeAppTest {
    LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = new LogCapture();
    }

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    @Test
    void aJwtSplitAfterItsFirstDotIsRefusedAndNoPieceOfItIsKept() {
        h.start();
        var leaked = TestJwt.forKey("0123456789abcdef0123", "9".repeat(64));
        var parts = leaked.split("\\.");
        var ack = h.command(ADMIN, CHANNEL, KEY + " " + parts[0] + ". " + parts[1] + "." + parts[2]);

        assertTrue(ack.body().contains("JWT"), ack.body());
        await("audited", () -> !h.bot().audit().recent(1).isEmpty());
        assertEquals("secret_pasted", h.bot().audit().recent(1).get(0).outcome());
        assertPiecesNowhere(List.of(parts[1], parts[2]), ack.body());
    }

    @Test
    void a64HexSecretSplit32Plus32IsRefusedAndNeitherHalfReachesPinata() {
        h.start();
        var secret = "0123456789abcdef".repeat(4);
        var halves = List.of(secret.substring(0, 32), secret.substring(32));
        var ack = h.command(ADMIN, CHANNEL, halves.get(0) + " " + halves.get(1) + " rotate this");

        assertTrue(ack.body().contains("API secret"), ack.body());
        await("audited", () -> !h.bot().audit().recent(1).isEmpty());
        assertEquals("secret_pasted", h.bot().audit().recent(1).get(0).outcome());
        assertPiecesNowhere(halves, ack.body());
    }

    private void assertPiecesNowhere(List<String> pieces, String ack) {
        assertTrue(h.slack.calls("chat.postMessage").isEmpty(), "no card");
        assertTrue(h.pinataCallsSinceStart().isEmpty(), "Pinata not asked");
        for (var piece : pieces) {
            assertFalse(ack.contains(piece), "ack");
            assertFalse(logs.all().contains(piece), "logs");
            assertFalse(h.databaseDump().contains(piece), "database");
            for (var call : h.slack.calls()) {
                assertFalse(call.everything().contains(piece), "Slack call " + call.method());
            }
        }
    }
}
