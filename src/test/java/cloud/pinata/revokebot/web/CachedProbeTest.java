package cloud.pinata.revokebot.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** /health's database check: one probe per interval however often it is asked, and a change seen after it. */
class CachedProbeTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicBoolean databaseUp = new AtomicBoolean(true);
    private final CachedProbe probe = new CachedProbe(
            () -> {
                probes.incrementAndGet();
                return databaseUp.get();
            },
            Duration.ofSeconds(5),
            now::get);

    @Test
    void aThousandHealthChecksWithinTheIntervalCostOneProbe() {
        for (int i = 0; i < 1_000; i++) {
            assertTrue(probe.getAsBoolean());
            now.addAndGet(Duration.ofMillis(4).toNanos());
        }
        assertEquals(1, probes.get());
    }

    @Test
    void anOutageIsSeenOnceTheIntervalHasPassed() {
        assertTrue(probe.getAsBoolean());
        databaseUp.set(false);
        now.addAndGet(Duration.ofSeconds(5).minusNanos(1).toNanos());
        assertTrue(probe.getAsBoolean(), "still the cached answer");
        now.addAndGet(1);
        assertFalse(probe.getAsBoolean(), "asked again after 5 s");
        assertEquals(2, probes.get());
    }
}
