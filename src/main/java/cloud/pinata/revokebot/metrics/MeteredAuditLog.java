package cloud.pinata.revokebot.metrics;

import cloud.pinata.revokebot.revocation.AuditRecord;
import cloud.pinata.revokebot.revocation.Ports.AuditLog;
import java.util.List;

/** Counts every audit record as it is appended: the audit trail and the metrics can never disagree. */
public final class MeteredAuditLog implements AuditLog {
    private final AuditLog delegate;
    private final BotMetrics metrics;

    public MeteredAuditLog(AuditLog delegate, BotMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public void append(AuditRecord record) {
        delegate.append(record);
        metrics.recordInteraction(record.action(), record.outcome());
    }

    @Override
    public List<AuditRecord> recent(int limit) {
        return delegate.recent(limit);
    }

    @Override
    public List<AuditRecord> recent(String teamId, String channelId, int limit) {
        return delegate.recent(teamId, channelId, limit);
    }
}
