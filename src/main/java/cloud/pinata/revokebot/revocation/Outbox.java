package cloud.pinata.revokebot.revocation;

import cloud.pinata.revokebot.revocation.Ports.Messenger;
import cloud.pinata.revokebot.revocation.Ports.RequestStore;
import java.util.Optional;

/** What every part of the flow says and records on the way out: refusals, card rewrites, results. */
final class Outbox {
    final AuditTrail trail;
    final Messenger slack;
    private final RequestStore requests;

    Outbox(AuditTrail trail, Messenger slack, RequestStore requests) {
        this.trail = trail;
        this.slack = slack;
        this.requests = requests;
    }

    void record(AuditEvent event) {
        trail.record(event);
    }

    /** Records the refusal, then tells the one person who asked why. */
    void refuse(AuditEvent event, Notice why) {
        trail.record(event);
        slack.tell(event.actor(), why);
    }

    /** Anything but membership refuses (fail closed); {@code base}'s outcome is replaced by the reason. */
    void refuseMembership(AuditEvent base, Membership m) {
        if (m instanceof Membership.Unknown unknown) {
            refuse(
                    base.withOutcome("admin_check_failed:" + AuditEvent.safeCode(unknown.error())),
                    new Notice.AdminCheckFailed(unknown.error()));
        } else {
            refuse(base.withOutcome("not_admin"), new Notice.NotAdmin());
        }
    }

    /** Rewrites the request's card to show its current state. */
    void refreshCard(String requestId) {
        reload(requestId).ifPresent(slack::updateCard);
    }

    /** The request has ended: rewrite its card into the final state and post the result in the channel. */
    void announce(String requestId) {
        reload(requestId).ifPresent(done -> {
            slack.updateCard(done);
            slack.postResult(done);
        });
    }

    Optional<RevocationRequest> reload(String id) {
        return requests.find(id);
    }
}
