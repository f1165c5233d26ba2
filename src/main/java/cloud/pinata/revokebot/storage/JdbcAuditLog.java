package cloud.pinata.revokebot.storage;

import cloud.pinata.revokebot.revocation.AuditRecord;
import cloud.pinata.revokebot.revocation.Ports.AuditLog;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit trail in SQL: INSERT only (the schema's triggers refuse UPDATE and DELETE). */
public final class JdbcAuditLog implements AuditLog {
    private final DataSource ds;

    public JdbcAuditLog(DataSource ds) {
        this.ds = ds;
    }

    @Override
    public void append(AuditRecord r) {
        try (var c = ds.getConnection();
             var ps = c.prepareStatement("INSERT INTO audit_log (at, team_id, channel_id, user_id, action, request_id, "
                     + "api_key, reason, outcome, pinata_status) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
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
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException("Could not append to the audit log", e);
        }
    }

    /** The newest {@code limit} records, newest first. */
    public List<AuditRecord> recent(int limit) {
        try (var c = ds.getConnection();
             var ps = c.prepareStatement("SELECT at, team_id, channel_id, user_id, action, request_id, api_key, reason, "
                     + "outcome, pinata_status FROM audit_log ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (var rs = ps.executeQuery()) {
                var out = new ArrayList<AuditRecord>();
                while (rs.next()) {
                    var status = rs.getInt("pinata_status");
                    out.add(new AuditRecord(Instant.ofEpochMilli(rs.getLong("at")), rs.getString("team_id"),
                            rs.getString("channel_id"), rs.getString("user_id"), rs.getString("action"),
                            rs.getString("request_id"), rs.getString("api_key"), rs.getString("reason"),
                            rs.getString("outcome"), rs.wasNull() ? null : status));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StorageException("Could not read the audit log", e);
        }
    }
}
