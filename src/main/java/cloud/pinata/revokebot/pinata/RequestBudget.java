package cloud.pinata.revokebot.pinata;

import cloud.pinata.revokebot.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The process's share of the organisation's Pinata requests: at most {@code perMinute} in any rolling minute (a log
 * of send times, not fixed windows, so a burst at a window's edge cannot reach twice the limit as Pinata counts it).
 * {@link Priority#URGENT} calls (a revocation in progress: the PUT and the reads that decide what to tell the channel)
 * may use the whole budget and go first; {@link Priority#BACKGROUND} calls (building and refreshing the key index)
 * leave a reserve and wait while an urgent call waits. A 429 pauses every caller until Pinata's {@code Retry-After}.
 *
 * <p>Hand-written rather than resilience4j's {@code RateLimiter}: that one counts fixed periods (up to twice the limit
 * in a rolling minute), has no priorities, and waits with a real sleep that tests cannot replace.
 */
public final class RequestBudget {
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Longest single wait before the caller looks again (a higher-priority caller may have come and gone). */
    private static final Duration POLL = Duration.ofMillis(250);

    /** Who goes first. */
    public enum Priority {
        URGENT,
        BACKGROUND
    }

    private final int perMinute;
    private final int backgroundLimit;
    private final Clock clock;
    private final RetryPolicy.Sleeper sleeper;
    private final ArrayDeque<Instant> sent = new ArrayDeque<>();
    private Instant pausedUntil = Instant.MIN;
    private int urgentWaiting;
    private long spent;

    /** {@code perMinute} requests a minute; background work keeps a fifth of them (at least one) free for revocations. */
    public RequestBudget(int perMinute, Clock clock, RetryPolicy.Sleeper sleeper) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1");
        }
        this.perMinute = perMinute;
        this.backgroundLimit = Math.max(1, perMinute - Math.max(1, perMinute / 5));
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** No limit, for one-off tools such as {@code doctor}. */
    public static RequestBudget unlimited() {
        return new RequestBudget(Integer.MAX_VALUE, Clock.systemUTC(), d -> {});
    }

    /** Waits until a request may be sent, then counts it as sent. */
    public void acquire(Priority priority) throws InterruptedException {
        var counted = false;
        try {
            while (true) {
                Duration wait;
                synchronized (this) {
                    var now = clock.instant();
                    while (!sent.isEmpty() && !sent.peekFirst().plus(WINDOW).isAfter(now)) {
                        sent.pollFirst();
                    }
                    var limit = priority == Priority.URGENT ? perMinute : backgroundLimit;
                    var yielding = priority == Priority.BACKGROUND && urgentWaiting > 0;
                    if (now.isBefore(pausedUntil)) {
                        wait = Duration.between(now, pausedUntil);
                    } else if (sent.size() < limit && !yielding) {
                        sent.addLast(now);
                        spent++;
                        return;
                    } else if (sent.size() >= limit) {
                        // The oldest of the last `limit` sends must leave the window.
                        var oldest = sent.stream()
                                .skip(sent.size() - limit)
                                .findFirst()
                                .orElse(now);
                        wait = Duration.between(now, oldest.plus(WINDOW));
                    } else {
                        wait = POLL;
                    }
                    if (priority == Priority.URGENT && !counted) {
                        urgentWaiting++;
                        counted = true;
                    }
                }
                sleeper.sleep(min(max(wait, Duration.ofMillis(1)), POLL.multipliedBy(4)));
            }
        } finally {
            if (counted) {
                synchronized (this) {
                    urgentWaiting--;
                }
            }
        }
    }

    /** Pinata said 429: nobody in this process sends before {@code retryAfter} has passed. */
    public synchronized void pause(Duration retryAfter) {
        var until = clock.instant().plus(retryAfter);
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
    }

    /** Requests counted since start, for benchmarks and {@code /metrics}. */
    public synchronized long spent() {
        return spent;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
