package cloud.pinata.revokebot.revocation;

import java.time.Instant;

/**
 * One request to revoke one key, as stored. {@code decidedBy}, {@code decidedAt}, {@code outcome},
 * {@code outcomeDetail}, {@code pinataStatus}, {@code cardTs} and {@code details} are null until known.
 */
public record RevocationRequest(
        String id,
        String teamId,
        String channelId,
        String requesterId,
        String apiKey,
        String reason,
        RequestState state,
        Instant createdAt,
        Instant expiresAt,
        String decidedBy,
        Instant decidedAt,
        String outcome,
        String outcomeDetail,
        Integer pinataStatus,
        String cardTs,
        KeyDetails details,
        boolean dryRun) {

    public static RevocationRequest pending(String id, Caller caller, Command.Revoke command,
                                            Instant now, Instant expiresAt, KeyDetails details) {
        return new RevocationRequest(id, caller.teamId(), caller.channelId(), caller.userId(), command.apiKey(),
                command.reason(), RequestState.PENDING, now, expiresAt, null, null, null, null, null, null, details,
                command.dryRun());
    }

    public RevocationRequest withCardTs(String ts) {
        return new RevocationRequest(id, teamId, channelId, requesterId, apiKey, reason, state, createdAt, expiresAt,
                decidedBy, decidedAt, outcome, outcomeDetail, pinataStatus, ts, details, dryRun);
    }
}
