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
    /**
     * How long a REVOKING request may go without a heartbeat before another process settles it. Longer than one
     * key's worst case: four attempts of up to 15 s each within the 25 s retry deadline, then the verifying look-up.
     */
    public static final Duration REVOKING_LEASE = Duration.ofMinutes(3);
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

    public RevocationService(Policy policy, AdminDirectory admins, KeyService keys, RequestStore requests,
                             AuditLog audit, Messenger slack, Clock clock, Supplier<String> ids, Ports.Pacer pacer) {
        this.pacer = pacer;
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
        var lookup = lookups.get(key);
        var details = lookup instanceof KeyLookup.Found found ? found.details() : null;
        var bulk = new ArrayList<RequestKey>();
        if (command.apiKeys().size() > 1) {
            for (int i = 0; i < command.apiKeys().size(); i++) {
                var k = command.apiKeys().get(i);
                var l = lookups.get(k);
                var d = l instanceof KeyLookup.Found f ? f.details() : null;
                var note = l instanceof KeyLookup.NotListed ? "not_listed" : l instanceof KeyLookup.Unavailable ? "unavailable" : null;
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
        if (!requests.leavePending(found.id(), RequestState.REVOKING, clicker.userId(), now, null)) {
            lostRace(clicker, "confirm", found.id());
            return;
        }
        record(clicker, "confirm", found.id(), found.apiKey(), found.reason(), "revoking", null);
        reload(found.id()).ifPresent(slack::updateCard);
        if (found.isBulk()) {
            revokeEach(clicker, found);
            return;
        }

        RevokeOutcome outcome;
        try {
            outcome = verify(found.apiKey(), keys.revoke(found.apiKey()));
        } catch (RuntimeException e) {
            log.error("Unexpected error revoking request {}: {}", found.id(), e.toString());
            outcome = new RevokeOutcome.Unavailable(0, "internal error");
        }
        finish(clicker, "confirm", found, outcome);
    }

    /**
     * Recovery: a request left in {@code REVOKING} past its lease means a process died mid-call. Pinata's key list
     * says what is true; the request gets that final state, and its card and result are posted. Runs at start-up
     * and with every sweep, so a crash is settled even when no instance restarts. Returns how many.
     */
    public int recoverInterrupted() {
        var count = 0;
        for (var r : requests.revoking(clock.instant().minus(REVOKING_LEASE), SWEEP_BATCH)) {
            var system = new Caller(r.teamId(), r.channelId(), null, r.decidedBy(), null);
            if (r.isBulk()) {
                for (var k : r.keys()) {
                    if (k.outcome() == null) {
                        recordKeyOutcome(system, r, k, stateAfterRestart(keys.lookup(k.apiKey())));
                    }
                }
                if (finishBulk(system, "recover", r)) {
                    count++;
                }
                continue;
            }
            var outcome = stateAfterRestart(keys.lookup(r.apiKey()));
            if (finish(system, "recover", r, outcome)) {
                count++;
            }
        }
        return count;
    }

    /** What a key's listing says about a revoke call a dead process may or may not have made. */
    private static RevokeOutcome stateAfterRestart(KeyLookup lookup) {
        if (lookup instanceof KeyLookup.Found f && f.details().revoked()) {
            return new RevokeOutcome.Revoked(0, RevokeOutcome.Verification.VERIFIED);
        }
        if (lookup instanceof KeyLookup.Found) {
            return new RevokeOutcome.Unavailable(0, "the bot restarted during the call; " + RevokeOutcome.Unavailable.STILL_ACTIVE);
        }
        return new RevokeOutcome.Unavailable(0, "the bot restarted during the call and the key's state could not be confirmed");
    }

    /** A bulk request: each key in turn, paced, each outcome recorded as it happens; then the request's end. */
    private void revokeEach(Caller clicker, RevocationRequest request) {
        var first = true;
        for (var k : request.keys()) {
            if (k.outcome() != null) {
                continue;
            }
            RevokeOutcome outcome;
            if (k.revokedBefore()) {
                requests.recordKeyOutcome(request.id(), k.position(), RequestKey.ALREADY_REVOKED, null, null);
                record(clicker, "confirm", request.id(), k.apiKey(), request.reason(), RequestKey.ALREADY_REVOKED, null);
                continue;
            }
            try {
                if (!first) {
                    pacer.pause();
                }
                first = false;
                requests.heartbeat(request.id(), clock.instant());
                outcome = verify(k.apiKey(), keys.revoke(k.apiKey()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = new RevokeOutcome.Unavailable(0, "the bot was stopping");
            } catch (RuntimeException e) {
                log.error("Unexpected error revoking a key of request {}: {}", request.id(), e.toString());
                outcome = new RevokeOutcome.Unavailable(0, "internal error");
            }
            recordKeyOutcome(clicker, request, k, outcome);
        }
        finishBulk(clicker, "confirm", request);
    }

    private void recordKeyOutcome(Caller actor, RevocationRequest request, RequestKey k, RevokeOutcome outcome) {
        var status = outcome.status() == 0 ? null : outcome.status();
        requests.recordKeyOutcome(request.id(), k.position(), outcome.code(), detailOf(outcome), status);
        record(actor, "revoke_key", request.id(), k.apiKey(), request.reason(), outcome.code(), status);
    }

    /** REVOKED when every key ended revoked; otherwise FAILED, as "partial" when some were. */
    private boolean finishBulk(Caller actor, String action, RevocationRequest request) {
        var done = reload(request.id()).orElse(request);
        var revoked = done.keys().stream().filter(RequestKey::revoked).count();
        var total = done.keys().size();
        var state = revoked == total ? RequestState.REVOKED : RequestState.FAILED;
        var code = revoked == total ? "revoked" : revoked > 0 ? "partial" : "failed";
        if (!requests.finishRevoking(request.id(), state, code, revoked + " of " + total + " revoked", null)) {
            return false;
        }
        record(actor, action, request.id(), request.apiKey(), request.reason(), code, null);
        announce(request.id());
        return true;
    }

    /** After a 200, read the key list once more so the card can say "verified". */
    private RevokeOutcome verify(String apiKey, RevokeOutcome outcome) {
        if (!(outcome instanceof RevokeOutcome.Revoked revoked) || revoked.verification() != RevokeOutcome.Verification.UNVERIFIED) {
            return outcome;
        }
        var lookup = keys.lookup(apiKey);
        var verification = RevokeOutcome.Verification.UNVERIFIED;
        if (lookup instanceof KeyLookup.NotListed || (lookup instanceof KeyLookup.Found f && f.details().revoked())) {
            verification = RevokeOutcome.Verification.VERIFIED;
        } else if (lookup instanceof KeyLookup.Found) {
            verification = RevokeOutcome.Verification.STILL_LISTED_ACTIVE;
        }
        return new RevokeOutcome.Revoked(revoked.status(), verification);
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
    private boolean finish(Caller actor, String action, RevocationRequest request, RevokeOutcome outcome) {
        var state = outcome instanceof RevokeOutcome.Revoked ? RequestState.REVOKED : RequestState.FAILED;
        var status = outcome.status() == 0 ? null : outcome.status();
        if (!requests.finishRevoking(request.id(), state, outcome.code(), detailOf(outcome), status)) {
            // Someone else settled it first (recovery after a lease ran out); keep what Pinata told us anyway.
            log.warn("Request {} was already settled; recording Pinata's late answer {}", request.id(), outcome.code());
            record(actor, action, request.id(), request.apiKey(), request.reason(), "late:" + outcome.code(), status);
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
