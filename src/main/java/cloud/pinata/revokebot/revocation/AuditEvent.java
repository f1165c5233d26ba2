package cloud.pinata.revokebot.revocation;

/**
 * One thing that happened, as the audit trail records it: who, what, about which request and key, and how it
 * ended. Built with {@link #of} and refined with the {@code about…}/{@code with…} methods; nullable fields may be null.
 */
public record AuditEvent(
        Caller actor,
        AuditAction action,
        String requestId,
        String apiKey,
        String reason,
        String outcome,
        Integer pinataStatus) {

    public static AuditEvent of(Caller actor, AuditAction action, String outcome) {
        return new AuditEvent(actor, action, null, null, null, outcome, null);
    }

    /** About a stored request: its id, first key and reason. */
    public AuditEvent about(RevocationRequest request) {
        return new AuditEvent(actor, action, request.id(), request.apiKey(), request.reason(), outcome, pinataStatus);
    }

    /** About a key (and the reason given for it) with no request, or one key of a bulk request. */
    public AuditEvent aboutKey(String key, String givenReason) {
        return new AuditEvent(actor, action, requestId, key, givenReason, outcome, pinataStatus);
    }

    public AuditEvent withRequestId(String id) {
        return new AuditEvent(actor, action, id, apiKey, reason, outcome, pinataStatus);
    }

    /** The same event, ending in {@code newOutcome}. */
    public AuditEvent withOutcome(String newOutcome) {
        return new AuditEvent(actor, action, requestId, apiKey, reason, newOutcome, pinataStatus);
    }

    /** Pinata's HTTP status; 0 (no answer) is stored as absent. */
    public AuditEvent withStatus(int status) {
        return new AuditEvent(actor, action, requestId, apiKey, reason, outcome, status == 0 ? null : status);
    }

    /** Error codes from Slack are short identifiers; anything else is recorded and shown as {@code unknown_error}. */
    public static String safeCode(String code) {
        return code != null && code.matches("[a-z0-9_.:-]{1,60}") ? code : "unknown_error";
    }
}
