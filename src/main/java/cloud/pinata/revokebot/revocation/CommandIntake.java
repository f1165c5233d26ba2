package cloud.pinata.revokebot.revocation;

import static cloud.pinata.revokebot.revocation.AuditAction.COMMAND;

import cloud.pinata.revokebot.revocation.Ports.AdminDirectory;
import cloud.pinata.revokebot.revocation.Ports.CardPost;
import cloud.pinata.revokebot.revocation.Ports.KeyService;
import cloud.pinata.revokebot.revocation.Ports.RequestStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Everything after the ack for a command: the admin check, then the channel, then the evidence about the keys,
 * then the card. Nothing that reveals configuration (the allowed channels) is said before the admin check passed.
 */
final class CommandIntake {
    private final Policy policy;
    private final AdminDirectory admins;
    private final KeyService keys;
    private final RequestStore requests;
    private final Outbox out;
    private final Clock clock;
    private final Supplier<String> ids;
    private final LeakedJwts leaked;

    CommandIntake(
            Policy policy,
            AdminDirectory admins,
            KeyService keys,
            RequestStore requests,
            Outbox out,
            Clock clock,
            Supplier<String> ids,
            LeakedJwts leaked) {
        this.leaked = leaked;
        this.policy = policy;
        this.admins = admins;
        this.keys = keys;
        this.requests = requests;
        this.out = out;
        this.clock = clock;
        this.ids = ids;
    }

    /** Records a command that was answered in the acknowledgement itself (help, bad input, a pasted secret). */
    void recordAnswered(Caller caller, Command command) {
        String outcome;
        if (command instanceof Command.Help) {
            outcome = "help";
        } else if (command instanceof Command.SecretPasted) {
            outcome = "secret_pasted";
        } else if (command instanceof Command.Invalid) {
            outcome = "invalid_input";
        } else if (command instanceof Command.UnusableJwt) {
            outcome = "jwt_unusable";
        } else {
            throw new IllegalArgumentException("revoke commands are not answered in the ack");
        }
        out.record(AuditEvent.of(caller, COMMAND, outcome));
    }

    /**
     * {@code status <key>} and {@code history [N]}: read-only, for admins, where the command is allowed, answered to
     * the caller alone. History shows the records of the channel it is asked in, nothing else.
     */
    void answerQuery(Caller caller, Command query) {
        var action = query instanceof Command.History ? AuditAction.HISTORY : AuditAction.STATUS;
        var key = query instanceof Command.Status status ? status.apiKey() : null;
        var base = AuditEvent.of(caller, action, null).aboutKey(key, null);
        if (!admitted(base, caller)) {
            return;
        }
        if (query instanceof Command.History history) {
            var records = out.trail.recentIn(caller.teamId(), caller.channelId(), history.limit());
            out.record(AuditEvent.of(caller, action, "shown:" + records.size()));
            out.slack.showHistory(caller, records);
        } else if (query instanceof Command.Status status) {
            var lookup = keys.lookup(status.apiKey());
            out.record(AuditEvent.of(caller, action, lookupOutcome(lookup)).aboutKey(status.apiKey(), null));
            out.slack.showStatus(caller, status.apiKey(), lookup);
        }
    }

    /** The admin check first, then the channel: a non-admin learns nothing about where the bot is enabled. */
    private boolean admitted(AuditEvent base, Caller caller) {
        var membership = admins.check(caller.userId(), false);
        if (!(membership instanceof Membership.Member)) {
            out.refuseMembership(base, membership);
            return false;
        }
        if (!policy.channelAllowed(caller.channelId(), caller.channelName())) {
            out.refuse(base.withOutcome("channel_not_allowed"), new Notice.ChannelNotAllowed(policy.allowedChannels()));
            return false;
        }
        return true;
    }

    private static String lookupOutcome(KeyLookup lookup) {
        if (lookup instanceof KeyLookup.Found f) {
            return f.details().revoked() ? "key_revoked" : "key_active";
        }
        return lookup instanceof KeyLookup.NotListed ? "key_not_listed" : "lookup_unavailable";
    }

    /**
     * The message shortcut on a message: the key ids and leaked JWTs in its text start the same flow (same checks), the
     * card a reply in the message's thread ({@code threadTs}); the person who asked is reminded that the message still
     * holds the secret. Nothing found: they are told so, and nothing else happens.
     */
    void startFromMessage(Caller caller, String messageText, String threadTs) {
        // The admin check first, as for the command: a non-admin learns nothing, not even what the scan found.
        if (!admitted(AuditEvent.of(caller, AuditAction.SHORTCUT, null), caller)) {
            return;
        }
        var found = MessageScan.scan(messageText);
        if (found.nothing()) {
            out.refuse(
                    AuditEvent.of(
                            caller,
                            AuditAction.SHORTCUT,
                            found.unusableJwt() != null
                                    ? "jwt_unusable"
                                    : found.unmappedSecret() ? "secret_unmapped" : "nothing_found"),
                    new Notice.NothingInMessage(found.unusableJwt(), found.unmappedSecret()));
            return;
        }
        if (startRevocation(caller, found.command(CommandParser.MAX_KEYS), threadTs)) {
            out.slack.tell(caller, new Notice.DeleteTheMessage(found.jwt() != null || found.unmappedSecret()));
        }
    }

    /** {@code /pinata-revoke <key…> [reason]}: checks, evidence, card. */
    void startRevocation(Caller caller, Command.Revoke command) {
        startRevocation(caller, command, null);
    }

    /** Checks, evidence, card (in {@code threadTs}'s thread when not null); true when a card was posted. */
    private boolean startRevocation(Caller caller, Command.Revoke command, String threadTs) {
        var key = command.apiKey();
        var reason = command.reason();
        var base = AuditEvent.of(caller, COMMAND, null).aboutKey(key, reason);
        if (!admitted(base, caller)) {
            return false;
        }
        if (command.apiKeys().stream().anyMatch(policy::isBotKey)) {
            refuse(base, "self_key_refused", new Notice.SelfKey());
            return false;
        }
        var lookups = keys.lookupAll(command.apiKeys());
        if (lookups.values().stream()
                .allMatch(l -> l instanceof KeyLookup.Found f && f.details().revoked())) {
            refuse(base, "already_revoked", new Notice.AlreadyRevoked(command.apiKeys()));
            return false;
        }
        // A 200 for a key no listing shows active proves nothing: refuse before the card, naming the likely causes.
        var notActive = command.apiKeys().stream()
                .filter(k -> lookups.get(k) instanceof KeyLookup.NotListed)
                .toList();
        var revokedBefore = command.apiKeys().stream()
                .filter(k -> lookups.get(k) instanceof KeyLookup.Found f
                        && f.details().revoked())
                .toList();
        if (notActive.size() + revokedBefore.size() == command.apiKeys().size()) {
            refuse(base, "not_active_key", new Notice.NotActiveKeys(notActive, revokedBefore));
            return false;
        }
        var lookup = lookups.get(key);
        var details = lookup instanceof KeyLookup.Found found ? found.details() : null;
        var now = clock.instant();
        var request = RevocationRequest.pending(
                ids.get(),
                caller,
                command,
                now,
                now.plus(policy.confirmTtl()),
                details,
                bulkKeys(command.apiKeys(), lookups),
                threadTs);
        requests.insert(request);
        if (command.leakedJwt() != null && !command.dryRun()) {
            // Memory only, until the one check after the revoke (or the request's end): never stored, logged or shown.
            // A dry run revokes nothing, so nothing will be checked: its JWT is not kept at all.
            leaked.hold(request.id(), command.leakedJwt());
        }
        var post = out.slack.postCard(request, lookup);
        var about = base.withRequestId(request.id());
        if (post instanceof CardPost.Posted posted) {
            // The card's ts, set once: a click on any other message of this request is refused. (A click that beat
            // this save to it has set the ts from its own message already; see Decisions.checkClick.)
            requests.setCardTs(request.id(), posted.ts());
            out.record(about.withOutcome(request.dryRun() ? "dry_run_card_posted" : "card_posted"));
            return true;
        } else if (post instanceof CardPost.NotPosted failed) {
            // Nobody can click a card that does not exist: end the request now instead of leaving it pending.
            requests.leavePending(request.id(), RequestState.CANCELLED, null, now, Outcome.CARD_NOT_POSTED);
            leaked.drop(request.id());
            out.refuse(
                    about.withOutcome("card_not_posted:" + AuditEvent.safeCode(failed.error())),
                    new Notice.CardNotPosted(failed.error(), Notice.isDirectMessage(caller)));
        }
        return false;
    }

    private static List<RequestKey> bulkKeys(List<String> apiKeys, java.util.Map<String, KeyLookup> lookups) {
        var bulk = new ArrayList<RequestKey>();
        if (apiKeys.size() > 1) {
            for (int i = 0; i < apiKeys.size(); i++) {
                var k = apiKeys.get(i);
                var l = lookups.get(k);
                var d = l instanceof KeyLookup.Found f ? f.details() : null;
                var note = l instanceof KeyLookup.NotListed
                        ? LookupNote.NOT_ACTIVE
                        : l instanceof KeyLookup.Unavailable ? LookupNote.UNAVAILABLE : null;
                bulk.add(new RequestKey(i, k, d, note, d != null && d.revoked(), null, null, null));
            }
        }
        return bulk;
    }

    private void refuse(AuditEvent base, String outcome, Notice why) {
        out.refuse(base.withOutcome(outcome), why);
    }
}
