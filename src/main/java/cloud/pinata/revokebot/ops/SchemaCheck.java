package cloud.pinata.revokebot.ops;

import cloud.pinata.revokebot.storage.MigrationStatus;

/** Whether a schema, read without migrating, is the one this build's code reads, for the read-only commands. */
final class SchemaCheck {
    private SchemaCheck() {}

    /** Null when this build can read the schema as it is; otherwise what is wrong and what to do, in one sentence. */
    static String describe(MigrationStatus s) {
        if ("none".equals(s.current())) {
            return "it has no migrations applied (the bot never started on this database?); check DATABASE_URL";
        }
        if (!s.failed().isEmpty()) {
            return "migration " + String.join(", ", s.failed()) + " failed part-way; run doctor for the fix";
        }
        if (!s.unknownApplied().isEmpty()) {
            return "it is newer than this build (at " + s.current() + ", with " + String.join(", ", s.unknownApplied())
                    + " unknown here): run the audit command of the bot version that runs on it";
        }
        if (!s.pending().isEmpty() || !s.skipped().isEmpty()) {
            var missing = new java.util.ArrayList<>(s.skipped());
            missing.addAll(s.pending());
            return "it is older than this build (at " + s.current() + ", without " + String.join(", ", missing)
                    + "): run the audit command of the bot version that runs on it, or start this version's bot "
                    + "once to migrate (see CHANGELOG.md)";
        }
        return null;
    }
}
