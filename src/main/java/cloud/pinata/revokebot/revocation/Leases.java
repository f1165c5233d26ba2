package cloud.pinata.revokebot.revocation;

import cloud.pinata.revokebot.revocation.Ports.RequestStore;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Leases on REVOKING requests. The process that confirmed a request holds its lease and renews it on a ticker while
 * it works; every renewal is conditional on this process's owner token, so once another process has taken a lapsed
 * lease over, the renewal fails and the worker stops before its next call that changes anything.
 */
public final class Leases {
    /** How long a lease lasts without renewal; a crashed process's request is settled within this plus one sweep. */
    public static final Duration LEASE = Duration.ofSeconds(60);

    private final RequestStore store;
    private final Clock clock;
    private final String owner;
    private final ScheduledExecutorService ticker;
    private final Duration renewEvery;

    public Leases(RequestStore store, Clock clock, String owner, ScheduledExecutorService ticker, Duration renewEvery) {
        this.store = store;
        this.clock = clock;
        this.owner = owner;
        this.ticker = ticker;
        this.renewEvery = renewEvery;
    }

    /** This process's owner token. */
    public String owner() {
        return owner;
    }

    /** Starts renewing the lease this process took on {@code requestId} (by confirming or claiming it). */
    public Lease hold(String requestId) {
        return new Lease(requestId);
    }

    /** One held lease; close it when the work ends. */
    public final class Lease implements AutoCloseable {
        private final String requestId;
        private final ScheduledFuture<?> renewal;
        private volatile boolean held = true;

        private Lease(String requestId) {
            this.requestId = requestId;
            var ms = renewEvery.toMillis();
            this.renewal = ticker.scheduleAtFixedRate(() -> {
                try {
                    renew();
                } catch (RuntimeException e) {
                    // A database hiccup: the next tick tries again; the lease lasts four ticks.
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
        }

        /** Renews now; false once the lease is lost (and from then on). */
        public boolean renew() {
            if (held) {
                held = store.renewLease(requestId, owner, clock.instant());
            }
            return held;
        }

        public boolean held() {
            return held;
        }

        public String owner() {
            return owner;
        }

        @Override
        public void close() {
            renewal.cancel(false);
        }
    }
}
