package cloud.pinata.revokebot.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.DatabaseSettings;
import cloud.pinata.revokebot.revocation.AuditRecord;
import cloud.pinata.revokebot.storage.Database;
import cloud.pinata.revokebot.storage.JdbcAuditLog;
import cloud.pinata.revokebot.support.Postgres;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit} only reads: it never migrates, and it refuses a schema of another version instead of guessing. */
class AuditReadOnlyTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void sqliteSchemaOlderThanTheBuildIsReportedAndNotMigrated() throws Exception {
        var url = "jdbc:sqlite:" + dir.resolve("old.db");
        migrateTo(url, null, null, "5");

        var export = Run.audit(Map.of("DATABASE_URL", url), CLOCK, "--format", "json");
        var verify = Run.audit(Map.of("DATABASE_URL", url), CLOCK, "--verify");

        for (var run : new Run[] {export, verify}) {
            assertEquals(1, run.code(), run.all());
            assertTrue(run.err().contains("older than this build (at V5, without V6"), run.err());
        }
        assertEquals(5, appliedMigrations(url, null, null), "audit applied no migration");
    }

    @Test
    void sqliteSchemaNewerThanTheBuildIsReported() throws Exception {
        var url = "jdbc:sqlite:" + dir.resolve("new.db");
        migrateTo(url, null, null, null);
        fromTheFuture(url, null, null);

        var run = Run.audit(Map.of("DATABASE_URL", url), CLOCK, "--verify");

        assertEquals(1, run.code(), run.all());
        assertTrue(run.err().contains("newer than this build"), run.err());
    }

    @Test
    void sqliteIsOpenedReadOnly() throws Exception {
        var url = "jdbc:sqlite:" + dir.resolve("bot.db");
        try (var db = Database.open(DatabaseSettings.fromUrl(url))) {
            new JdbcAuditLog(db.dataSource())
                    .append(new AuditRecord(
                            CLOCK.instant(),
                            "T0TEAM",
                            "C0INC",
                            "U0ADMIN1",
                            "command",
                            null,
                            null,
                            "drill",
                            "help",
                            null));
        }
        try (var db = Database.openReadOnly(DatabaseSettings.fromUrl(url).withPoolSize(2));
                var c = db.dataSource().getConnection();
                var s = c.createStatement()) {
            var refused = org.junit.jupiter.api.Assertions.assertThrows(
                    SQLException.class, () -> s.execute("CREATE TABLE x (y INTEGER)"));
            assertTrue(String.valueOf(refused.getMessage()).contains("readonly"), refused.getMessage());
        }
        var run = Run.audit(Map.of("DATABASE_URL", url), CLOCK, "--verify");
        assertEquals(0, run.code(), run.all());
    }

    @Test
    void postgresSchemaOlderOrNewerIsReportedAndNotMigratedAndSessionsAreReadOnly() throws Exception {
        var name = Postgres.newDatabase();
        var jdbc = "jdbc:postgresql://localhost:" + Postgres.port() + "/" + name;
        var env = Map.of(
                "DATABASE_URL",
                "postgres://postgres:postgres@localhost:" + Postgres.port() + "/" + name + "?sslmode=disable");
        migrateTo(jdbc, "postgres", "postgres", "5");

        var older = Run.audit(env, CLOCK, "--verify");
        assertEquals(1, older.code(), older.all());
        assertTrue(older.err().contains("older than this build (at V5, without V6"), older.err());
        assertEquals(5, appliedMigrations(jdbc, "postgres", "postgres"), "audit applied no migration");

        migrateTo(jdbc, "postgres", "postgres", null);
        assertEquals(0, Run.audit(env, CLOCK, "--verify").code(), "the current schema verifies");
        try (var db = Database.openReadOnly(
                        DatabaseSettings.fromUrl(env.get("DATABASE_URL")).withPoolSize(2));
                var c = db.dataSource().getConnection();
                var s = c.createStatement()) {
            var refused = org.junit.jupiter.api.Assertions.assertThrows(
                    SQLException.class, () -> s.execute("CREATE TABLE x (y INTEGER)"));
            assertEquals("25006", refused.getSQLState(), "read_only_sql_transaction: " + refused.getMessage());
        }

        fromTheFuture(jdbc, "postgres", "postgres");
        var newer = Run.audit(env, CLOCK, "--format", "csv");
        assertEquals(1, newer.code(), newer.all());
        assertTrue(newer.err().contains("newer than this build"), newer.err());
        assertEquals("", newer.out(), "no export from a schema this build does not know");
    }

    private static void migrateTo(String url, String user, String password, String target) {
        var sqlite = url.startsWith("jdbc:sqlite:");
        var flyway = Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/migration/" + (sqlite ? "sqlite" : "postgresql"));
        if (target != null) {
            flyway.target(target);
        }
        flyway.load().migrate();
    }

    /** A migration this build does not have, as a newer bot would have left it. */
    private static void fromTheFuture(String url, String user, String password) throws SQLException {
        try (var c = DriverManager.getConnection(url, user, password);
                var s = c.createStatement()) {
            s.execute(
                    "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                            + "installed_by, installed_on, execution_time, success) VALUES (99, '99', 'from the future', 'SQL', "
                            + "'V99__from_the_future.sql', 0, 'someone', CURRENT_TIMESTAMP, 1, "
                            + (url.startsWith("jdbc:sqlite:") ? "1" : "true") + ")");
        }
    }

    private static int appliedMigrations(String url, String user, String password) throws SQLException {
        try (var c = DriverManager.getConnection(url, user, password);
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
