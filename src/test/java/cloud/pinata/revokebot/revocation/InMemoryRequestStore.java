package cloud.pinata.revokebot.revocation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The request store's contract in memory, for the domain tier: every transition conditional and atomic, as the
 * SQL ones are (JdbcRequestStore is held to the same contract by the whole-app and storage tests).
 */
final class InMemoryRequestStore implements Ports.RequestStore {
    private final Map<String, RevocationRequest> rows = new HashMap<>();
    private final Map<String, String> owners = new HashMap<>();
    private final Map<String, Instant> heartbeats = new HashMap<>();
    /** Runs inside {@link #startRevoking} before the update: lets a test slip another decision in. */
    Runnable beforeStartRevoking = () -> {};

    @Override
    public synchronized void insert(RevocationRequest request) {
        rows.put(request.id(), request);
    }

    @Override
    public synchronized Optional<RevocationRequest> find(String id) {
        return Optional.ofNullable(rows.get(id));
    }

    @Override
    public synchronized boolean leavePending(
            String id, RequestState to, String decidedBy, Instant at, Outcome outcome) {
        if (!to.isTerminal()) {
            throw new IllegalArgumentException("PENDING leaves for REVOKING only through startRevoking");
        }
        var r = rows.get(id);
        if (r == null
                || r.state() != RequestState.PENDING
                || (to == RequestState.DRY_RUN_CONFIRMED && !at.isBefore(r.expiresAt()))) {
            return false;
        }
        rows.put(id, with(r, to, decidedBy, at, outcome != null ? outcome : Outcome.ending(to), null, null));
        return true;
    }

    @Override
    public boolean startRevoking(String id, String decidedBy, String owner, Instant at) {
        beforeStartRevoking.run();
        synchronized (this) {
            var r = rows.get(id);
            if (r == null || r.state() != RequestState.PENDING || !at.isBefore(r.expiresAt())) {
                return false;
            }
            rows.put(id, with(r, RequestState.REVOKING, decidedBy, at, null, null, null));
            owners.put(id, owner);
            heartbeats.put(id, at);
            return true;
        }
    }

    @Override
    public synchronized boolean finishRevoking(
            String id, String owner, RequestState to, Outcome outcome, String detail, Integer pinataStatus) {
        var r = rows.get(id);
        if (r == null || r.state() != RequestState.REVOKING || !owner.equals(owners.get(id))) {
            return false;
        }
        rows.put(id, with(r, to, r.decidedBy(), r.decidedAt(), outcome, detail, pinataStatus));
        return true;
    }

    @Override
    public synchronized void setCardTs(String id, String ts) {
        var r = rows.get(id);
        if (r != null && r.cardTs() == null && !r.state().isTerminal()) {
            rows.put(id, r.withCardTs(ts));
        }
    }

    @Override
    public boolean recordKeyOutcome(
            String id, String owner, int position, Outcome outcome, String detail, Integer status) {
        synchronized (this) {
            var r = rows.get(id);
            if (r == null || r.state() != RequestState.REVOKING || !owner.equals(owners.get(id))) {
                return false;
            }
            var keys = new ArrayList<>(r.keys());
            var k = keys.get(position);
            if (k.outcome() != null) {
                return false;
            }
            keys.set(
                    position,
                    new RequestKey(
                            k.position(),
                            k.apiKey(),
                            k.details(),
                            k.lookupNote(),
                            k.revokedBefore(),
                            outcome,
                            detail,
                            status));
            rows.put(id, r.withKeys(keys));
        }
        return true;
    }

    @Override
    public synchronized List<RevocationRequest> pendingExpiredBefore(Instant now, int limit) {
        return rows.values().stream()
                .filter(r -> r.state() == RequestState.PENDING && !now.isBefore(r.expiresAt()))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<RevocationRequest> revoking(Instant staleBefore, int limit) {
        return rows.values().stream()
                .filter(r -> r.state() == RequestState.REVOKING
                        && heartbeats.get(r.id()).isBefore(staleBefore))
                .sorted(Comparator.comparing(r -> heartbeats.get(r.id())))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized boolean renewLease(String id, String owner, Instant at) {
        var r = rows.get(id);
        if (r == null || r.state() != RequestState.REVOKING || !owner.equals(owners.get(id))) {
            return false;
        }
        heartbeats.put(id, at);
        return true;
    }

    @Override
    public synchronized boolean releaseLease(String id, String owner) {
        var r = rows.get(id);
        if (r == null || r.state() != RequestState.REVOKING || !owner.equals(owners.get(id))) {
            return false;
        }
        owners.remove(id);
        heartbeats.put(id, Instant.EPOCH);
        return true;
    }

    @Override
    public synchronized boolean claimLapsed(String id, String newOwner, Instant staleBefore, Instant at) {
        var r = rows.get(id);
        if (r == null
                || r.state() != RequestState.REVOKING
                || !heartbeats.get(id).isBefore(staleBefore)) {
            return false;
        }
        owners.put(id, newOwner);
        heartbeats.put(id, at);
        return true;
    }

    /** Another process takes the request over (as after a lapsed lease): this one's renewals fail from now on. */
    synchronized void takeOver(String id, String otherOwner) {
        owners.put(id, otherOwner);
    }

    /** When the lease was last renewed. */
    synchronized Instant heartbeat(String id) {
        return heartbeats.get(id);
    }

    private static RevocationRequest with(
            RevocationRequest r,
            RequestState state,
            String decidedBy,
            Instant decidedAt,
            Outcome outcome,
            String detail,
            Integer status) {
        return new RevocationRequest(
                r.id(),
                r.teamId(),
                r.channelId(),
                r.requesterId(),
                r.apiKey(),
                r.reason(),
                state,
                r.createdAt(),
                r.expiresAt(),
                decidedBy,
                decidedAt,
                outcome,
                detail,
                status,
                r.cardTs(),
                r.details(),
                r.dryRun(),
                r.keys(),
                r.leakedJwtSha256(),
                r.jwtProof(),
                r.remindedAt(),
                r.threadTs());
    }

    private static RevocationRequest with(RevocationRequest r, JwtProof proof, Instant remindedAt) {
        return new RevocationRequest(
                r.id(),
                r.teamId(),
                r.channelId(),
                r.requesterId(),
                r.apiKey(),
                r.reason(),
                r.state(),
                r.createdAt(),
                r.expiresAt(),
                r.decidedBy(),
                r.decidedAt(),
                r.outcome(),
                r.outcomeDetail(),
                r.pinataStatus(),
                r.cardTs(),
                r.details(),
                r.dryRun(),
                r.keys(),
                r.leakedJwtSha256(),
                proof,
                remindedAt,
                r.threadTs());
    }

    @Override
    public synchronized boolean recordJwtProof(String id, String owner, JwtProof proof) {
        var r = rows.get(id);
        if (r == null || r.state() != RequestState.REVOKING || !owner.equals(owners.get(id)) || r.jwtProof() != null) {
            return false;
        }
        rows.put(id, with(r, proof, r.remindedAt()));
        return true;
    }

    @Override
    public synchronized List<RevocationRequest> pendingPastHalfTime(Instant now, int limit) {
        return rows.values().stream()
                .filter(r -> r.state() == RequestState.PENDING
                        && r.remindedAt() == null
                        && r.cardTs() != null
                        && now.isBefore(r.expiresAt())
                        && !now.isBefore(r.createdAt()
                                .plus(java.time.Duration.between(r.createdAt(), r.expiresAt())
                                        .dividedBy(2))))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<RevocationRequest> newestOf(String teamId, int limit) {
        return rows.values().stream()
                .filter(r -> r.teamId().equals(teamId))
                .sorted(Comparator.comparing(RevocationRequest::createdAt).reversed())
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized boolean markReminded(String id, Instant at) {
        var r = rows.get(id);
        if (r == null || r.state() != RequestState.PENDING || r.remindedAt() != null) {
            return false;
        }
        rows.put(id, with(r, r.jwtProof(), at));
        return true;
    }
}
