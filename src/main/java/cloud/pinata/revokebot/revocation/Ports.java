package cloud.pinata.revokebot.revocation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The outside world as the revocation domain sees it; implemented by the Slack, Pinata and storage packages. */
public final class Ports {
    private Ports() {
    }

    /** Slack user groups: who is an admin. */
    public interface AdminDirectory {
        /** {@code fresh} bypasses any cache; it is always true before an irreversible action. */
        Membership check(String userId, boolean fresh);
    }

    /** Pinata's key-management API. */
    public interface KeyService {
        KeyLookup lookup(String apiKey);

        /** One pass over the key list for several keys; every requested key has an entry. */
        Map<String, KeyLookup> lookupAll(List<String> apiKeys);

        RevokeOutcome revoke(String apiKey);
    }

    /** Durable requests with atomic state transitions. */
    public interface RequestStore {
        void insert(RevocationRequest request);

        Optional<RevocationRequest> find(String id);

        /**
         * Moves a request out of {@code PENDING}; true for exactly one caller per request. {@code outcome} is
         * recorded for terminal states (null: the state's own name).
         */
        boolean leavePending(String id, RequestState to, String decidedBy, Instant at, String outcome);

        /** Records the end of a {@code REVOKING} request; true if it was still {@code REVOKING}. */
        boolean finishRevoking(String id, RequestState to, String outcome, String detail, Integer pinataStatus);

        /** Remembers the card's message ts, once, while the request is still open. */
        void setCardTs(String id, String ts);

        /** Records one bulk key's outcome, once. */
        void recordKeyOutcome(String id, int position, String outcome, String detail, Integer pinataStatus);

        List<RevocationRequest> pendingExpiredBefore(Instant now, int limit);

        /** REVOKING requests whose last heartbeat is before {@code staleBefore}: their process died mid-call. */
        List<RevocationRequest> revoking(Instant staleBefore, int limit);

        /** The owner of a REVOKING request is still working on it. */
        void heartbeat(String id, Instant at);
    }

    /** The append-only audit trail. */
    public interface AuditLog {
        void append(AuditRecord record);

        /** The newest {@code limit} records, newest first. */
        List<AuditRecord> recent(int limit);
    }

    /** Messages to Slack. Implementations never throw for delivery problems they can only log. */
    public interface Messenger {
        /** A message only {@code to.userId()} sees, in {@code to.channelId()}. */
        void tell(Caller to, String mrkdwn);

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
    }

    /** The pause between two keys of a bulk revocation, so Pinata's rate limit is respected. */
    @FunctionalInterface
    public interface Pacer {
        void pause() throws InterruptedException;
    }

    /** Outcome of posting a card. */
    public sealed interface CardPost {
        record Posted(String ts) implements CardPost { }

        record NotPosted(String error) implements CardPost { }
    }
}
