package cloud.pinata.revokebot.revocation;

import java.time.Instant;
import java.util.List;

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
        Outcome outcome,
        String outcomeDetail,
        Integer pinataStatus,
        String cardTs,
        KeyDetails details,
        boolean dryRun,
        List<RequestKey> keys,
        String leakedJwtSha256,
        JwtProof jwtProof,
        Instant remindedAt,
        String threadTs) {

    public RevocationRequest {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    /** A request given by its key (not a leaked JWT), not yet reminded about. */
    public RevocationRequest(
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
            Outcome outcome,
            String outcomeDetail,
            Integer pinataStatus,
            String cardTs,
            KeyDetails details,
            boolean dryRun,
            List<RequestKey> keys) {
        this(
                id,
                teamId,
                channelId,
                requesterId,
                apiKey,
                reason,
                state,
                createdAt,
                expiresAt,
                decidedBy,
                decidedAt,
                outcome,
                outcomeDetail,
                pinataStatus,
                cardTs,
                details,
                dryRun,
                keys,
                null,
                null,
                null,
                null);
    }

    /** The thread the card's notes, reminder and result go to: the card's own, or the thread the card is in. */
    public String thread() {
        return threadTs != null ? threadTs : cardTs;
    }

    /** The request was made from a leaked JWT (only its fingerprint is kept). */
    public boolean fromLeakedJwt() {
        return leakedJwtSha256 != null;
    }

    public static RevocationRequest pending(
            String id,
            Caller caller,
            Command.Revoke command,
            Instant now,
            Instant expiresAt,
            KeyDetails details,
            List<RequestKey> keys) {
        return pending(id, caller, command, now, expiresAt, details, keys, null);
    }

    /** {@code threadTs}: the card is a reply in this thread (the message shortcut's message); null: in the channel. */
    public static RevocationRequest pending(
            String id,
            Caller caller,
            Command.Revoke command,
            Instant now,
            Instant expiresAt,
            KeyDetails details,
            List<RequestKey> keys,
            String threadTs) {
        return new RevocationRequest(
                id,
                caller.teamId(),
                caller.channelId(),
                caller.userId(),
                command.apiKey(),
                command.reason(),
                RequestState.PENDING,
                now,
                expiresAt,
                null,
                null,
                null,
                null,
                null,
                null,
                details,
                command.dryRun(),
                keys,
                command.leakedJwt() == null ? null : command.leakedJwt().fingerprint(),
                null,
                null,
                threadTs);
    }

    /** Several keys on one card; {@link #keys()} holds them all, {@link #apiKey()} is the first. */
    public boolean isBulk() {
        return keys.size() > 1;
    }

    public RevocationRequest withKeys(List<RequestKey> newKeys) {
        return new RevocationRequest(
                id,
                teamId,
                channelId,
                requesterId,
                apiKey,
                reason,
                state,
                createdAt,
                expiresAt,
                decidedBy,
                decidedAt,
                outcome,
                outcomeDetail,
                pinataStatus,
                cardTs,
                details,
                dryRun,
                newKeys,
                leakedJwtSha256,
                jwtProof,
                remindedAt,
                threadTs);
    }

    public RevocationRequest withCardTs(String ts) {
        return new RevocationRequest(
                id,
                teamId,
                channelId,
                requesterId,
                apiKey,
                reason,
                state,
                createdAt,
                expiresAt,
                decidedBy,
                decidedAt,
                outcome,
                outcomeDetail,
                pinataStatus,
                ts,
                details,
                dryRun,
                keys,
                leakedJwtSha256,
                jwtProof,
                remindedAt,
                threadTs);
    }
}
