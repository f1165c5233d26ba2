package cloud.pinata.revokebot;

import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.storage.Database;
import cloud.pinata.revokebot.support.WholeAppTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-up opens the database while it builds the Slack and HTTP clients; failures on either side stay clean. */
class StartUpTest extends WholeAppTest {

    @Test
    void databaseThatCannotBeOpenedFailsStartUpWithTheDatabasesOwnError() throws Exception {
        var blocker = Files.createTempFile("not-a-directory", ".txt");
        h.env("DATABASE_URL", "jdbc:sqlite:" + blocker.resolve("bot.db"));
        var config = Config.fromEnvironment(h.environment());
        var direct = assertThrows(RuntimeException.class, () -> Database.open(config.database()));

        var e = assertThrows(RuntimeException.class, h::start);

        // Not wrapped by the background opening: the same exception type and message operators would see before.
        assertFalse(e instanceof CompletionException, e.toString());
        assertEquals(direct.getClass(), e.getClass());
        assertEquals(direct.getMessage(), e.getMessage());
        Files.deleteIfExists(blocker);
    }

    @Test
    void rejectedSlackTokenFailsStartUpAndTheDatabaseOpenedMeanwhileIsClosed() {
        var before = poolThreads();
        h.env("SLACK_BOT_TOKEN", "xoxb-0-not-the-token");

        var e = assertThrows(RuntimeException.class, h::start);

        assertTrue(String.valueOf(e.getMessage()).contains("invalid_auth") || e.toString().contains("invalid_auth"), e.toString());
        // HikariPool threads are named after the pool; once the failed start-up closed the pool none of ours is left.
        await("the database pool opened in the background is closed", () -> {
            var now = poolThreads();
            now.removeAll(before);
            return now.isEmpty();
        });
    }

    @Test
    void portAlreadyInUseFailsStartUpAndLeavesNoDatabasePoolBehind() throws Exception {
        var before = poolThreads();
        try (var taken = new java.net.ServerSocket(0)) {
            h.env("PORT", Integer.toString(taken.getLocalPort()));

            assertThrows(RuntimeException.class, h::start);

            var now = poolThreads();
            now.removeAll(before);
            // Closed before start() threw, not some time later.
            assertTrue(now.isEmpty(), "pool threads left: " + now);
        }
    }

    @Test
    void botStartedInParallelServesAtOnce() {
        h.start();

        assertEquals(200, h.get("/health").statusCode());
        var ack = h.command(ADMIN, CHANNEL, KEY + " started");
        assertEquals(200, ack.statusCode());
        var id = h.awaitCardRequestId(1);
        assertTrue(h.bot().requests().find(id).isPresent(), "the request reached the database opened at start-up");
        assertTrue(h.get("/metrics").body().matches("(?s).*\\npinata_revoke_pending_requests 1(\\.0)?\\n.*"),
                "the pending gauge reads the database once it is open");
    }

    private static Set<Long> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("pinata-revoke-bot"))
                .map(Thread::getId)
                .collect(Collectors.toSet());
    }
}
