package cloud.pinata.revokebot;

import cloud.pinata.revokebot.retry.RetryPolicy;
import java.time.Duration;

/**
 * Timeouts, retries, pool sizes and the waiting itself: fixed for production ({@link #production()}), shortened by
 * tests so that fault scenarios run in milliseconds, and with a {@code sleeper} that tests replace by one that moves
 * their clock instead of waiting (a 60 s Retry-After then costs no time).
 */
public record Tuning(
        Duration pinataConnectTimeout,
        Duration pinataReadTimeout,
        RetryPolicy pinataRetry,
        RetryPolicy slackRetry,
        int workers,
        int queue,
        Duration sweepEvery,
        Duration bulkPacing,
        Duration leaseRenewEvery,
        Duration indexFreshFor,
        Duration waitForIndex,
        Duration indexRebuildEvery,
        Duration shutdownGrace,
        RetryPolicy.Sleeper sleeper) {

    public static Tuning production() {
        return new Tuning(
                Duration.ofSeconds(3),
                Duration.ofSeconds(10),
                // The revoke call: up to two 60 s Retry-After waits fit the deadline; the lease is renewed meanwhile.
                new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(4), Duration.ofSeconds(150)),
                new RetryPolicy(3, Duration.ofMillis(300), Duration.ofSeconds(3), Duration.ofSeconds(15)),
                16,
                2_000,
                Duration.ofSeconds(30),
                // Pinata's SDK pauses 300 ms between revocations; 429s are still honoured per call.
                Duration.ofMillis(300),
                // A 60 s lease renewed every 15 s: a crashed instance's request is settled within 60 s + one sweep.
                Duration.ofSeconds(15),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                Duration.ofHours(6),
                // Within Heroku's 30 s between SIGTERM and SIGKILL, leaving time to hand in-flight work over.
                Duration.ofSeconds(20),
                d -> Thread.sleep(d.toMillis()));
    }

    public Tuning withSleeper(RetryPolicy.Sleeper newSleeper) {
        return new Tuning(
                pinataConnectTimeout,
                pinataReadTimeout,
                pinataRetry,
                slackRetry,
                workers,
                queue,
                sweepEvery,
                bulkPacing,
                leaseRenewEvery,
                indexFreshFor,
                waitForIndex,
                indexRebuildEvery,
                shutdownGrace,
                newSleeper);
    }
}
