package cloud.pinata.revokebot.storage;

import cloud.pinata.revokebot.revocation.AuditRecord;
import cloud.pinata.revokebot.revocation.Ports.AuditLog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The audit trail in SQL: INSERT only (the schema's triggers refuse UPDATE and DELETE), each row chained to the one
 * before it by a hash (see {@link AuditChain}). Appends are serialised across threads and processes by a database
 * lock, so the chain stays one line however many instances write to it.
 */
public final class JdbcAuditLog implements AuditLog {
    /** The PostgreSQL advisory lock that serialises appends; any constant no other code uses ("pinataau"). */
    private static final long CHAIN_LOCK = 0x70696e6174616175L;

    private static final String COLUMNS = "id, at, team_id, channel_id, user_id, action, request_id, api_key, reason, "
            + "outcome, pinata_status, prev_hash, hash";

    private final DataSource ds;

    public JdbcAuditLog(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Reads the newest hash and inserts the row after it in one transaction that holds the chain's lock: PostgreSQL's
     * transaction-scoped advisory lock, or SQLite's write lock taken up front with {@code BEGIN IMMEDIATE} (a deferred
     * transaction would read first and then fail to upgrade when another writer got in between).
     */
    @Override
    public void append(AuditRecord record) {
        var r = AuditChain.asStored(record);
        try (var c = ds.getConnection()) {
            if (isPostgres(c)) {
                c.setAutoCommit(false);
                try {
                    try (var lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                        lock.setLong(1, CHAIN_LOCK);
                        lock.execute();
                    }
                    insert(c, r);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, true);
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } else {
                // The xerial driver begins DEFERRED transactions; this one must hold the write lock before it reads.
                try (var s = c.createStatement()) {
                    s.execute("BEGIN IMMEDIATE");
                }
                try {
                    insert(c, r);
                    try (var s = c.createStatement()) {
                        s.execute("COMMIT");
                    }
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c, false);
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new StorageException("Could not append to the audit log", e);
        }
    }

    private static void insert(Connection c, AuditRecord r) throws SQLException {
        String prev = null;
        try (var s = c.createStatement();
                var rs = s.executeQuery("SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1")) {
            if (rs.next()) {
                prev = rs.getString(1);
            }
        }
        try (var ps = c.prepareStatement("INSERT INTO audit_log (at, team_id, channel_id, user_id, action, request_id, "
                + "api_key, reason, outcome, pinata_status, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setLong(1, r.at().toEpochMilli());
            ps.setString(2, r.teamId());
            ps.setString(3, r.channelId());
            ps.setString(4, r.userId());
            ps.setString(5, r.action());
            ps.setString(6, r.requestId());
            ps.setString(7, r.apiKey());
            ps.setString(8, r.reason());
            ps.setString(9, r.outcome());
            JdbcRequestStore.setInt(ps, 10, r.pinataStatus());
            ps.setString(11, prev);
            ps.setString(12, AuditChain.hash(prev, r));
            ps.executeUpdate();
        }
    }

    private static void rollbackQuietly(Connection c, boolean jdbcTransaction) {
        try {
            if (jdbcTransaction) {
                c.rollback();
            } else {
                try (var s = c.createStatement()) {
                    s.execute("ROLLBACK");
                }
            }
        } catch (SQLException ignored) {
            // the original failure is the one worth reporting; a dead connection is dropped by the pool
        }
    }

    private static boolean isPostgres(Connection c) throws SQLException {
        return "PostgreSQL".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
    }

    /** The newest {@code limit} records, newest first. */
    public List<AuditRecord> recent(int limit) {
        return recent("", limit, null, null);
    }

    @Override
    public List<AuditRecord> recent(String teamId, String channelId, int limit) {
        return recent(" WHERE team_id = ? AND channel_id = ?", limit, teamId, channelId);
    }

    private List<AuditRecord> recent(String where, int limit, String teamId, String channelId) {
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "SELECT at, team_id, channel_id, user_id, action, request_id, api_key, reason, "
                                + "outcome, pinata_status FROM audit_log" + where + " ORDER BY id DESC LIMIT ?")) {
            var i = 1;
            if (teamId != null) {
                ps.setString(i++, teamId);
                ps.setString(i++, channelId);
            }
            ps.setInt(i, limit);
            try (var rs = ps.executeQuery()) {
                var out = new ArrayList<AuditRecord>();
                while (rs.next()) {
                    out.add(record(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StorageException("Could not read the audit log", e);
        }
    }

    /** Streams every row at or after {@code since} (all rows when null), oldest first; returns how many. */
    public long forEachSince(Instant since, Consumer<AuditEntry> sink) {
        var sql = "SELECT " + COLUMNS + " FROM audit_log" + (since == null ? "" : " WHERE at >= ?") + " ORDER BY id";
        return scan(sql, since, e -> {
            sink.accept(e);
            return true;
        });
    }

    /** Recomputes the whole chain, oldest row first, and reports the first link that does not hold. */
    public ChainCheck verify() {
        var verifier = new AuditChain.Verifier();
        scan("SELECT " + COLUMNS + " FROM audit_log ORDER BY id", null, verifier::accept);
        return verifier.result();
    }

    @FunctionalInterface
    private interface RowSink {
        boolean accept(AuditEntry entry);
    }

    private long scan(String sql, Instant since, RowSink sink) {
        try (var c = ds.getConnection()) {
            // PostgreSQL only streams with a fetch size inside a transaction; otherwise it loads every row at once.
            var postgres = isPostgres(c);
            if (postgres) {
                c.setAutoCommit(false);
            }
            try (var ps = c.prepareStatement(sql)) {
                ps.setFetchSize(500);
                if (since != null) {
                    ps.setLong(1, since.toEpochMilli());
                }
                long n = 0;
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n++;
                        if (!sink.accept(new AuditEntry(
                                rs.getLong("id"), record(rs), rs.getString("prev_hash"), rs.getString("hash")))) {
                            break;
                        }
                    }
                }
                return n;
            } finally {
                if (postgres) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new StorageException("Could not read the audit log", e);
        }
    }

    private static AuditRecord record(ResultSet rs) throws SQLException {
        var status = rs.getInt("pinata_status");
        var statusOrNull = rs.wasNull() ? null : status;
        return new AuditRecord(
                Instant.ofEpochMilli(rs.getLong("at")),
                rs.getString("team_id"),
                rs.getString("channel_id"),
                rs.getString("user_id"),
                rs.getString("action"),
                rs.getString("request_id"),
                rs.getString("api_key"),
                rs.getString("reason"),
                rs.getString("outcome"),
                statusOrNull);
    }
}
