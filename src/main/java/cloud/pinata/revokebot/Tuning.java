package cloud.pinata.revokebot;

import cloud.pinata.revokebot.retry.RetryPolicy;

import java.time.Duration;

/**
 * Timeouts, retries and pool sizes: fixed for production ({@link #production()}), shortened by tests so that
 * fault scenarios run in milliseconds instead of the real back-off times.
 */
public record Tuning(
        Duration pinataConnectTimeout,
        Duration pinataReadTimeout,
        RetryPolicy pinataRetry,
        RetryPolicy slackRetry,
        int workers,
        int queue,
        Duration sweepEvery,
        Duration bulkPacing) {

    public static Tuning production() {
        return new Tuning(Duration.ofSeconds(3), Duration.ofSeconds(10), RetryPolicy.standard(),
                new RetryPolicy(3, Duration.ofMillis(300), Duration.ofSeconds(3), Duration.ofSeconds(15)),
                16, 2_000, Duration.ofSeconds(30),
                // Pinata's SDK pauses 300 ms between revocations; 429s are still honoured per call.
                Duration.ofMillis(300));
    }
}
