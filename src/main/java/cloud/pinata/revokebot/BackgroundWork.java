package cloud.pinata.revokebot;

import cloud.pinata.revokebot.pinata.KeyIndex;
import cloud.pinata.revokebot.revocation.RevocationService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs beside request handling: the sweep that ends expired requests, reminds admins of cards at half their
 * time and settles interrupted requests every {@code sweepEvery}, and, once at start-up, settling what a previous
 * process left mid-call.
 */
final class BackgroundWork {
    private static final Logger log = LoggerFactory.getLogger(BackgroundWork.class);

    private BackgroundWork() {}

    /**
     * Starts the sweep and the start-up recovery on two threads of their own (returned, to stop). The recovery may
     * wait a minute for the key index: it never holds one of the workers, which a shutdown would wait for.
     */
    static ScheduledExecutorService start(
            RevocationService service, KeyIndex index, Duration sweepEvery, ThreadFactory threads) {
        var scheduler = Executors.newScheduledThreadPool(2, threads);
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        // Expire, remind at half-time, settle interrupted requests.
                        service.sweep();
                    } catch (RuntimeException e) {
                        log.warn("Expiry sweep failed: {}", e.toString());
                    }
                },
                sweepEvery.toMillis(),
                sweepEvery.toMillis(),
                TimeUnit.MILLISECONDS);
        // Requests a previous process left mid-call are settled in the background; serving starts at once.
        scheduler.execute(() -> {
            var started = System.nanoTime();
            try {
                // Settling needs the key index (the evidence rules): wait for its first scan, a minute at most;
                // the sweep settles whatever is left later.
                index.awaitComplete(Duration.ofMinutes(1));
                var n = service.recoverInterrupted();
                if (n > 0) {
                    log.info(
                            "Recovered {} interrupted revocation(s) in {} ms",
                            n,
                            (System.nanoTime() - started) / 1_000_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error("Recovery of interrupted revocations failed: {}", e.toString());
            }
        });
        return scheduler;
    }
}
