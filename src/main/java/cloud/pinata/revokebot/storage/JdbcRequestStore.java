package cloud.pinata.revokebot.storage;

import cloud.pinata.revokebot.revocation.JwtProof;
import cloud.pinata.revokebot.revocation.KeyDetails;
import cloud.pinata.revokebot.revocation.LookupNote;
import cloud.pinata.revokebot.revocation.Outcome;
import cloud.pinata.revokebot.revocation.Ports.RequestStore;
import cloud.pinata.revokebot.revocation.RequestKey;
import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.revocation.RevocationRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Requests in SQL. Leaving {@code PENDING} is one conditional UPDATE, so only one caller can ever win it. */
public final class JdbcRequestStore implements RequestStore {
    private static final String COLUMNS = "id, team_id, channel_id, requester_id, api_key, reason, state, created_at, "
            + "expires_at, decided_by, decided_at, outcome, outcome_detail, pinata_status, card_ts, key_known, key_name, "
            + "key_created, key_scopes, dry_run, leaked_jwt_sha256, jwt_proof, reminded_at, thread_ts";

    private final DataSource ds;

    public JdbcRequestStore(DataSource ds) {
        this.ds = ds;
    }

    @Override
    public void insert(RevocationRequest r) {
        insertRequest(r);
        for (var k : r.keys()) {
            update(
                    "INSERT INTO request_key (request_id, position, api_key, key_known, key_name, key_created, key_scopes, "
                            + "lookup_note, revoked_before) VALUES (?,?,?,?,?,?,?,?,?)",
                    ps -> {
                        var d = k.details();
                        ps.setString(1, r.id());
                        ps.setInt(2, k.position());
                        ps.setString(3, k.apiKey());
                        ps.setInt(4, d == null ? 0 : 1);
                        ps.setString(5, d == null ? null : d.name());
                        ps.setString(6, d == null ? null : d.createdAt());
                        ps.setString(7, d == null ? null : d.scopes());
                        ps.setString(
                                8,
                                k.lookupNote() == null ? null : k.lookupNote().code());
                        ps.setInt(9, k.revokedBefore() ? 1 : 0);
                    });
        }
    }

    @Override
    public boolean recordKeyOutcome(
            String id, String owner, int position, Outcome outcome, String detail, Integer pinataStatus) {
        return update(
                        "UPDATE request_key SET outcome = ?, outcome_detail = ?, pinata_status = ? "
                                + "WHERE request_id = ? AND position = ? AND outcome IS NULL AND EXISTS (SELECT 1 FROM revocation_request "
                                + "WHERE id = ? AND state = 'REVOKING' AND lease_owner = ?)",
                        ps -> {
                            ps.setString(1, outcome.code());
                            ps.setString(2, detail);
                            setInt(ps, 3, pinataStatus);
                            ps.setString(4, id);
                            ps.setInt(5, position);
                            ps.setString(6, id);
                            ps.setString(7, owner);
                        })
                == 1;
    }

    private List<RequestKey> keys(Connection c, String id) throws SQLException {
        try (var ps = c.prepareStatement("SELECT position, api_key, key_known, key_name, key_created, key_scopes, "
                + "lookup_note, revoked_before, outcome, outcome_detail, pinata_status FROM request_key "
                + "WHERE request_id = ? ORDER BY position")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                var out = new ArrayList<RequestKey>();
                while (rs.next()) {
                    var details = rs.getInt("key_known") == 1
                            ? new KeyDetails(
                                    rs.getString("key_name"),
                                    rs.getString("key_created"),
                                    rs.getString("key_scopes"),
                                    rs.getInt("revoked_before") == 1)
                            : null;
                    out.add(new RequestKey(
                            rs.getInt("position"),
                            rs.getString("api_key"),
                            details,
                            LookupNote.of(rs.getString("lookup_note")),
                            rs.getInt("revoked_before") == 1,
                            Outcome.of(rs.getString("outcome")),
                            rs.getString("outcome_detail"),
                            integer(rs, "pinata_status")));
                }
                return out;
            }
        }
    }

    private void insertRequest(RevocationRequest r) {
        var sql = "INSERT INTO revocation_request (" + COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        update(sql, ps -> {
            ps.setString(1, r.id());
            ps.setString(2, r.teamId());
            ps.setString(3, r.channelId());
            ps.setString(4, r.requesterId());
            ps.setString(5, r.apiKey());
            ps.setString(6, r.reason());
            ps.setString(7, r.state().name());
            ps.setLong(8, r.createdAt().toEpochMilli());
            ps.setLong(9, r.expiresAt().toEpochMilli());
            ps.setString(10, r.decidedBy());
            setMillis(ps, 11, r.decidedAt());
            ps.setString(12, r.outcome() == null ? null : r.outcome().code());
            ps.setString(13, r.outcomeDetail());
            setInt(ps, 14, r.pinataStatus());
            ps.setString(15, r.cardTs());
            var d = r.details();
            ps.setInt(16, d == null ? 0 : 1);
            ps.setString(17, d == null ? null : d.name());
            ps.setString(18, d == null ? null : d.createdAt());
            ps.setString(19, d == null ? null : d.scopes());
            ps.setInt(20, r.dryRun() ? 1 : 0);
            ps.setString(21, r.leakedJwtSha256());
            ps.setString(22, r.jwtProof() == null ? null : r.jwtProof().code());
            setMillis(ps, 23, r.remindedAt());
            ps.setString(24, r.threadTs());
        });
    }

    @Override
    public Optional<RevocationRequest> find(String id) {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM revocation_request WHERE id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs, keys(c, id))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StorageException("Could not read request", e);
        }
    }

    @Override
    public boolean leavePending(String id, RequestState to, String decidedBy, Instant at, Outcome outcomeOrNull) {
        if (!to.isTerminal()) {
            throw new IllegalArgumentException("PENDING leaves for REVOKING only through startRevoking");
        }
        var outcome = (outcomeOrNull != null ? outcomeOrNull : Outcome.ending(to)).code();
        // A confirmed dry run must also still be in time: the admin look-up before it may have taken a while.
        var inTime = to == RequestState.DRY_RUN_CONFIRMED ? " AND expires_at > " + at.toEpochMilli() : "";
        return update(
                        "UPDATE revocation_request SET state = ?, decided_by = ?, decided_at = ?, outcome = ? "
                                + "WHERE id = ? AND state = 'PENDING'" + inTime,
                        ps -> {
                            ps.setString(1, to.name());
                            ps.setString(2, decidedBy);
                            ps.setLong(3, at.toEpochMilli());
                            ps.setString(4, outcome);
                            ps.setString(5, id);
                        })
                == 1;
    }

    @Override
    public boolean startRevoking(String id, String decidedBy, String owner, Instant at) {
        // A confirmation must still be in time: the admin look-up before it may have taken a while.
        return update(
                        "UPDATE revocation_request SET state = 'REVOKING', decided_by = ?, decided_at = ?, heartbeat_at = ?, "
                                + "lease_owner = ? WHERE id = ? AND state = 'PENDING' AND expires_at > ?",
                        ps -> {
                            ps.setString(1, decidedBy);
                            ps.setLong(2, at.toEpochMilli());
                            ps.setLong(3, at.toEpochMilli());
                            ps.setString(4, owner);
                            ps.setString(5, id);
                            ps.setLong(6, at.toEpochMilli());
                        })
                == 1;
    }

    @Override
    public boolean finishRevoking(
            String id, String owner, RequestState to, Outcome outcome, String detail, Integer pinataStatus) {
        if (to != RequestState.REVOKED && to != RequestState.FAILED) {
            throw new IllegalArgumentException("REVOKING ends in REVOKED or FAILED");
        }
        return update(
                        "UPDATE revocation_request SET state = ?, outcome = ?, outcome_detail = ?, pinata_status = ? "
                                + "WHERE id = ? AND state = 'REVOKING' AND lease_owner = ?",
                        ps -> {
                            ps.setString(1, to.name());
                            ps.setString(2, outcome.code());
                            ps.setString(3, detail);
                            setInt(ps, 4, pinataStatus);
                            ps.setString(5, id);
                            ps.setString(6, owner);
                        })
                == 1;
    }

    @Override
    public void setCardTs(String id, String ts) {
        update(
                "UPDATE revocation_request SET card_ts = ? WHERE id = ? AND card_ts IS NULL "
                        + "AND state IN ('PENDING', 'REVOKING')",
                ps -> {
                    ps.setString(1, ts);
                    ps.setString(2, id);
                });
    }

    @Override
    public List<RevocationRequest> pendingExpiredBefore(Instant now, int limit) {
        return list(
                "SELECT " + COLUMNS + " FROM revocation_request WHERE state = 'PENDING' AND expires_at <= ? "
                        + "ORDER BY expires_at LIMIT ?",
                ps -> {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setInt(2, limit);
                });
    }

    @Override
    public boolean recordJwtProof(String id, String owner, JwtProof proof) {
        return update(
                        "UPDATE revocation_request SET jwt_proof = ? WHERE id = ? AND state = 'REVOKING' AND lease_owner = ? "
                                + "AND jwt_proof IS NULL",
                        ps -> {
                            ps.setString(1, proof.code());
                            ps.setString(2, id);
                            ps.setString(3, owner);
                        })
                == 1;
    }

    @Override
    public List<RevocationRequest> pendingPastHalfTime(Instant now, int limit) {
        // Half time: created_at + (expires_at - created_at) / 2 <= now, without a division.
        return list(
                "SELECT " + COLUMNS + " FROM revocation_request WHERE state = 'PENDING' AND reminded_at IS NULL "
                        + "AND card_ts IS NOT NULL AND created_at + expires_at <= ? AND expires_at > ? ORDER BY expires_at LIMIT ?",
                ps -> {
                    ps.setLong(1, 2 * now.toEpochMilli());
                    ps.setLong(2, now.toEpochMilli());
                    ps.setInt(3, limit);
                });
    }

    @Override
    public boolean markReminded(String id, Instant at) {
        return update(
                        "UPDATE revocation_request SET reminded_at = ? WHERE id = ? AND state = 'PENDING' AND reminded_at IS NULL",
                        ps -> {
                            ps.setLong(1, at.toEpochMilli());
                            ps.setString(2, id);
                        })
                == 1;
    }

    @Override
    public List<RevocationRequest> newestOf(String teamId, int limit) {
        return list(
                "SELECT " + COLUMNS + " FROM revocation_request WHERE team_id = ? ORDER BY created_at DESC LIMIT ?",
                ps -> {
                    ps.setString(1, teamId);
                    ps.setInt(2, limit);
                });
    }

    /** How many requests wait for a decision (for the metrics gauge). */
    public long countPending() {
        try (var c = ds.getConnection();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM revocation_request WHERE state = 'PENDING'")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new StorageException("Could not count requests", e);
        }
    }

    @Override
    public List<RevocationRequest> revoking(Instant staleBefore, int limit) {
        return list(
                "SELECT " + COLUMNS + " FROM revocation_request WHERE state = 'REVOKING' "
                        + "AND COALESCE(heartbeat_at, decided_at) < ? ORDER BY COALESCE(heartbeat_at, decided_at) LIMIT ?",
                ps -> {
                    ps.setLong(1, staleBefore.toEpochMilli());
                    ps.setInt(2, limit);
                });
    }

    @Override
    public boolean renewLease(String id, String owner, Instant at) {
        return update(
                        "UPDATE revocation_request SET heartbeat_at = ? WHERE id = ? AND state = 'REVOKING' AND lease_owner = ?",
                        ps -> {
                            ps.setLong(1, at.toEpochMilli());
                            ps.setString(2, id);
                            ps.setString(3, owner);
                        })
                == 1;
    }

    @Override
    public boolean releaseLease(String id, String owner) {
        return update(
                        "UPDATE revocation_request SET lease_owner = NULL, heartbeat_at = 0 WHERE id = ? AND state = 'REVOKING' "
                                + "AND lease_owner = ?",
                        ps -> {
                            ps.setString(1, id);
                            ps.setString(2, owner);
                        })
                == 1;
    }

    @Override
    public boolean claimLapsed(String id, String newOwner, Instant staleBefore, Instant at) {
        return update(
                        "UPDATE revocation_request SET lease_owner = ?, heartbeat_at = ? WHERE id = ? AND state = 'REVOKING' "
                                + "AND COALESCE(heartbeat_at, decided_at) < ?",
                        ps -> {
                            ps.setString(1, newOwner);
                            ps.setLong(2, at.toEpochMilli());
                            ps.setString(3, id);
                            ps.setLong(4, staleBefore.toEpochMilli());
                        })
                == 1;
    }

    private List<RevocationRequest> list(String sql, Binder binder) {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (var rs = ps.executeQuery()) {
                var rows = new ArrayList<RevocationRequest>();
                while (rs.next()) {
                    rows.add(read(rs, List.of()));
                }
                var out = new ArrayList<RevocationRequest>();
                for (var r : rows) {
                    out.add(r.withKeys(keys(c, r.id())));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StorageException("Could not list requests", e);
        }
    }

    private int update(String sql, Binder binder) {
        try (Connection c = ds.getConnection();
                var ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException("Could not write request", e);
        }
    }

    private static RevocationRequest read(ResultSet rs, List<RequestKey> keys) throws SQLException {
        var details = rs.getInt("key_known") == 1
                ? new KeyDetails(
                        rs.getString("key_name"), rs.getString("key_created"), rs.getString("key_scopes"), false)
                : null;
        return new RevocationRequest(
                rs.getString("id"),
                rs.getString("team_id"),
                rs.getString("channel_id"),
                rs.getString("requester_id"),
                rs.getString("api_key"),
                rs.getString("reason"),
                RequestState.valueOf(rs.getString("state")),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("expires_at")),
                rs.getString("decided_by"),
                millis(rs, "decided_at"),
                Outcome.of(rs.getString("outcome")),
                rs.getString("outcome_detail"),
                integer(rs, "pinata_status"),
                rs.getString("card_ts"),
                details,
                rs.getInt("dry_run") == 1,
                keys,
                rs.getString("leaked_jwt_sha256"),
                JwtProof.of(rs.getString("jwt_proof")),
                millis(rs, "reminded_at"),
                rs.getString("thread_ts"));
    }

    private static Instant millis(ResultSet rs, String col) throws SQLException {
        var v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Integer integer(ResultSet rs, String col) throws SQLException {
        var v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }

    static void setMillis(PreparedStatement ps, int i, Instant v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v.toEpochMilli());
        }
    }

    static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }
}
