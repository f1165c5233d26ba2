package cloud.pinata.revokebot.pinata;

import cloud.pinata.revokebot.pinata.RequestBudget.Priority;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link KeyIndex} built: a complete scan at start-up, in the background and at background priority (the
 * revoke calls go first), retried with a growing pause while Pinata cannot be read, then again every
 * {@code rebuildEvery} to notice keys revoked outside the bot.
 */
public final class KeyIndexer {
    private static final Logger log = LoggerFactory.getLogger(KeyIndexer.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(15);
    private static final Duration LAST_RETRY = Duration.ofMinutes(5);

    private KeyIndexer() {}

    public static void start(KeyIndex index, ScheduledExecutorService executor, Duration rebuildEvery) {
        executor.execute(() -> build(index, executor, rebuildEvery, FIRST_RETRY));
    }

    private static void build(
            KeyIndex index, ScheduledExecutorService executor, Duration rebuildEvery, Duration retry) {
        Duration next;
        try {
            index.rebuild(Priority.BACKGROUND);
            next = rebuildEvery;
        } catch (PinataException e) {
            var why = KeyIndex.Messages.lookupFailure(e);
            log.warn(
                    "Reading the organisation's keys failed ({}); trying again in {} s",
                    e.getMessage(),
                    retry.toSeconds());
            index.buildFailed(why);
            next = retry;
        } catch (RuntimeException e) {
            log.warn(
                    "Reading the organisation's keys failed unexpectedly ({}); trying again in {} s",
                    e,
                    retry.toSeconds());
            index.buildFailed("Pinata's answer could not be read");
            next = retry;
        }
        var after = next == rebuildEvery ? FIRST_RETRY : min(retry.multipliedBy(2), LAST_RETRY);
        try {
            executor.schedule(
                    () -> build(index, executor, rebuildEvery, after), next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // The bot is shutting down.
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
