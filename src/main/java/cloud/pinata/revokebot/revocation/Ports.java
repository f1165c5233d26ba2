package cloud.pinata.revokebot.revocation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The outside world as the revocation domain sees it; implemented by the Slack, Pinata and storage packages. */
public final class Ports {
    private Ports() {}

    /** Slack user groups: who is an admin. */
    public interface AdminDirectory {
        /** {@code fresh} bypasses any cache; it is always true before an irreversible action. */
        Membership check(String userId, boolean fresh);
    }

    /** Pinata's key-management API, as evidence (see {@link Evidence}) and the one revoke call. */
    public interface KeyService {
        /** The evidence before a card: active, revoked (V3), not an active key, or unavailable. */
        KeyLookup lookup(String apiKey);

        /** The same for several keys at the cost of one look; every requested key has an entry. */
        Map<String, KeyLookup> lookupAll(List<String> apiKeys);

        /** The revoke call with its retries; {@code Revoked} here means only "Pinata answered 2xx". */
        RevokeOutcome revoke(String apiKey, Attempts attempts);

        /** The key's state now, from fresh listings; {@code known} is what the request stored about it (may be null). */
        KeyState stateNow(String apiKey, KeyDetails known);

        /** A listing showed the key gone from the active list. */
        void learnRevoked(String apiKey, KeyDetails details);

        /** The key index has read the organisation's keys once: states can be read. */
        boolean ready();

        /**
         * {@code GET /data/testAuthentication} once with {@code leaked} as the credential (not the bot's), never
         * retried: does Pinata still accept the leaked JWT? Costs one request of the shared budget.
         */
        JwtProof testCredential(LeakedJwt leaked);
    }

    /** What a revoke in progress asks of its caller between attempts. */
    public interface Attempts {
        /** The process still holds the request's lease; false: send nothing more. */
        boolean stillHeld();

        /** The next attempt waits {@code delay} (Pinata's rate limit when {@code rateLimited}). */
        void waiting(java.time.Duration delay, boolean rateLimited);
    }

    /** Durable requests with atomic state transitions. */
    public interface RequestStore {
        void insert(RevocationRequest request);

        Optional<RevocationRequest> find(String id);

        /**
         * Moves a request out of {@code PENDING}; true for exactly one caller per request. {@code outcome} is
         * recorded for terminal states (null: the state's own name).
         */
        boolean leavePending(String id, RequestState to, String decidedBy, Instant at, Outcome outcome);

        /** Confirms a request: PENDING to REVOKING, with {@code owner} holding the lease; true for one caller only. */
        boolean startRevoking(String id, String decidedBy, String owner, Instant at);

        /**
         * Records the end of a {@code REVOKING} request; true if it was still {@code REVOKING} and {@code owner} still
         * held its lease.
         */
        boolean finishRevoking(
                String id, String owner, RequestState to, Outcome outcome, String detail, Integer pinataStatus);

        /** Remembers the card's message ts, once, while the request is still open. */
        void setCardTs(String id, String ts);

        /** Records one bulk key's outcome, once, while {@code owner} holds the lease; true if recorded. */
        boolean recordKeyOutcome(
                String id, String owner, int position, Outcome outcome, String detail, Integer pinataStatus);

        List<RevocationRequest> pendingExpiredBefore(Instant now, int limit);

        /**
         * Records what the check of a leaked JWT showed, while {@code owner} holds the REVOKING request's lease; true
         * if recorded.
         */
        boolean recordJwtProof(String id, String owner, JwtProof proof);

        /** PENDING requests with a card, not yet reminded about, past half their time ({@code now} still before expiry). */
        List<RevocationRequest> pendingPastHalfTime(Instant now, int limit);

        /** Marks the reminder sent, once: true for exactly one caller, and only while the request is pending. */
        boolean markReminded(String id, Instant at);

        /** The newest {@code limit} requests of one workspace, newest first (the App Home). */
        List<RevocationRequest> newestOf(String teamId, int limit);

        /** REVOKING requests whose lease was last renewed before {@code staleBefore}, stalest first. */
        List<RevocationRequest> revoking(Instant staleBefore, int limit);

        /** Renews {@code owner}'s lease on a REVOKING request; false when the request ended or another owner took it. */
        boolean renewLease(String id, String owner, Instant at);

        /**
         * Gives {@code owner}'s lease up at once (the process is stopping): no owner, lapsed, so that the next sweep of
         * any instance settles the request; false when {@code owner} no longer held it.
         */
        boolean releaseLease(String id, String owner);

        /** Takes over a REVOKING request whose lease lapsed before {@code staleBefore}; true for one caller only. */
        boolean claimLapsed(String id, String newOwner, Instant staleBefore, Instant at);
    }

    /** The append-only audit trail. */
    public interface AuditLog {
        void append(AuditRecord record);

        /** The newest {@code limit} records of every channel, newest first (operators' tools and tests). */
        List<AuditRecord> recent(int limit);

        /** The newest {@code limit} records of one channel of one workspace, newest first. */
        List<AuditRecord> recent(String teamId, String channelId, int limit);
    }

    /** Messages to Slack. Implementations never throw for delivery problems they can only log. */
    public interface Messenger {
        /** A message only {@code to.userId()} sees, in {@code to.channelId()}. */
        void tell(Caller to, Notice notice);

        /** Posts the confirmation card; returns its message ts, or the Slack error code on failure. */
        CardPost postCard(RevocationRequest request, KeyLookup lookup);

        /** Rewrites the card to show the request's current state. */
        void updateCard(RevocationRequest request);

        /** Posts the final result in the request's channel. */
        void postResult(RevocationRequest request);

        /** Shows one person the newest audit records. */
        void showHistory(Caller to, List<AuditRecord> records);

        /** Shows one person what Pinata says about a key. */
        void showStatus(Caller to, String apiKey, KeyLookup lookup);

        /**
         * The process stops while it works on {@code request}: the card says so, and that the request is settled by
         * what Pinata lists within about {@code settleWithin}.
         */
        void interrupted(RevocationRequest request, java.time.Duration settleWithin);

        /** Publishes {@code home} as the App Home tab of {@code userId} ({@code views.publish}). */
        void publishHome(String userId, Home home);

        /** Half the request's time has passed without a decision: one reminder in the card's thread, to the admins. */
        void remind(RevocationRequest request);

        /** A short message to the whole channel about a request in progress or a late correction. */
        void postNote(RevocationRequest request, Notice notice);
    }

    /** The pause between two keys of a bulk revocation, so Pinata's rate limit is respected. */
    @FunctionalInterface
    public interface Pacer {
        void pause() throws InterruptedException;
    }

    /** Outcome of posting a card. */
    public sealed interface CardPost {
        record Posted(String ts) implements CardPost {}

        record NotPosted(String error) implements CardPost {}
    }
}
