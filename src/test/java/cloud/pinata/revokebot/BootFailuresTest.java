package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.support.LogCapture;
import cloud.pinata.revokebot.support.WholeAppTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A failed start-up is one line naming the cause and the fix, with an exit status a supervisor can act on:
 * 2 for configuration, 3 for a dependency unreachable after retrying; no stack trace unless LOG_LEVEL=debug.
 */
class BootFailuresTest extends WholeAppTest {

    record Exit(int code, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    @Test
    void portInUseExitsTwoWithOneLine() throws Exception {
        try (var taken = new ServerSocket(0)) {
            var exit = inProcess(Map.of("PORT", Integer.toString(taken.getLocalPort())));

            assertEquals(2, exit.code(), exit.all());
            assertEquals(
                    List.of("Cannot listen on port " + taken.getLocalPort() + ": another process is using it. Fix: "
                            + "stop that process, or set PORT to a free port."),
                    exit.stderr().lines().toList());
            assertNoStackTrace(exit);
        }
    }

    @Test
    void sqliteDirectoryThatCannotBeCreatedExitsTwoWithOneLine() throws Exception {
        var file = Files.createTempFile("not-a-directory", ".txt");
        var exit = inProcess(Map.of("DATABASE_URL", "jdbc:sqlite:" + file.resolve("bot.db")));

        assertEquals(2, exit.code(), exit.all());
        var lines = exit.stderr().lines().toList();
        assertEquals(1, lines.size(), exit.stderr());
        assertTrue(
                lines.get(0)
                        .startsWith("Cannot create the directory for the SQLite database: " + file
                                + " exists and is not a directory. "),
                lines.get(0));
        assertTrue(
                lines.get(0)
                        .endsWith("Fix: point DATABASE_URL at a file in a directory the bot can create and "
                                + "write, e.g. jdbc:sqlite:/data/pinata-revoke-bot.db."),
                lines.get(0));
        assertNoStackTrace(exit);
        Files.delete(file);
    }

    @Test
    void withLogLevelDebugTheStackTraceFollows() throws Exception {
        var file = Files.createTempFile("not-a-directory", ".txt");
        var exit = bot(Map.of("DATABASE_URL", "jdbc:sqlite:" + file.resolve("bot.db"), "LOG_LEVEL", "debug"));

        assertEquals(2, exit.code(), exit.all());
        assertTrue(exit.stdout().contains("Start-up failed") && exit.stdout().contains("\tat "), exit.stdout());
        Files.delete(file);
    }

    @Test
    void postgresDownIsRetriedForAMinuteWhileHealthSaysSoThenExitsThree() throws Exception {
        var httpPort = freePort();
        h.env("DATABASE_URL", "postgres://bot:hunter2-db-password@127.0.0.1:" + freePort() + "/bot")
                .env("PORT", Integer.toString(httpPort))
                .targetPort(httpPort);
        // The first wait holds until /health has been read; every wait moves the harness's clock, not the wall clock.
        var firstWait = new CountDownLatch(1);
        var healthRead = new CountDownLatch(1);
        var waits = new AtomicInteger();
        var tuning = h.tuning().withSleeper(d -> {
            if (waits.incrementAndGet() == 1) {
                firstWait.countDown();
                healthRead.await(20, TimeUnit.SECONDS);
            }
            h.clock.advance(d);
        });
        var err = new ByteArrayOutputStream();
        try (var logs = new LogCapture()) {
            var main = new Main(
                    h.environment(),
                    new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    config -> PinataRevokeBot.start(config, h.clock, tuning));
            var exit = CompletableFuture.supplyAsync(main::execute);

            assertTrue(firstWait.await(20, TimeUnit.SECONDS), "the database was retried");
            await("/health answers", () -> healthOrNull() != null);
            var health = h.get("/health");
            healthRead.countDown();
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"reason\":\"starting: database unreachable\""), health.body());

            assertEquals(3, (int) exit.get(30, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
            var lines = err.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("Database unreachable: jdbc:postgresql://127.0.0.1:"), lines.get(0));
            assertTrue(
                    lines.get(0).contains("Connection refused") || lines.get(0).contains("ConnectException"),
                    lines.get(0));
            assertTrue(
                    lines.get(0)
                            .endsWith("Fix: check that the database server is running and reachable from this "
                                    + "host, and the host and port in DATABASE_URL."),
                    lines.get(0));
            assertTrue(waits.get() >= 10, "backoff from 500 ms to 5 s over 60 s: " + waits.get() + " waits");
            var waited = lines.get(0).replaceAll(".* over (\\d+) s\\).*", "$1");
            assertTrue(
                    Integer.parseInt(waited) >= 55 && Integer.parseInt(waited) <= 60,
                    "about a minute: " + lines.get(0));
            assertFalse(logs.all().contains("\tat "), "no stack trace at the default level: " + logs.all());
            assertFalse(
                    logs.all().contains("hunter2-db-password") || lines.get(0).contains("hunter2-db-password"),
                    "the password is never shown");
            assertTrue(
                    logs.lines().stream()
                            .anyMatch(l -> l.contains("Waiting for the database: ") && l.contains("(attempt 1)")),
                    "each attempt is logged: " + logs.all());
        }
        assertFalse(healthOrNull() != null, "the web server was stopped");
    }

    private static void assertNoStackTrace(Exit exit) {
        assertFalse(
                exit.all().contains("\tat ") || exit.all().contains("Exception in thread"),
                "no stack trace: " + exit.all());
        assertFalse(exit.all().contains(cloud.pinata.revokebot.support.TestJwt.bot()), "the JWT is never printed");
    }

    /**
     * {@code Main} in this JVM with the harness's environment plus {@code extra}: its status and what it printed,
     * with every log line added to stdout (a child JVM's logging goes there). A child JVM proves the status reaches
     * the shell and stderr holds the one line ({@code StartUpTest.aRejectedTokenEndsTheProcessWithStatus2…}).
     */
    private Exit inProcess(Map<String, String> extra) throws Exception {
        var env = new HashMap<>(h.environment());
        env.put("PORT", Integer.toString(freePort()));
        env.putAll(extra);
        try (var logs = new LogCapture()) {
            var run = InProcessMain.serve(env, h.clock, h.tuning());
            return new Exit(run.code(), run.out() + logs.all(), run.err());
        }
    }

    /** {@code java Main} with the harness's environment plus {@code extra}; waits for it to exit. */
    private Exit bot(Map<String, String> extra) throws Exception {
        var env = new HashMap<>(h.environment());
        env.put("PORT", Integer.toString(freePort()));
        env.putAll(extra);
        var pb = cloud.pinata.revokebot.support.ChildJvm.main(env);
        var out = Files.createTempFile("boot-out", ".log");
        var err = Files.createTempFile("boot-err", ".log");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        var child = pb.start();
        try {
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the bot exits");
        } finally {
            child.destroyForcibly();
        }
        return new Exit(child.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static int freePort() throws java.io.IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private java.net.http.HttpResponse<String> healthOrNull() {
        try {
            return h.get("/health");
        } catch (IllegalStateException e) {
            return null; // not listening
        }
    }
}
