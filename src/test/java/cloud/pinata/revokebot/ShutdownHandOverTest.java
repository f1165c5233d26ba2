package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.BotHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SIGTERM while Pinata hangs: the card says the revocation was interrupted, and the next instance settles it. */
class ShutdownHandOverTest {
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    BotHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new BotHarness().shutdownGrace(Duration.ofMillis(500));
        h.pinata.addKey(KEY, "ci-deploy", false, "f".repeat(64));
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    @Test
    void aStopWhilePinataHangsRewritesTheCardAndTheNextInstanceSettlesIt() throws Exception {
        h.pinata.holdRevokes();
        h.start();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        h.pinata.awaitHeld();

        h.bot().close(); // as on SIGTERM: the worker is still waiting on Pinata when the grace ends

        assertTrue(
                h.slack.calls("chat.update").stream()
                        .anyMatch(
                                c -> c.param("text") != null && c.param("text").contains("was interrupted")),
                "the card says the revocation was interrupted");
        h.pinata.release(); // Pinata finishes the PUT it received
        await("Pinata revoked the key", () -> h.pinata.isRevoked(KEY));

        // No lease to wait out (it was given up): the next instance settles the request at start-up, by evidence.
        h.start();
        await("settled", () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
        assertEquals("verified", h.bot().requests().find(id).orElseThrow().outcomeDetail());
        assertEquals(1, h.pinata.revokeCalls().size(), "never revoked twice");
        await(
                "result posted",
                () -> h.slack.calls("chat.postMessage").stream()
                        .anyMatch(c -> c.shownText().contains("has been revoked")));
    }
}
