package cloud.pinata.revokebot.revocation;

import cloud.pinata.revokebot.revocation.Ports.AuditLog;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every step of the flow leaves one audit record and one log line, written here and only here. */
public final class AuditTrail {
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

    private final AuditLog audit;
    private final Clock clock;

    public AuditTrail(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    public void record(AuditEvent e) {
        var c = e.actor();
        audit.append(new AuditRecord(
                clock.instant(),
                c.teamId(),
                c.channelId(),
                c.userId(),
                e.action().code(),
                e.requestId(),
                e.apiKey(),
                e.reason(),
                e.outcome(),
                e.pinataStatus()));
        // One line per interaction outcome; with LOG_FORMAT=json the key-value pairs become JSON fields.
        log.atInfo()
                .setMessage("interaction")
                .addKeyValue("action", e.action().code())
                .addKeyValue("outcome", e.outcome())
                .addKeyValue("team", c.teamId())
                .addKeyValue("channel", c.channelId())
                .addKeyValue("user", c.userId())
                .addKeyValue("request", e.requestId())
                .addKeyValue("pinata_status", e.pinataStatus())
                .log();
    }

    /** The newest {@code limit} records of one channel of one workspace, newest first. */
    public List<AuditRecord> recentIn(String teamId, String channelId, int limit) {
        return audit.recent(teamId, channelId, limit);
    }
}
