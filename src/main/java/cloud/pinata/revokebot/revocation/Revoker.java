package cloud.pinata.revokebot.revocation;

import static cloud.pinata.revokebot.revocation.AuditAction.REVOKE_KEY;

import cloud.pinata.revokebot.revocation.Ports.KeyService;
import cloud.pinata.revokebot.revocation.Ports.RequestStore;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revoke itself, for a confirmed request whose lease this process holds: one key, or each key of a bulk
 * request in turn; then the final state by the evidence rules. Also writes the outcomes recovery decides.
 */
final class Revoker {
    private static final Logger log = LoggerFactory.getLogger(Revoker.class);

    private final KeyService keys;
    private final RequestStore requests;
    private final Outbox out;
    private final Ports.Pacer pacer;
    private final JwtCheck jwtCheck;

    Revoker(KeyService keys, RequestStore requests, Outbox out, Ports.Pacer pacer, LeakedJwts leaked) {
        this.keys = keys;
        this.requests = requests;
        this.out = out;
        this.pacer = pacer;
        this.jwtCheck = new JwtCheck(keys, requests, out, leaked);
    }

    /** Revokes what {@code request} asks for, under {@code lease}, and records how it ended. */
    void revoke(Caller clicker, RevocationRequest request, Leases.Lease lease) {
        if (request.isBulk()) {
            revokeEach(clicker, request, lease);
            return;
        }
        RevokeOutcome outcome;
        try {
            outcome = revokeKey(request, request.apiKey(), request.details(), lease);
        } catch (RuntimeException e) {
            log.error("Unexpected error revoking request {}: {}", request.id(), e.toString());
            outcome = new RevokeOutcome.Unavailable(0, "internal error", true);
        }
        if (request.fromLeakedJwt()) {
            jwtCheck.afterRevoke(clicker, request, outcome, lease);
        }
        finish(clicker, AuditAction.CONFIRM, request, outcome, lease.owner());
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
                out.slack.postNote(request, new Notice.WaitingOnPinata(apiKey, delay, rateLimited));
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

    /** A bulk request: each key in turn, paced, each outcome recorded as it happens; then the request's end. */
    private void revokeEach(Caller clicker, RevocationRequest request, Leases.Lease lease) {
        var first = true;
        for (var k : request.keys()) {
            if (k.outcome() != null) {
                continue;
            }
            if (k.revokedBefore()) {
                if (!recordAlreadyRevoked(clicker, AuditAction.CONFIRM, request, k, lease.owner())) {
                    leaseLost(clicker, request);
                    return;
                }
                continue;
            }
            if (k.lookupNote() == LookupNote.NOT_ACTIVE) {
                // Pinata would answer 200 for it anyway: no call, the key is reported as not an active key.
                if (!recordKeyOutcome(clicker, request, k, notActive(), lease.owner())) {
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
                out.record(AuditEvent.of(
                                clicker, REVOKE_KEY, "late:" + outcome.ending().code())
                        .about(request)
                        .aboutKey(k.apiKey(), request.reason())
                        .withStatus(outcome.status()));
                correctIfRevoked(request.id(), k.apiKey(), outcome);
                leaseLost(clicker, request);
                return;
            }
        }
        finishBulk(clicker, AuditAction.CONFIRM, request, lease.owner());
    }

    static RevokeOutcome notActive() {
        return new RevokeOutcome.Refused(RevokeOutcome.Reason.NOT_ACTIVE, 0, null);
    }

    /** A verified revocation that arrived after another instance settled the request: the channel must know. */
    private void correctIfRevoked(String requestId, String apiKey, RevokeOutcome late) {
        if (late instanceof RevokeOutcome.Revoked r && r.verification() == RevokeOutcome.Verification.VERIFIED) {
            out.reload(requestId).ifPresent(settled -> out.slack.postNote(settled, new Notice.LateRevoked(apiKey)));
        }
    }

    /** This process lost the lease: another settles the request; this one says what it knows and stops. */
    private void leaseLost(Caller actor, RevocationRequest request) {
        log.warn("Lost the lease on request {}; another instance settles it", request.id());
        out.record(AuditEvent.of(actor, AuditAction.CONFIRM, "lease_lost").about(request));
    }

    /** A bulk key Pinata listed as revoked before the card: recorded as such, never sent. */
    boolean recordAlreadyRevoked(
            Caller actor, AuditAction action, RevocationRequest request, RequestKey k, String owner) {
        if (!requests.recordKeyOutcome(request.id(), owner, k.position(), Outcome.ALREADY_REVOKED, null, null)) {
            return false;
        }
        out.record(AuditEvent.of(actor, action, Outcome.ALREADY_REVOKED.code())
                .about(request)
                .aboutKey(k.apiKey(), request.reason()));
        return true;
    }

    /** Records one bulk key's outcome while {@code owner} holds the lease; false when it no longer does. */
    boolean recordKeyOutcome(
            Caller actor, RevocationRequest request, RequestKey k, RevokeOutcome outcome, String owner) {
        var status = outcome.status() == 0 ? null : outcome.status();
        if (!requests.recordKeyOutcome(
                request.id(), owner, k.position(), outcome.ending(), detailOf(outcome), status)) {
            return false;
        }
        out.record(AuditEvent.of(actor, REVOKE_KEY, outcome.ending().code())
                .about(request)
                .aboutKey(k.apiKey(), request.reason())
                .withStatus(outcome.status()));
        return true;
    }

    /** REVOKED when every key ended revoked; otherwise FAILED, as "partial" when some were. */
    boolean finishBulk(Caller actor, AuditAction action, RevocationRequest request, String owner) {
        var done = out.reload(request.id()).orElse(request);
        var revoked = done.keys().stream().filter(RequestKey::revoked).count();
        var total = done.keys().size();
        var state = revoked == total ? RequestState.REVOKED : RequestState.FAILED;
        var code = revoked == total ? Outcome.REVOKED : revoked > 0 ? Outcome.PARTIAL : Outcome.FAILED;
        if (!requests.finishRevoking(request.id(), owner, state, code, revoked + " of " + total + " revoked", null)) {
            return false;
        }
        out.record(AuditEvent.of(actor, action, code.code()).about(request));
        out.announce(request.id());
        return true;
    }

    /** Records the final state of a single-key REVOKING request, then rewrites its card and posts the result. */
    boolean finish(Caller actor, AuditAction action, RevocationRequest request, RevokeOutcome outcome, String owner) {
        // REVOKED only when the evidence supports "revoked": a 200 for a key no listing showed active, or one that a
        // listing still shows active, ends FAILED (its card says what Pinata answered and what it still shows).
        var state = outcome instanceof RevokeOutcome.Revoked r && r.supportsRevoked()
                ? RequestState.REVOKED
                : RequestState.FAILED;
        var status = outcome.status() == 0 ? null : outcome.status();
        if (!requests.finishRevoking(request.id(), owner, state, outcome.ending(), detailOf(outcome), status)) {
            // Another instance settled it first (this one lost the lease); keep what Pinata told us anyway.
            log.warn(
                    "Request {} was already settled; recording Pinata's late answer {}",
                    request.id(),
                    outcome.ending());
            out.record(AuditEvent.of(actor, action, "late:" + outcome.ending().code())
                    .about(request)
                    .withStatus(outcome.status()));
            correctIfRevoked(request.id(), request.apiKey(), outcome);
            return false;
        }
        out.record(AuditEvent.of(actor, action, outcome.ending().code())
                .about(request)
                .withStatus(outcome.status()));
        out.announce(request.id());
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
}
