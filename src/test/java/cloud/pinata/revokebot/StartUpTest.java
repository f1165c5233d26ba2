package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.storage.Database;
import cloud.pinata.revokebot.support.LogCapture;
import cloud.pinata.revokebot.support.WholeAppTest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

        assertTrue(
                String.valueOf(e.getMessage()).contains("invalid_auth")
                        || e.toString().contains("invalid_auth"),
                e.toString());
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
        assertTrue(
                h.get("/metrics").body().matches("(?s).*\\npinata_revoke_pending_requests 1(\\.0)?\\n.*"),
                "the pending gauge reads the database once it is open");
    }

    @Test
    void slackUnreachableAtStartUpIsRetriedWhileHealthSaysSoThenTheBotBecomesReadyByItself() throws Exception {
        h.slack.unreachable(true);
        var port = freePort();
        h.env("PORT", Integer.toString(port)).targetPort(port);
        try (var logs = new LogCapture()) {
            var starting = CompletableFuture.runAsync(h::start);

            await("/health: 503 Slack unreachable", () -> {
                var health = healthOrNull();
                return health != null
                        && health.statusCode() == 503
                        && health.body().contains("\"reason\":\"Slack unreachable: ");
            });
            // Down for attempt after attempt, as a deploy during a Slack or DNS outage would see: the bot keeps
            // trying. Its back-off waits move the harness's clock, so the attempts cost no wall time in waiting.
            await("auth.test retried 5 times", Duration.ofSeconds(20), () -> h.slack.refusedConnections() >= 5);
            assertFalse(starting.isDone(), "start-up neither failed nor pretended to be ready");
            var early = h.command(ADMIN, CHANNEL, KEY + " too early");
            assertEquals(
                    503, early.statusCode(), "not acknowledged, so Slack shows the command failed and nothing is lost");

            h.slack.unreachable(false);
            starting.get(20, TimeUnit.SECONDS);

            assertEquals(200, h.get("/health").statusCode());
            var authTests = h.slack.calls("auth.test").size();
            h.slack.failMethod("auth.test", "invalid_auth");
            assertEquals(200, h.command(ADMIN, CHANNEL, KEY + " now").statusCode());
            h.awaitCardRequestId(1);
            assertEquals(
                    authTests,
                    h.slack.calls("auth.test").size(),
                    "the good auth.test answer is kept, never asked again");
            assertFalse(logs.all().contains("\tat "), "no stack trace: " + logs.all());
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("Slack unreachable: ")), "the outage is logged");
        }
    }

    @Test
    void slackErrorsOtherThanARejectedTokenAreRetried() {
        h.slack.script(
                "auth.test",
                new okhttp3.mockwebserver.MockResponse().setResponseCode(503),
                cloud.pinata.revokebot.support.FakeSlack.okFalse("internal_error"));
        h.start();
        assertEquals(3, h.slack.calls("auth.test").size(), "HTTP 503, ok:false internal_error, then ok");
        assertEquals(200, h.get("/health").statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid_auth", "not_authed", "account_inactive"})
    void aTokenSlackRejectsExitsWithStatus2AndOneLineNamingTheFix(String error) {
        var env = rejectedTokenEnvironment(error);
        try (var logs = new LogCapture()) {
            var run = InProcessMain.serve(env, h.clock, h.tuning());

            var stderr = run.err().strip();
            var everything = run.out() + stderr + logs.all();
            assertEquals(2, run.code(), everything);
            assertEquals(1, stderr.lines().count(), "one line: " + stderr);
            assertTrue(stderr.startsWith("Slack rejected SLACK_BOT_TOKEN (auth.test: " + error + "): "), stderr);
            assertTrue(stderr.contains("Bot User OAuth Token"), "names the fix: " + stderr);
            assertFalse(
                    everything.contains("\tat ") || everything.contains("Exception"), "no stack trace: " + everything);
            assertFalse(everything.contains(env.get("SLACK_BOT_TOKEN")), "the token is never printed");
        }
    }

    /** The same, as a real process: the status reaches the shell, and logging adds nothing to stderr's one line. */
    @Test
    void aRejectedTokenEndsTheProcessWithStatus2AndOneLineOnStderr() throws Exception {
        var env = rejectedTokenEnvironment("invalid_auth");
        var out = Files.createTempFile("bot-out", ".log");
        var err = Files.createTempFile("bot-err", ".log");
        var child = cloud.pinata.revokebot.support.ChildJvm.main(env)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the bot exits instead of retrying a rejected token");
        } finally {
            child.destroyForcibly();
        }
        var stderr = Files.readString(err).strip();
        var everything = Files.readString(out) + stderr;
        assertEquals(2, child.exitValue(), everything);
        assertEquals(1, stderr.lines().count(), "one line: " + stderr);
        assertTrue(stderr.startsWith("Slack rejected SLACK_BOT_TOKEN (auth.test: invalid_auth): "), stderr);
        assertFalse(everything.contains("\tat ") || everything.contains("Exception"), "no stack trace: " + everything);
        assertFalse(everything.contains(env.get("SLACK_BOT_TOKEN")), "the token is never printed");
    }

    /** The harness's environment with a token Slack refuses with {@code error} (a wrong token, or a scripted answer). */
    private java.util.Map<String, String> rejectedTokenEnvironment(String error) {
        if (!error.equals("invalid_auth")) {
            for (int i = 0; i < 3; i++) {
                h.slack.script("auth.test", cloud.pinata.revokebot.support.FakeSlack.okFalse(error));
            }
        }
        var env = new java.util.HashMap<>(h.environment());
        env.put("SLACK_BOT_TOKEN", error.equals("invalid_auth") ? "xoxb-0-not-the-token" : env.get("SLACK_BOT_TOKEN"));
        try {
            env.put("PORT", Integer.toString(freePort()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return env;
    }

    private static int freePort() throws java.io.IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private java.net.http.HttpResponse<String> healthOrNull() {
        try {
            return h.get("/health");
        } catch (IllegalStateException e) {
            return null; // not listening yet
        }
    }

    private static Set<Long> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("pinata-revoke-bot"))
                .map(Thread::getId)
                .collect(Collectors.toSet());
    }
}
