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

    /**
     * A fresh owner token for one confirmation or one take-over: this process's name and a random part, so that a
     * process never mistakes a lease it took earlier (and may still be working on) for the one it is taking now.
     */
    public String newOwner() {
        var bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return owner + "/" + java.util.HexFormat.of().formatHex(bytes);
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final java.util.Set<Lease> active = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Starts renewing the lease {@code token} holds on {@code requestId} (taken by confirming or claiming it). */
    public Lease hold(String requestId, String token) {
        var lease = new Lease(requestId, token);
        active.add(lease);
        return lease;
    }

    /** The leases this process holds right now. */
    public java.util.List<Lease> active() {
        return java.util.List.copyOf(active);
    }

    /** One held lease; close it when the work ends. */
    public final class Lease implements AutoCloseable {
        private final String requestId;
        private final String token;
        private final ScheduledFuture<?> renewal;
        private volatile boolean held = true;

        private Lease(String requestId, String token) {
            this.requestId = requestId;
            this.token = token;
            var ms = renewEvery.toMillis();
            this.renewal = ticker.scheduleAtFixedRate(
                    () -> {
                        try {
                            renew();
                        } catch (RuntimeException e) {
                            // A database hiccup: the next tick tries again; the lease lasts four ticks.
                        }
                    },
                    ms,
                    ms,
                    TimeUnit.MILLISECONDS);
        }

        /** Renews now; false once the lease is lost (and from then on). */
        public boolean renew() {
            if (held) {
                held = store.renewLease(requestId, token, clock.instant());
            }
            return held;
        }

        public boolean held() {
            return held;
        }

        public String requestId() {
            return requestId;
        }

        /** Gives the lease up now (the process is stopping): the worker's next renewal fails, and it sends nothing more. */
        public boolean release() {
            held = false;
            return store.releaseLease(requestId, token);
        }

        public String owner() {
            return token;
        }

        @Override
        public void close() {
            active.remove(this);
            renewal.cancel(false);
        }
    }
}
