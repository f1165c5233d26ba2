package cloud.pinata.revokebot.storage;

import java.util.List;

/**
 * The schema as Flyway sees it, read without changing anything. Each list holds migrations as {@code V2 (audit hash chain)}.
 * {@code skipped} are known to this build but older than the newest applied one: Flyway will not apply them.
 */
public record MigrationStatus(
        String current, List<String> pending, List<String> failed, List<String> skipped, List<String> unknownApplied) {
    public MigrationStatus {
        pending = List.copyOf(pending);
        failed = List.copyOf(failed);
        skipped = List.copyOf(skipped);
        unknownApplied = List.copyOf(unknownApplied);
    }

    /** Up to date: nothing pending, failed or skipped (migrations from a newer build are tolerated, as Flyway does). */
    public boolean upToDate() {
        return pending.isEmpty() && failed.isEmpty() && skipped.isEmpty();
    }
}
