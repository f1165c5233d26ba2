package cloud.pinata.revokebot.revocation;

import cloud.pinata.revokebot.revocation.Ports.AdminDirectory;
import cloud.pinata.revokebot.revocation.Ports.AuditLog;
import cloud.pinata.revokebot.revocation.Ports.KeyService;
import cloud.pinata.revokebot.revocation.Ports.Messenger;
import cloud.pinata.revokebot.revocation.Ports.RequestStore;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The revocation flow, as the Slack side and the sweeper call it. Runs after Slack has been acknowledged; every
 * step leaves one audit record. The work is split by responsibility:
 * <ul>
 * <li>{@link CommandIntake}: admin check, channel, evidence about the keys, the card;</li>
 * <li>{@link Decisions}: the two buttons (re-checked at click time, one winner) and expiry;</li>
 * <li>{@link Revoker}: the revoke under a lease, single or bulk, and the final state by {@link Evidence};</li>
 * <li>{@link Recovery}: requests a dead process left mid-call, settled by evidence, never revoked again.</li>
 * </ul>
 */
public final class RevocationService {
    /** How long a REVOKING request's lease lasts without renewal before another process may settle it. */
    public static final Duration REVOKING_LEASE = Leases.LEASE;

    private final CommandIntake intake;
    private final Decisions decisions;
    private final Recovery recovery;
    private final Leases leases;
    private final RequestStore requests;
    private final Messenger slack;
    private final AdminDirectory admins;
    private final LeakedJwts leaked;

    public RevocationService(
            Policy policy,
            AdminDirectory admins,
            KeyService keys,
            RequestStore requests,
            AuditLog audit,
            Messenger slack,
            Clock clock,
            Supplier<String> ids,
            Ports.Pacer pacer,
            Leases leases) {
        var out = new Outbox(new AuditTrail(audit, clock), slack, requests);
        var leaked = new LeakedJwts();
        this.leaked = leaked;
        var revoker = new Revoker(keys, requests, out, pacer, leaked);
        this.intake = new CommandIntake(policy, admins, keys, requests, out, clock, ids, leaked);
        this.decisions = new Decisions(policy, admins, requests, revoker, out, leases, clock, leaked);
        this.recovery = new Recovery(keys, requests, revoker, out, leases, clock);
        this.leases = leases;
        this.requests = requests;
        this.slack = slack;
        this.admins = admins;
    }

    /**
     * The process is stopping and its workers did not finish in time: every lease it holds is given up at once (the
     * worker sends nothing more), and each card says the revocation was interrupted and is settled by what Pinata
     * lists within about {@code settleWithin}. Returns how many requests were handed over.
     */
    public int interruptInFlight(Duration settleWithin) {
        var count = 0;
        for (var lease : leases.active()) {
            if (lease.release()) {
                count++;
                requests.find(lease.requestId()).ifPresent(r -> slack.interrupted(r, settleWithin));
            }
        }
        return count;
    }

    /** Records a command that was answered in the acknowledgement itself (help, bad input, a pasted secret). */
    public void recordAnsweredCommand(Caller caller, Command command) {
        intake.recordAnswered(caller, command);
    }

    /** {@code status <key>} and {@code history [N]}: read-only, for admins, answered to the caller alone. */
    public void answerQuery(Caller caller, Command query) {
        intake.answerQuery(caller, query);
    }

    /** Everything after the ack for {@code /pinata-revoke <key> [reason]}: checks, look-up, card. */
    public void startRevocation(Caller caller, Command.Revoke command) {
        intake.startRevocation(caller, command);
    }

    /**
     * The message shortcut "Revoke leaked Pinata key" on a message: its key ids or leaked JWT start the same flow, the
     * card a reply in the thread {@code threadTs}. {@code messageText} is read here and kept nowhere.
     */
    public void startFromMessage(Caller caller, String messageText, String threadTs) {
        intake.startFromMessage(caller, messageText, threadTs);
    }

    /**
     * Someone opened the bot's Home tab: an admin (cached membership: this only reads) sees the requests waiting and
     * the latest outcomes in channels they may see (see {@link Home}); anyone else what the bot does and how to ask.
     */
    public void showHome(String teamId, String userId) {
        var membership = admins.check(userId, false);
        slack.publishHome(
                userId,
                membership instanceof Membership.Member
                        ? Home.forAdmin(userId, requests.newestOf(teamId, HOME_LOOKBACK))
                        : Home.forNonAdmin());
    }

    /** How many of the workspace's newest requests the Home looks through. */
    static final int HOME_LOOKBACK = 500;

    /** A click on Revoke. Exactly one click per request reaches Pinata. */
    public void confirm(Click click) {
        decisions.confirm(click);
    }

    /** A click on Cancel: ends the request without calling Pinata. */
    public void cancel(Click click) {
        decisions.cancel(click);
    }

    /** Ends every pending request whose time is up and rewrites its card; returns how many it ended. */
    public int expireDue() {
        return decisions.expireDue();
    }

    /**
     * One pass of the periodic sweep: ends the requests whose time is up, reminds about those past half their time,
     * settles interrupted ones. Every instance runs it; each step is safe to run anywhere at once.
     */
    public void sweep() {
        expireDue();
        remindDue();
        recoverInterrupted();
        forgetEndedJwts();
    }

    /**
     * Drops the leaked JWTs of requests that ended without this process's check: another instance expired, cancelled
     * or settled them, or this one failed between the click and the revoke. Returns how many were dropped.
     */
    public int forgetEndedJwts() {
        var dropped = 0;
        for (var id : leaked.requestIds()) {
            var open = requests.find(id).map(r -> !r.state().isTerminal()).orElse(false);
            if (!open) {
                leaked.drop(id);
                dropped++;
            }
        }
        return dropped;
    }

    /** One reminder in the thread of each card pending past half its time; returns how many were sent. */
    public int remindDue() {
        return decisions.remindDue();
    }

    /** Settles REVOKING requests whose lease lapsed, by the evidence rules; returns how many it settled. */
    public int recoverInterrupted() {
        return recovery.recoverInterrupted();
    }
}
