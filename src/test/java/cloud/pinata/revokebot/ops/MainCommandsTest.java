package cloud.pinata.revokebot.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.DatabaseSettings;
import cloud.pinata.revokebot.revocation.AuditRecord;
import cloud.pinata.revokebot.storage.Database;
import cloud.pinata.revokebot.storage.JdbcAuditLog;
import cloud.pinata.revokebot.support.FakePinata;
import cloud.pinata.revokebot.support.FakeSlack;
import cloud.pinata.revokebot.support.TestJwt;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar … <command>} as an operator runs it. A child JVM where only a real process shows it: the exit
 * status reaching the shell, and nothing but the report or export on stdout (logging goes to stderr). Everything
 * else runs the same command line in this JVM ({@link Run#cli}), which parses and answers exactly as the child would.
 */
class MainCommandsTest {
    @TempDir
    Path dir;

    @Test
    void unknownCommandPrintsUsageAndExitsTwo() throws Exception {
        var run = Run.main(Map.of(), "frobnicate");

        assertEquals(2, run.code(), run.all());
        assertTrue(run.err().contains("Unknown command or option 'frobnicate'."), run.err());
        assertTrue(run.err().contains("Usage: java -jar pinata-revoke-bot.jar"), run.err());
    }

    @Test
    void versionAndHelpAnswerWithoutConfigurationAndExitZero() throws Exception {
        var version = Run.cli(Map.of(), "--version");
        assertEquals(0, version.code(), version.all());
        assertTrue(version.out().strip().matches("pinata-revoke-bot \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), version.out());

        var help = Run.cli(Map.of(), "--help");
        assertEquals(0, help.code(), help.all());
        for (var command : new String[] {"serve", "doctor", "audit", "--version"}) {
            assertTrue(help.out().contains(command), command + " in " + help.out());
        }
        assertFalse(help.out().contains("cds-archive"), "the build's own step is hidden");
        var auditHelp = Run.cli(Map.of(), "audit", "--help");
        assertEquals(0, auditHelp.code(), auditHelp.all());
        assertTrue(auditHelp.out().contains("--csv-raw") && auditHelp.out().contains("--verify"), auditHelp.out());
    }

    @Test
    void anArgumentThatCouldBeAPastedSecretIsNotEchoed() throws Exception {
        try (var logs = new cloud.pinata.revokebot.support.LogCapture()) {
            var run = Run.cli(Map.of(), TestJwt.bot());

            assertEquals(2, run.code(), run.all());
            var payload = TestJwt.bot().split("\\.")[1];
            assertFalse(run.all().contains(payload), "the argument is not echoed: " + run.all());
            assertFalse(logs.all().contains(payload), "nor logged: " + logs.all());
        }
    }

    @Test
    void doctorExitsWithItsResultAndPrintsOnlyTheReport() throws Exception {
        try (var slack = new FakeSlack();
                var pinata = new FakePinata()) {
            slack.setGroup("S0ADMINS", "U0ADMIN1");
            pinata.addKey(TestJwt.BOT_KEY, "revoke-bot", false, TestJwt.BOT_SECRET, null, true);
            var db = "jdbc:sqlite:" + dir.resolve("bot.db");
            Database.open(DatabaseSettings.fromUrl(db)).close();
            var env = new HashMap<>(Map.of(
                    "SLACK_BOT_TOKEN",
                    FakeSlack.BOT_TOKEN,
                    "SLACK_SIGNING_SECRET",
                    "8f742231b10e8888abcd99yyyzzz85a5",
                    "PINATA_ADMIN_JWT",
                    TestJwt.bot(),
                    "ADMIN_USERGROUPS",
                    "S0ADMINS",
                    "DATABASE_URL",
                    db,
                    "PINATA_API_URL",
                    pinata.url(),
                    "SLACK_API_URL",
                    slack.apiUrl()));

            var ok = Run.main(env, "doctor");
            assertEquals(0, ok.code(), ok.all());
            for (var line : ok.out().strip().split("\n")) {
                assertTrue(
                        line.startsWith("[ OK ] ") || line.equals("All 6 checks passed."), "unexpected line: " + line);
            }

            pinata.failList(FakePinata.json(403, "{\"error\":{\"reason\":\"NO_SCOPES_FOUND\"}}"));
            var failing = Run.cli(env, "doctor");
            assertEquals(1, failing.code(), failing.all());
            assertTrue(failing.out().contains("[FAIL] Pinata JWT: not an Admin key"), failing.out());
        }
    }

    @Test
    void auditVerifyExitsZeroOnAnIntactChainAndOneOnABrokenOne() throws Exception {
        var db = "jdbc:sqlite:" + dir.resolve("audit.db");
        try (var database = Database.open(DatabaseSettings.fromUrl(db))) {
            var log = new JdbcAuditLog(database.dataSource());
            for (int i = 0; i < 3; i++) {
                log.append(new AuditRecord(
                        Instant.now(),
                        "T0TEAM",
                        "C0INC",
                        "U0ADMIN1",
                        "command",
                        null,
                        null,
                        "reason " + i,
                        "help",
                        null));
            }
        }
        var env = Map.of("DATABASE_URL", db);

        var intact = Run.cli(env, "audit", "--verify");
        assertEquals(0, intact.code(), intact.all());
        assertTrue(intact.out().startsWith("OK: audit chain intact, 3 rows"), intact.out());
        assertEquals("", intact.err());

        var export = Run.main(env, "audit", "--format", "csv");
        assertEquals(0, export.code(), export.all());
        assertTrue(export.out().startsWith(String.join(",", AuditCommand.COLUMNS) + "\r\n"), export.out());
        assertEquals(4, Csv.parse(export.out()).size());

        try (var c = java.sql.DriverManager.getConnection(db);
                var s = c.createStatement()) {
            s.execute("DROP TRIGGER audit_log_no_update");
            s.execute("UPDATE audit_log SET user_id = 'U0SOMEONE' WHERE id = 2");
        }
        var broken = Run.cli(env, "audit", "--verify");
        assertEquals(1, broken.code(), broken.all());
        assertTrue(broken.out().startsWith("BROKEN at row id 2"), broken.out());
    }

    @Test
    void auditWithBadArgumentsExitsTwo() throws Exception {
        var run = Run.cli(Map.of(), "audit", "--format", "xml");

        assertEquals(2, run.code(), run.all());
        assertTrue(run.err().contains("--format must be json or csv."), run.err());
    }
}
