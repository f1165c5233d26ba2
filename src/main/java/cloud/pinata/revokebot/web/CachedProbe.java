package cloud.pinata.revokebot.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A health probe (the database ping) run at most once per {@code ttl}, however often {@code /health} is asked:
 * a flood of health checks costs the database one query per interval. While one caller refreshes the answer, the
 * others get the previous one instead of waiting or querying too.
 */
public final class CachedProbe implements BooleanSupplier {
    private final BooleanSupplier probe;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile boolean up;
    private volatile long checkedAt;
    private volatile boolean checked;

    public CachedProbe(BooleanSupplier probe, Duration ttl, LongSupplier nanoTime) {
        this.probe = probe;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public boolean getAsBoolean() {
        if (checked && nanoTime.getAsLong() - checkedAt < ttlNanos) {
            return up;
        }
        if (!refreshing.compareAndSet(false, true)) {
            // Someone else is asking the database right now; the first caller of all waits for its own answer.
            return checked ? up : probe.getAsBoolean();
        }
        try {
            up = probe.getAsBoolean();
            checkedAt = nanoTime.getAsLong();
            checked = true;
            return up;
        } finally {
            refreshing.set(false);
        }
    }
}
