package cloud.pinata.revokebot.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How hard to try a Pinata call: at most {@code maxAttempts}, full-jitter exponential backoff from {@code baseDelay}
 * capped at {@code maxDelay}, and never past {@code deadline} in total (a {@code Retry-After} beyond it ends the tries).
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration deadline) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0 || deadline.isNegative()) {
            throw new IllegalArgumentException("delays must be non-negative, maxDelay >= baseDelay");
        }
    }

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public static RetryPolicy standard() {
        return new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(4), Duration.ofSeconds(25));
    }

    /** Seconds from an HTTP {@code Retry-After} header (the delta-seconds form), or -1 when absent or unreadable. */
    public static long retryAfterSeconds(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Delay before attempt {@code attempt + 1} (attempt counts from 1), honouring a server's Retry-After. */
    public Duration delayAfter(int attempt, long retryAfterSeconds) {
        if (retryAfterSeconds >= 0) {
            return Duration.ofSeconds(retryAfterSeconds);
        }
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }
}
