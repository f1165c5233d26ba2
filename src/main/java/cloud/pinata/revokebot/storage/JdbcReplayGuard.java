package cloud.pinata.revokebot.storage;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Signed Slack requests already accepted, in the shared database: a signature is accepted once, by whichever instance
 * records it first (the primary key decides), so a replay of a captured request inside Slack's five-minute window
 * changes nothing on any instance. Rows are deleted once their timestamp is {@link #KEEP} in the past: past the
 * window (five minutes either way) with five more minutes for clocks that disagree between instances.
 */
public final class JdbcReplayGuard {
    /** How long after its Slack timestamp a signature is kept. */
    public static final Duration KEEP = Duration.ofMinutes(10);
    /** Pruning runs at most this often per instance, inside a call that records a request. */
    static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final DataSource ds;
    private final Clock clock;
    private final AtomicLong prunedAt = new AtomicLong(Long.MIN_VALUE);

    public JdbcReplayGuard(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /**
     * Records a verified request's signature: true when this is its first use, false when any instance has seen it.
     * Throws {@link IllegalStateException} when the database cannot say (the caller refuses the request).
     */
    public boolean firstUse(long slackTimestamp, String signature) {
        var now = clock.millis();
        pruneIfDue(now);
        try (var c = ds.getConnection();
                var ps = c.prepareStatement(
                        "INSERT INTO slack_request_seen (signature, request_ts, seen_at) VALUES (?,?,?) "
                                + "ON CONFLICT (signature) DO NOTHING")) {
            ps.setString(1, signature);
            ps.setLong(2, slackTimestamp);
            ps.setLong(3, now);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("could not record a Slack request signature: " + e.getMessage(), e);
        }
    }

    private void pruneIfDue(long now) {
        var last = prunedAt.get();
        if (last != Long.MIN_VALUE && now - last < PRUNE_EVERY.toMillis() || !prunedAt.compareAndSet(last, now)) {
            return;
        }
        var cutoffSeconds = (now - KEEP.toMillis()) / 1000;
        try (var c = ds.getConnection();
                var ps = c.prepareStatement("DELETE FROM slack_request_seen WHERE request_ts < ?")) {
            ps.setLong(1, cutoffSeconds);
            ps.executeUpdate();
        } catch (SQLException e) {
            // Pruning is housekeeping: the next due call tries again; recording still works.
            org.slf4j.LoggerFactory.getLogger(JdbcReplayGuard.class)
                    .warn("Pruning old Slack signatures failed: {}", e.getMessage());
        }
    }
}
