package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.revocation.RevocationService;
import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.BotProcess;
import cloud.pinata.revokebot.support.FakePinata;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bot is killed (SIGKILL, as an OOM-killer or a dyno restart would) while Pinata is answering the revoke.
 * A new process on the same database settles the request from Pinata's key list and says so on the card.
 */
class CrashRecoveryTest {
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";

    BotHarness h;
    BotProcess child;

    @BeforeEach
    void setUp() throws Exception {
        h = new BotHarness();
        h.pinata.addKey(KEY, "ci-deploy", false, "f".repeat(64));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (child != null) {
            child.close();
        }
        h.close();
    }

    @Test
    void requestKilledMidRevokeEndsRevokedWhenPinataDidRevoke() throws Exception {
        var id = killDuringRevoke();
        h.pinata.release(); // Pinata finishes the revoke the dead process asked for
        await("Pinata revoked the key", () -> h.pinata.isRevoked(KEY));

        h.clock.advance(RevocationService.REVOKING_LEASE.plusMinutes(10)); // the dead process's lease runs out
        var started = System.nanoTime();
        h.start();
        await("recovered", () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
        System.out.printf(
                "Recovery at start-up: request settled %d ms after start() returned%n",
                (System.nanoTime() - started) / 1_000_000);
        assertEquals("verified", h.bot().requests().find(id).orElseThrow().outcomeDetail());
        await(
                "card rewritten",
                () -> h.slack.calls("chat.update").stream()
                        .anyMatch(c -> c.blocksText().contains("revoked")));
        await(
                "result posted",
                () -> h.slack.calls("chat.postMessage").stream()
                        .anyMatch(c -> c.shownText().contains("has been revoked")));
        assertEquals(1, h.pinata.revokeCalls().size(), "recovery reads the state; it does not revoke again");
        assertTrue(h.bot().audit().recent(5).stream()
                .anyMatch(a -> a.action().equals("recover") && a.outcome().equals("revoked")));
    }

    @Test
    void requestKilledMidRevokeEndsFailedWhenKeyIsStillActive() throws Exception {
        h.pinata.scriptRevoke(FakePinata.json(503, "down"));
        var id = killDuringRevoke();
        h.pinata.release();
        h.clock.advance(RevocationService.REVOKING_LEASE.plusMinutes(10));
        h.start();
        await("recovered", () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.FAILED);
        var stored = h.bot().requests().find(id).orElseThrow();
        assertTrue(stored.outcomeDetail().contains("still lists the key as active"), stored.outcomeDetail());
        await(
                "result posted",
                () -> h.slack.calls("chat.postMessage").stream()
                        .anyMatch(c -> c.shownText().contains("was *not* revoked")));
        assertEquals(1, h.pinata.revokeCalls().size());
    }

    @Test
    void recoveryLeavesAloneARequestAnotherInstanceIsStillRevoking() throws Exception {
        h.start();
        var other = h.startAnother();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        var id = h.awaitCardRequestId(1);
        h.pinata.holdRevokes();
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        assertTrue(h.pinata.awaitHeld(), "the first instance is waiting on Pinata");
        h.clock.advance(RevocationService.REVOKING_LEASE.minusSeconds(5));
        assertEquals(0, other.service().recoverInterrupted(), "a live instance's request is not another's to settle");
        h.pinata.release();
        await(
                "revoked by its owner",
                () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
        assertEquals(1, h.pinata.revokeCalls().size());
    }

    /** Starts the bot as its own process, gets a click to Pinata, and kills the process there. */
    private String killDuringRevoke() throws Exception {
        child = BotProcess.start(h, Map.of());
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        var id = h.awaitCardRequestId(1);
        h.pinata.holdRevokes();
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        assertTrue(h.pinata.awaitHeld(), "the revoke reached Pinata");
        child.kill();
        assertEquals(RequestState.REVOKING.name(), stateInDatabase(id), "the crash left the request mid-call");
        return id;
    }

    private String stateInDatabase(String id) throws SQLException {
        try (var c = DriverManager.getConnection(h.jdbcUrl());
                var ps = c.prepareStatement("SELECT state FROM revocation_request WHERE id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
