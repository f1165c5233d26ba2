package cloud.pinata.revokebot.revocation;

import cloud.pinata.revokebot.revocation.Ports.KeyService;
import cloud.pinata.revokebot.revocation.Ports.RequestStore;
import java.time.Clock;

/**
 * A request left in {@code REVOKING} whose lease lapsed means its process died or stalled mid-call. This process
 * takes the lease over, reads Pinata's lists and settles the request by the evidence rules, never by revoking again.
 */
final class Recovery {
    private static final int BATCH = 100;

    private final KeyService keys;
    private final RequestStore requests;
    private final Revoker revoker;
    private final Outbox out;
    private final Leases leases;
    private final Clock clock;

    Recovery(KeyService keys, RequestStore requests, Revoker revoker, Outbox out, Leases leases, Clock clock) {
        this.keys = keys;
        this.requests = requests;
        this.revoker = revoker;
        this.out = out;
        this.leases = leases;
        this.clock = clock;
    }

    /** Settles every REVOKING request whose lease lapsed (stalest first); returns how many it settled. */
    int recoverInterrupted() {
        if (!keys.ready()) {
            // Without the key index every state would read "unknown": leave the requests for a later sweep.
            return 0;
        }
        var count = 0;
        var now = clock.instant();
        var staleBefore = now.minus(Leases.LEASE);
        for (var r : requests.revoking(staleBefore, BATCH)) {
            var owner = leases.newOwner();
            if (!requests.claimLapsed(r.id(), owner, staleBefore, now)) {
                continue;
            }
            try (var lease = leases.hold(r.id(), owner)) {
                if (settle(r, owner, lease)) {
                    count++;
                }
            }
        }
        return count;
    }

    private boolean settle(RevocationRequest r, String owner, Leases.Lease lease) {
        var system = new Caller(r.teamId(), r.channelId(), null, r.decidedBy(), null);
        if (!r.isBulk()) {
            // Recovery never checks a leaked JWT: the process that held it is gone (or gave it up); the result says so.
            var outcome = Evidence.afterCrash(r.details() != null, keys.stateNow(r.apiKey(), r.details()));
            return revoker.finish(system, AuditAction.RECOVER, r, outcome, owner);
        }
        for (var k : r.keys()) {
            if (k.outcome() != null) {
                continue;
            }
            var held = k.revokedBefore()
                    ? revoker.recordAlreadyRevoked(system, AuditAction.RECOVER, r, k, owner)
                    : lease.renew() && revoker.recordKeyOutcome(system, r, k, settleKey(k), owner);
            if (!held) {
                return false;
            }
        }
        return revoker.finishBulk(system, AuditAction.RECOVER, r, owner);
    }

    /** A bulk key nobody finished: skipped keys stay skipped; the others are settled by what Pinata lists now. */
    private RevokeOutcome settleKey(RequestKey k) {
        if (k.lookupNote() == LookupNote.NOT_ACTIVE) {
            return Revoker.notActive();
        }
        return Evidence.afterCrash(k.details() != null, keys.stateNow(k.apiKey(), k.details()));
    }
}
