package cloud.pinata.revokebot.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Slack route while start-up finishes: the web server starts beside the rest of the bot, and a request that
 * arrives before the real handler is in place waits for it (at most {@link #WAIT_MILLIS}, inside Slack's 3 s),
 * then gets a 503 that Slack shows as a failed command: nothing was acknowledged, so nothing is lost.
 */
public final class WhenReady implements Handler {
    static final long WAIT_MILLIS = 2_000;

    private final CompletableFuture<Handler> target = new CompletableFuture<>();
    private volatile String notReady = "starting";

    /** Why the bot cannot serve yet, for {@code /health} (e.g. "Slack unreachable: ConnectException"). */
    public void notReady(String why) {
        notReady = why;
    }

    /** Null once open; otherwise why not. */
    public String notReadyBecause() {
        return isOpen() ? null : notReady;
    }

    /** Puts the real handler in place; requests waiting for it go on at once. */
    public void open(Handler handler) {
        target.complete(handler);
    }

    public boolean isOpen() {
        return target.isDone();
    }

    @Override
    public void handle(Context ctx) throws Exception {
        Handler handler;
        try {
            handler = target.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result("Starting up; try again in a moment");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result("Shutting down");
            return;
        }
        handler.handle(ctx);
    }
}
