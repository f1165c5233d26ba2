package cloud.pinata.revokebot.revocation;

import java.time.Instant;

/** One appended line of the audit trail. {@code apiKey} is the public key id, never a secret; nullable fields may be null. */
public record AuditRecord(
        Instant at,
        String teamId,
        String channelId,
        String userId,
        String action,
        String requestId,
        String apiKey,
        String reason,
        String outcome,
        Integer pinataStatus) {}
