package cloud.pinata.revokebot;

import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.config.Secret;
import cloud.pinata.revokebot.metrics.BotMetrics;
import cloud.pinata.revokebot.storage.Database;
import cloud.pinata.revokebot.web.CachedProbe;
import cloud.pinata.revokebot.web.WebServer;
import cloud.pinata.revokebot.web.WhenReady;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Start-up's moving parts, so that the composition root only wires: opening and migrating the database (waiting up
 * to a minute for a server that cannot be reached yet) and starting the web server, each on its own thread while the
 * caller builds the clients; the readiness gate in front of Slack's route and what {@code /health} says meanwhile;
 * and, when start-up fails, stopping the web server and closing the database so that nothing is left behind.
 */
final class StartUp {
    private final CompletableFuture<Database> opening;
    private final CompletableFuture<Javalin> serving;
    private final WhenReady gate = new WhenReady();
    private final AtomicReference<Database> opened = new AtomicReference<>();
    private volatile String databaseWaiting;
    private final CachedProbe databaseUp;

    private StartUp(Config config, Tuning tuning, Clock clock, BotMetrics metrics) {
        var patience = Database.Patience.startUp(tuning.sleeper(), clock, why -> databaseWaiting = why);
        opening = CompletableFuture.supplyAsync(
                () -> {
                    var db = Database.open(config.database(), patience);
                    databaseWaiting = null;
                    return db;
                },
                thread("database"));
        // /health pings the database at most every 5 s, however often it is asked.
        databaseUp = new CachedProbe(() -> opened.get().ping(), Duration.ofSeconds(5), System::nanoTime);
        // Slack's route waits at the gate until the app is built; /health answers 503 until then.
        serving = CompletableFuture.supplyAsync(
                () -> {
                    var http = config.http();
                    var server = WebServer.create(
                            gate,
                            this::unavailable,
                            metrics::scrape,
                            new WebServer.Options(
                                    http.bindAddress(),
                                    config.port(),
                                    http.metricsToken().map(Secret::reveal),
                                    http.managementPort()));
                    server.start();
                    return server;
                },
                thread("web"));
    }

    /** Starts the database and the web server on their own threads. */
    static StartUp begin(Config config, Tuning tuning, Clock clock, BotMetrics metrics) {
        return new StartUp(config, tuning, clock, metrics);
    }

    /** What {@code /health} says: null when the bot can serve, otherwise why not. */
    private String unavailable() {
        if (gate.isOpen()) {
            return databaseUp.getAsBoolean() ? null : WebServer.DATABASE_DOWN;
        }
        var db = databaseWaiting;
        var other = gate.notReadyBecause();
        if (db == null) {
            return other;
        }
        return "starting: " + db + (other == null || other.equals("starting") ? "" : "; " + other);
    }

    /** Slack cannot be reached yet ({@code why} goes to /health); fails start-up if the database failed meanwhile. */
    void slackWaiting(String why) {
        gate.notReady(why);
        if (opening.isCompletedExceptionally()) {
            joined(opening);
        }
    }

    /** Slack answered; the rest of start-up goes on. */
    void slackReady() {
        gate.notReady("starting");
    }

    /** The database, once opened and migrated (waits for it); throws what opening it threw. */
    Database database() {
        var db = joined(opening);
        opened.set(db);
        return db;
    }

    /** The web server, once listening (waits for it); throws what starting it threw. */
    Javalin web() {
        return joined(serving);
    }

    /** Puts Slack's real handler behind the gate: requests waiting at it go on, and /health follows the database. */
    void ready(Handler slack) {
        gate.open(slack);
    }

    /**
     * Start-up failed with {@code e}: waits for the web server and the database if they are still starting, stops
     * and closes them (no port bound, no pool or migration left behind), and returns {@code e} to throw.
     */
    <T extends Throwable> T abandon(T e) {
        try {
            joined(serving).stop();
        } catch (RuntimeException | Error stopping) {
            if (stopping != e) {
                e.addSuppressed(stopping);
            }
        }
        try {
            joined(opening).close();
        } catch (RuntimeException | Error closing) {
            if (closing != e) {
                e.addSuppressed(closing);
            }
        }
        return e;
    }

    /** What a start-up thread produced, or the exception it threw (not wrapped). */
    private static <T> T joined(CompletableFuture<T> step) {
        try {
            return step.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static Executor thread(String what) {
        return task -> {
            var thread = new Thread(task, "start-up-" + what);
            thread.setDaemon(true);
            thread.start();
        };
    }
}
