package cloud.pinata.revokebot.revocation;

import cloud.pinata.revokebot.revocation.Ports.AdminDirectory;
import cloud.pinata.revokebot.revocation.Ports.RequestStore;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * The card's two buttons and its expiry. Every click is checked again here, whoever sent it: the workspace and
 * channel, the card it came from, the state, the time, and a fresh admin check. Exactly one decision per request
 * wins, by an atomic conditional update in the store.
 */
final class Decisions {
    private static final int BATCH = 100;

    private final Policy policy;
    private final AdminDirectory admins;
    private final RequestStore requests;
    private final Revoker revoker;
    private final Outbox out;
    private final Leases leases;
    private final Clock clock;
    private final LeakedJwts leaked;

    Decisions(
            Policy policy,
            AdminDirectory admins,
            RequestStore requests,
            Revoker revoker,
            Outbox out,
            Leases leases,
            Clock clock,
            LeakedJwts leaked) {
        this.leaked = leaked;
        this.policy = policy;
        this.admins = admins;
        this.requests = requests;
        this.revoker = revoker;
        this.out = out;
        this.leases = leases;
        this.clock = clock;
    }

    /** A click on Revoke. Exactly one click per request reaches Pinata. */
    void confirm(Click click) {
        var clicker = click.clicker();
        var found = checkClick(click, AuditAction.CONFIRM);
        if (found == null) {
            return;
        }
        var about = AuditEvent.of(clicker, AuditAction.CONFIRM, null).about(found);
        if (policy.requireSecondAdmin() && clicker.userId().equals(found.requesterId())) {
            out.refuse(about.withOutcome("same_user"), new Notice.SecondAdminRequired());
            return;
        }
        var now = clock.instant();
        if (found.dryRun()) {
            // Every check a real confirmation passes has passed; stop before Pinata.
            if (!requests.leavePending(found.id(), RequestState.DRY_RUN_CONFIRMED, clicker.userId(), now, null)) {
                lostRace(clicker, AuditAction.CONFIRM, found.id());
                return;
            }
            leaked.drop(found.id());
            out.record(about.withOutcome(Outcome.DRY_RUN_CONFIRMED.code()));
            out.announce(found.id());
            return;
        }
        var owner = leases.newOwner();
        if (!requests.startRevoking(found.id(), clicker.userId(), owner, now)) {
            lostRace(clicker, AuditAction.CONFIRM, found.id());
            return;
        }
        // Renewals start before anything slow (the card update may retry against Slack).
        try (var lease = leases.hold(found.id(), owner)) {
            out.record(about.withOutcome("revoking"));
            out.refreshCard(found.id());
            revoker.revoke(clicker, found, lease);
        }
    }

    /** A click on Cancel: ends the request without calling Pinata. */
    void cancel(Click click) {
        var clicker = click.clicker();
        var found = checkClick(click, AuditAction.CANCEL);
        if (found == null) {
            return;
        }
        if (!requests.leavePending(found.id(), RequestState.CANCELLED, clicker.userId(), clock.instant(), null)) {
            lostRace(clicker, AuditAction.CANCEL, found.id());
            return;
        }
        leaked.drop(found.id());
        out.record(AuditEvent.of(clicker, AuditAction.CANCEL, "cancelled").about(found));
        out.refreshCard(found.id());
    }

    /** Ends every pending request whose time is up and rewrites its card; returns how many it ended. */
    int expireDue() {
        var count = 0;
        for (var r : requests.pendingExpiredBefore(clock.instant(), BATCH)) {
            if (expire(r)) {
                count++;
            }
        }
        return count;
    }

    /**
     * One reminder in the thread of every card still pending at half its time, once per request across restarts and
     * instances (the store marks it before it is sent); returns how many it sent.
     */
    int remindDue() {
        var count = 0;
        var now = clock.instant();
        for (var r : requests.pendingPastHalfTime(now, BATCH)) {
            if (!requests.markReminded(r.id(), now)) {
                continue;
            }
            var nobody = new Caller(r.teamId(), r.channelId(), null, null, null);
            out.record(AuditEvent.of(nobody, AuditAction.REMIND, "reminded").about(r));
            out.slack.remind(r);
            count++;
        }
        return count;
    }

    /** Common checks for both buttons; returns the pending request, or null after telling the clicker why not. */
    private RevocationRequest checkClick(Click click, AuditAction action) {
        var clicker = click.clicker();
        var requestId = click.requestId();
        var stored = requestId == null ? Optional.<RevocationRequest>empty() : requests.find(requestId);
        // A request id from another workspace or channel is treated exactly like an unknown one.
        if (stored.isEmpty()
                || !stored.get().teamId().equals(clicker.teamId())
                || !stored.get().channelId().equals(clicker.channelId())) {
            out.refuse(AuditEvent.of(clicker, action, "unknown_request"), new Notice.UnknownRequest());
            return null;
        }
        var request = stored.get();
        var about = AuditEvent.of(clicker, action, null).about(request);
        if (request.cardTs() == null && click.messageTs() != null) {
            // Slack shows the card before the bot has read its answer to chat.postMessage (or saved the ts): a quick
            // click can come first. The click names its message, and only this app's messages carry its buttons;
            // the first message clicked is the card (the ts is set once, so the bot's own save then changes nothing).
            requests.setCardTs(request.id(), click.messageTs());
            request = requests.find(request.id()).orElse(request);
        }
        // Only the card the bot posted (and whose ts it saved) works: a duplicate from a retried post does not.
        if (request.cardTs() == null || !request.cardTs().equals(click.messageTs())) {
            out.refuse(about.withOutcome("stale_card"), new Notice.StaleCard());
            return null;
        }
        if (request.state() != RequestState.PENDING) {
            out.refuse(
                    about.withOutcome("already_" + request.state().name().toLowerCase(Locale.ROOT)),
                    new Notice.AlreadyDecided(request));
            return null;
        }
        if (!clock.instant().isBefore(request.expiresAt())) {
            expire(request);
            out.refuse(about.withOutcome("expired"), new Notice.Expired());
            return null;
        }
        var membership = admins.check(clicker.userId(), true);
        if (!(membership instanceof Membership.Member)) {
            out.refuseMembership(about, membership);
            return null;
        }
        return request;
    }

    private boolean expire(RevocationRequest request) {
        if (!requests.leavePending(request.id(), RequestState.EXPIRED, null, clock.instant(), null)) {
            return false;
        }
        leaked.drop(request.id());
        var nobody = new Caller(request.teamId(), request.channelId(), null, null, null);
        out.record(AuditEvent.of(nobody, AuditAction.EXPIRE, "expired").about(request));
        out.refreshCard(request.id());
        return true;
    }

    /** The conditional update found the request no longer pending (or out of time): say what it is now. */
    private void lostRace(Caller clicker, AuditAction action, String requestId) {
        out.reload(requestId).ifPresent(r -> {
            var about = AuditEvent.of(clicker, action, null).about(r);
            if (r.state() == RequestState.PENDING) {
                // Still pending: the update failed because the request ran out of time meanwhile.
                expire(r);
                out.refuse(about.withOutcome("expired"), new Notice.Expired());
            } else {
                out.refuse(about.withOutcome("lost_race"), new Notice.AlreadyDecided(r));
            }
        });
    }
}
