package cloud.pinata.revokebot.revocation;

import cloud.pinata.revokebot.revocation.Ports.AdminDirectory;
import cloud.pinata.revokebot.revocation.Ports.AuditLog;
import cloud.pinata.revokebot.revocation.Ports.CardPost;
import cloud.pinata.revokebot.revocation.Ports.KeyService;
import cloud.pinata.revokebot.revocation.Ports.Messenger;
import cloud.pinata.revokebot.revocation.Ports.RequestStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The revocation flow: command checks, the card, the one winning click, the Pinata call and the final state.
 * Runs after Slack has been acknowledged; every step leaves an audit record.
 */
public final class RevocationService {
    private static final Logger log = LoggerFactory.getLogger(RevocationService.class);
    private static final int SWEEP_BATCH = 100;
    /** How long a REVOKING request's lease lasts without renewal before another process may settle it. */
    public static final Duration REVOKING_LEASE = Leases.LEASE;
    /** The outcome of a confirmed dry run: everything checked, nothing revoked. */
    public static final String DRY_RUN_CONFIRMED = "dry_run_confirmed";

    private final Policy policy;
    private final AdminDirectory admins;
    private final KeyService keys;
    private final RequestStore requests;
    private final AuditLog audit;
    private final Messenger slack;
    private final Clock clock;
    private final Supplier<String> ids;
    private final Ports.Pacer pacer;
    private final Leases leases;

    public RevocationService(Policy policy, AdminDirectory admins, KeyService keys, RequestStore requests,
                             AuditLog audit, Messenger slack, Clock clock, Supplier<String> ids, Ports.Pacer pacer,
                             Leases leases) {
        this.pacer = pacer;
        this.leases = leases;
        this.policy = policy;
        this.admins = admins;
        this.keys = keys;
        this.requests = requests;
        this.audit = audit;
        this.slack = slack;
        this.clock = clock;
        this.ids = ids;
    }

    /** Records a command that was answered in the acknowledgement itself (help, bad input, a pasted secret). */
    public void recordAnsweredCommand(Caller caller, Command command) {
        String outcome;
        if (command instanceof Command.Help) {
            outcome = "help";
        } else if (command instanceof Command.SecretPasted) {
            outcome = "secret_pasted";
        } else if (command instanceof Command.Invalid) {
            outcome = "invalid_input";
        } else {
            throw new IllegalArgumentException("revoke commands are not answered in the ack");
        }
        record(caller, "command", null, null, null, outcome, null);
    }

    /** {@code status <key>} and {@code history [N]}: read-only, for admins, answered to the caller alone. */
    public void answerQuery(Caller caller, Command query) {
        var action = query instanceof Command.History ? "history" : "status";
        var membership = admins.check(caller.userId(), false);
        if (!(membership instanceof Membership.Member)) {
            denyMembership(caller, action, null, null, null, membership);
            return;
        }
        if (query instanceof Command.History history) {
            var records = audit.recent(history.limit());
            record(caller, action, null, null, null, "shown:" + records.size(), null);
            slack.showHistory(caller, records);
        } else if (query instanceof Command.Status status) {
            var lookup = keys.lookup(status.apiKey());
            record(caller, action, null, status.apiKey(), null, lookupOutcome(lookup), null);
            slack.showStatus(caller, status.apiKey(), lookup);
        }
    }

    private static String lookupOutcome(KeyLookup lookup) {
        if (lookup instanceof KeyLookup.Found f) {
            return f.details().revoked() ? "key_revoked" : "key_active";
        }
        return lookup instanceof KeyLookup.NotListed ? "key_not_listed" : "lookup_unavailable";
    }

    /** Everything after the ack for {@code /pinata-revoke <key> [reason]}: checks, look-up, card. */
    public void startRevocation(Caller caller, Command.Revoke command) {
        var key = command.apiKey();
        var reason = command.reason();
        if (!policy.channelAllowed(caller.channelId(), caller.channelName())) {
            deny(caller, key, reason, "channel_not_allowed", Messages.channelNotAllowed(policy));
            return;
        }
        var membership = admins.check(caller.userId(), false);
        if (!(membership instanceof Membership.Member)) {
            denyMembership(caller, "command", null, key, reason, membership);
            return;
        }
        if (command.apiKeys().stream().anyMatch(policy::isBotKey)) {
            deny(caller, key, reason, "self_key_refused", Messages.selfKey());
            return;
        }
        var lookups = keys.lookupAll(command.apiKeys());
        if (lookups.values().stream().allMatch(l -> l instanceof KeyLookup.Found f && f.details().revoked())) {
            deny(caller, key, reason, "already_revoked", Messages.alreadyRevoked(command.apiKeys()));
            return;
        }
        // A 200 for a key no listing shows active proves nothing: refuse before the card, naming the likely causes.
        var notActive = command.apiKeys().stream().filter(k -> lookups.get(k) instanceof KeyLookup.NotListed).toList();
        var revokedBefore = command.apiKeys().stream()
                .filter(k -> lookups.get(k) instanceof KeyLookup.Found f && f.details().revoked()).toList();
        if (notActive.size() + revokedBefore.size() == command.apiKeys().size()) {
            deny(caller, key, reason, "not_active_key", Messages.notActiveKeys(notActive, revokedBefore));
            return;
        }
        var lookup = lookups.get(key);
        var details = lookup instanceof KeyLookup.Found found ? found.details() : null;
        var bulk = new ArrayList<RequestKey>();
        if (command.apiKeys().size() > 1) {
            for (int i = 0; i < command.apiKeys().size(); i++) {
                var k = command.apiKeys().get(i);
                var l = lookups.get(k);
                var d = l instanceof KeyLookup.Found f ? f.details() : null;
                var note = l instanceof KeyLookup.NotListed ? RequestKey.NOT_ACTIVE
                        : l instanceof KeyLookup.Unavailable ? RequestKey.UNAVAILABLE : null;
                bulk.add(new RequestKey(i, k, d, note, d != null && d.revoked(), null, null, null));
            }
        }
        var now = clock.instant();
        var request = RevocationRequest.pending(ids.get(), caller, command, now, now.plus(policy.confirmTtl()), details, bulk);
        requests.insert(request);
        var post = slack.postCard(request, lookup);
        if (post instanceof CardPost.Posted posted) {
            requests.setCardTs(request.id(), posted.ts());
            record(caller, "command", request.id(), key, reason, request.dryRun() ? "dry_run_card_posted" : "card_posted", null);
        } else if (post instanceof CardPost.NotPosted failed) {
            // Nobody can click a card that does not exist: end the request now instead of leaving it pending.
            requests.leavePending(request.id(), RequestState.CANCELLED, null, now, "card_not_posted");
            record(caller, "command", request.id(), key, reason, "card_not_posted:" + Messages.safeCode(failed.error()), null);
            slack.tell(caller, Messages.cardNotPosted(failed.error(), caller));
        }
    }

    /** A click on Revoke. Exactly one click per request reaches Pinata. */
    public void confirm(Click click) {
        var clicker = click.clicker();
        var found = checkClick(click, "confirm");
        if (found == null) {
            return;
        }
        if (policy.requireSecondAdmin() && clicker.userId().equals(found.requesterId())) {
            deny(clicker, "confirm", found, "same_user", Messages.secondAdminRequired());
            return;
        }
        var now = clock.instant();
        if (found.dryRun()) {
            // Every check a real confirmation passes has passed; stop before Pinata.
            if (!requests.leavePending(found.id(), RequestState.CANCELLED, clicker.userId(), now, DRY_RUN_CONFIRMED)) {
                lostRace(clicker, "confirm", found.id());
                return;
            }
            record(clicker, "confirm", found.id(), found.apiKey(), found.reason(), DRY_RUN_CONFIRMED, null);
            announce(found.id());
            return;
        }
        var owner = leases.newOwner();
        if (!requests.startRevoking(found.id(), clicker.userId(), owner, now)) {
            lostRace(clicker, "confirm", found.id());
            return;
        }
        // Renewals start before anything slow (the card update may retry against Slack).
        try (var lease = leases.hold(found.id(), owner)) {
            record(clicker, "confirm", found.id(), found.apiKey(), found.reason(), "revoking", null);
            reload(found.id()).ifPresent(slack::updateCard);
            if (found.isBulk()) {
                revokeEach(clicker, found, lease);
                return;
            }
            RevokeOutcome outcome;
            try {
                outcome = revokeKey(found, found.apiKey(), found.details(), lease);
            } catch (RuntimeException e) {
                log.error("Unexpected error revoking request {}: {}", found.id(), e.toString());
                outcome = new RevokeOutcome.Unavailable(0, "internal error", true);
            }
            finish(clicker, "confirm", found, outcome, lease.owner());
        }
    }

    /**
     * One key: the revoke call (retried only while this process holds the lease), then, when the answer alone
     * cannot support a claim, the key's state read from Pinata; {@link Evidence} decides what may be said.
     */
    private RevokeOutcome revokeKey(RevocationRequest request, String apiKey, KeyDetails before, Leases.Lease lease) {
        var call = keys.revoke(apiKey, new Ports.Attempts() {
            @Override
            public boolean stillHeld() {
                return lease.renew();
            }

            @Override
            public void waiting(Duration delay, boolean rateLimited) {
                slack.postNote(request, Messages.waitingOnPinata(apiKey, delay, rateLimited));
            }
        });
        var listedActiveBefore = before != null && !before.revoked();
        var after = Evidence.needsStateAfter(call) ? keys.stateNow(apiKey, before) : null;
        var outcome = Evidence.afterCall(listedActiveBefore, call, after);
        if (after instanceof KeyState.ListedRevoked || after instanceof KeyState.NotActive) {
            keys.learnRevoked(apiKey, before);
        }
        return outcome;
    }

    /**
     * Recovery: a request left in {@code REVOKING} whose lease lapsed means its process died or stalled mid-call.
     * This process takes the lease over, reads Pinata's lists and settles the request by the evidence rules, never
     * by revoking again. Runs at start-up and with every sweep. Returns how many it settled.
     */
    public int recoverInterrupted() {
        if (!keys.ready()) {
            // Without the key index every state would read "unknown": leave the requests for a later sweep.
            return 0;
        }
        var count = 0;
        var now = clock.instant();
        var staleBefore = now.minus(REVOKING_LEASE);
        for (var r : requests.revoking(staleBefore, SWEEP_BATCH)) {
            var owner = leases.newOwner();
            if (!requests.claimLapsed(r.id(), owner, staleBefore, now)) {
                continue;
            }
            try (var lease = leases.hold(r.id(), owner)) {
                var system = new Caller(r.teamId(), r.channelId(), null, r.decidedBy(), null);
                if (r.isBulk()) {
                    var held = true;
                    for (var k : r.keys()) {
                        if (k.outcome() == null && held) {
                            held = k.revokedBefore()
                                    ? requests.recordKeyOutcome(r.id(), owner, k.position(), RequestKey.ALREADY_REVOKED, null, null)
                                    : lease.renew() && recordKeyOutcome(system, r, k, settleKey(k), owner);
                        }
                    }
                    if (held && finishBulk(system, "recover", r, owner)) {
                        count++;
                    }
                    continue;
                }
                var outcome = Evidence.afterCrash(r.details() != null, keys.stateNow(r.apiKey(), r.details()));
                if (finish(system, "recover", r, outcome, owner)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** A bulk key nobody finished: skipped keys stay skipped; the others are settled by what Pinata lists now. */
    private RevokeOutcome settleKey(RequestKey k) {
        if (RequestKey.NOT_ACTIVE.equals(k.lookupNote())) {
            return new RevokeOutcome.Refused(RevokeOutcome.Reason.NOT_ACTIVE, 0, null);
        }
        return Evidence.afterCrash(k.details() != null, keys.stateNow(k.apiKey(), k.details()));
    }

    /** A bulk request: each key in turn, paced, each outcome recorded as it happens; then the request's end. */
    private void revokeEach(Caller clicker, RevocationRequest request, Leases.Lease lease) {
        var first = true;
        for (var k : request.keys()) {
            if (k.outcome() != null) {
                continue;
            }
            if (k.revokedBefore()) {
                if (!requests.recordKeyOutcome(request.id(), lease.owner(), k.position(), RequestKey.ALREADY_REVOKED, null, null)) {
                    leaseLost(clicker, request);
                    return;
                }
                record(clicker, "confirm", request.id(), k.apiKey(), request.reason(), RequestKey.ALREADY_REVOKED, null);
                continue;
            }
            if (RequestKey.NOT_ACTIVE.equals(k.lookupNote())) {
                // Pinata would answer 200 for it anyway: no call, the key is reported as not an active key.
                if (!recordKeyOutcome(clicker, request, k, new RevokeOutcome.Refused(RevokeOutcome.Reason.NOT_ACTIVE, 0, null),
                        lease.owner())) {
                    leaseLost(clicker, request);
                    return;
                }
                continue;
            }
            RevokeOutcome outcome;
            try {
                if (!first) {
                    pacer.pause();
                }
                first = false;
                if (!lease.renew()) {
                    leaseLost(clicker, request);
                    return;
                }
                outcome = revokeKey(request, k.apiKey(), k.details(), lease);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = new RevokeOutcome.Unavailable(0, "the bot was stopping", false);
            } catch (RuntimeException e) {
                log.error("Unexpected error revoking a key of request {}: {}", request.id(), e.toString());
                outcome = new RevokeOutcome.Unavailable(0, "internal error", true);
            }
            if (!recordKeyOutcome(clicker, request, k, outcome, lease.owner())) {
                record(clicker, "revoke_key", request.id(), k.apiKey(), request.reason(), "late:" + outcome.code(), statusOf(outcome));
                correctIfRevoked(request.id(), k.apiKey(), outcome);
                leaseLost(clicker, request);
                return;
            }
        }
        finishBulk(clicker, "confirm", request, lease.owner());
    }

    /** A verified revocation that arrived after another instance settled the request: the channel must know. */
    private void correctIfRevoked(String requestId, String apiKey, RevokeOutcome late) {
        if (late instanceof RevokeOutcome.Revoked r && r.verification() == RevokeOutcome.Verification.VERIFIED) {
            reload(requestId).ifPresent(settled -> slack.postNote(settled, Messages.lateRevoked(apiKey)));
        }
    }

    /** This process lost the lease: another settles the request; this one says what it knows and stops. */
    private void leaseLost(Caller actor, RevocationRequest request) {
        log.warn("Lost the lease on request {}; another instance settles it", request.id());
        record(actor, "confirm", request.id(), request.apiKey(), request.reason(), "lease_lost", null);
    }

    private boolean recordKeyOutcome(Caller actor, RevocationRequest request, RequestKey k, RevokeOutcome outcome, String owner) {
        var status = statusOf(outcome);
        if (!requests.recordKeyOutcome(request.id(), owner, k.position(), outcome.code(), detailOf(outcome), status)) {
            return false;
        }
        record(actor, "revoke_key", request.id(), k.apiKey(), request.reason(), outcome.code(), status);
        return true;
    }

    private static Integer statusOf(RevokeOutcome outcome) {
        return outcome.status() == 0 ? null : outcome.status();
    }

    /** REVOKED when every key ended revoked; otherwise FAILED, as "partial" when some were. */
    private boolean finishBulk(Caller actor, String action, RevocationRequest request, String owner) {
        var done = reload(request.id()).orElse(request);
        var revoked = done.keys().stream().filter(RequestKey::revoked).count();
        var total = done.keys().size();
        var state = revoked == total ? RequestState.REVOKED : RequestState.FAILED;
        var code = revoked == total ? "revoked" : revoked > 0 ? "partial" : "failed";
        if (!requests.finishRevoking(request.id(), owner, state, code, revoked + " of " + total + " revoked", null)) {
            return false;
        }
        record(actor, action, request.id(), request.apiKey(), request.reason(), code, null);
        announce(request.id());
        return true;
    }

    /** What the card shows beside an outcome's code: verification, Pinata's reason, or what is known. */
    private static String detailOf(RevokeOutcome outcome) {
        if (outcome instanceof RevokeOutcome.Revoked revoked) {
            return revoked.verification().name().toLowerCase(Locale.ROOT);
        }
        if (outcome instanceof RevokeOutcome.Refused refused) {
            return refused.pinataReason();
        }
        return ((RevokeOutcome.Unavailable) outcome).detail();
    }

    /** Records the final state of a REVOKING request, then rewrites its card and posts the result. */
    private boolean finish(Caller actor, String action, RevocationRequest request, RevokeOutcome outcome, String owner) {
        var state = outcome instanceof RevokeOutcome.Revoked ? RequestState.REVOKED : RequestState.FAILED;
        var status = statusOf(outcome);
        if (!requests.finishRevoking(request.id(), owner, state, outcome.code(), detailOf(outcome), status)) {
            // Another instance settled it first (this one lost the lease); keep what Pinata told us anyway.
            log.warn("Request {} was already settled; recording Pinata's late answer {}", request.id(), outcome.code());
            record(actor, action, request.id(), request.apiKey(), request.reason(), "late:" + outcome.code(), status);
            correctIfRevoked(request.id(), request.apiKey(), outcome);
            return false;
        }
        record(actor, action, request.id(), request.apiKey(), request.reason(), outcome.code(), status);
        announce(request.id());
        return true;
    }

    /** A click on Cancel: ends the request without calling Pinata. */
    public void cancel(Click click) {
        var clicker = click.clicker();
        var found = checkClick(click, "cancel");
        if (found == null) {
            return;
        }
        if (!requests.leavePending(found.id(), RequestState.CANCELLED, clicker.userId(), clock.instant(), null)) {
            lostRace(clicker, "cancel", found.id());
            return;
        }
        record(clicker, "cancel", found.id(), found.apiKey(), found.reason(), "cancelled", null);
        reload(found.id()).ifPresent(slack::updateCard);
    }

    /** Ends every pending request whose time is up and rewrites its card; returns how many it ended. */
    public int expireDue() {
        var count = 0;
        for (var r : requests.pendingExpiredBefore(clock.instant(), SWEEP_BATCH)) {
            if (expire(r)) {
                count++;
            }
        }
        return count;
    }

    /** Common checks for both buttons; returns the pending request, or null after telling the clicker why not. */
    private RevocationRequest checkClick(Click click, String action) {
        var clicker = click.clicker();
        var requestId = click.requestId();
        var stored = requestId == null ? Optional.<RevocationRequest>empty() : requests.find(requestId);
        // A request id from another workspace or channel is treated exactly like an unknown one.
        if (stored.isEmpty() || !stored.get().teamId().equals(clicker.teamId())
                || !stored.get().channelId().equals(clicker.channelId())) {
            record(clicker, action, null, null, null, "unknown_request", null);
            slack.tell(clicker, Messages.unknownRequest());
            return null;
        }
        var request = stored.get();
        if (request.cardTs() == null && click.messageTs() != null) {
            // The click can arrive before the card's ts was saved; the click itself names the card.
            requests.setCardTs(request.id(), click.messageTs());
            request = request.withCardTs(click.messageTs());
        }
        if (request.state() != RequestState.PENDING) {
            deny(clicker, action, request, "already_" + request.state().name().toLowerCase(Locale.ROOT),
                    Messages.alreadyDecided(request));
            return null;
        }
        if (!clock.instant().isBefore(request.expiresAt())) {
            expire(request);
            deny(clicker, action, request, "expired", Messages.expired());
            return null;
        }
        var membership = admins.check(clicker.userId(), true);
        if (!(membership instanceof Membership.Member)) {
            denyMembership(clicker, action, request.id(), request.apiKey(), request.reason(), membership);
            return null;
        }
        return request;
    }

    private boolean expire(RevocationRequest request) {
        if (!requests.leavePending(request.id(), RequestState.EXPIRED, null, clock.instant(), null)) {
            return false;
        }
        var nobody = new Caller(request.teamId(), request.channelId(), null, null, null);
        record(nobody, "expire", request.id(), request.apiKey(), request.reason(), "expired", null);
        reload(request.id()).ifPresent(slack::updateCard);
        return true;
    }

    private void lostRace(Caller clicker, String action, String requestId) {
        reload(requestId).ifPresent(r -> deny(clicker, action, r, "lost_race", Messages.alreadyDecided(r)));
    }

    /** The request has ended: rewrite its card into the final state and post the result in the channel. */
    private void announce(String requestId) {
        reload(requestId).ifPresent(done -> {
            slack.updateCard(done);
            slack.postResult(done);
        });
    }

    private void denyMembership(Caller caller, String action, String requestId, String key, String reason, Membership m) {
        if (m instanceof Membership.Unknown unknown) {
            record(caller, action, requestId, key, reason, "admin_check_failed:" + Messages.safeCode(unknown.error()), null);
            slack.tell(caller, Messages.adminCheckFailed(unknown.error()));
        } else {
            record(caller, action, requestId, key, reason, "not_admin", null);
            slack.tell(caller, Messages.notAdmin());
        }
    }

    private void deny(Caller caller, String key, String reason, String outcome, String message) {
        record(caller, "command", null, key, reason, outcome, null);
        slack.tell(caller, message);
    }

    private void deny(Caller clicker, String action, RevocationRequest request, String outcome, String message) {
        record(clicker, action, request.id(), request.apiKey(), request.reason(), outcome, null);
        slack.tell(clicker, message);
    }

    private Optional<RevocationRequest> reload(String id) {
        return requests.find(id);
    }

    private void record(Caller c, String action, String requestId, String key, String reason, String outcome, Integer status) {
        audit.append(new AuditRecord(clock.instant(), c.teamId(), c.channelId(), c.userId(), action, requestId, key,
                reason, outcome, status));
        // One line per interaction outcome; with LOG_FORMAT=json the key-value pairs become JSON fields.
        log.atInfo().setMessage("interaction").addKeyValue("action", action).addKeyValue("outcome", outcome)
                .addKeyValue("team", c.teamId()).addKeyValue("channel", c.channelId()).addKeyValue("user", c.userId())
                .addKeyValue("request", requestId).addKeyValue("pinata_status", status).log();
    }
}
