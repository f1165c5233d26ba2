package cloud.pinata.revokebot.ops;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.DatabaseSettings;
import cloud.pinata.revokebot.revocation.AuditRecord;
import cloud.pinata.revokebot.storage.AuditChain;
import cloud.pinata.revokebot.storage.AuditEntry;
import cloud.pinata.revokebot.storage.ChainCheck;
import cloud.pinata.revokebot.storage.Database;
import cloud.pinata.revokebot.storage.JdbcAuditLog;
import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.Postgres;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit hash chain end to end: written by the app, verified, broken by hand, written concurrently, exported. */
class AuditTrailTest {
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    static final String NASTY_REASON = "comma, \"quotes\"\r\nnew line; ünïcødé 🔑 <@U0X> =HYPERLINK(\"x\") | 3:abc";

    @TempDir
    Path dir;

    // --- written by the app --------------------------------------------------------------------------------------

    @Test
    void chainVerifiesAfterCommandCardAndConfirm() throws Exception {
        try (var h = new BotHarness()) {
            h.pinata.addKey(KEY, "ci-deploy", false, "f".repeat(64));
            h.start();
            h.command(ADMIN, CHANNEL, KEY + " leaked in a public repo");
            var id = h.awaitCardRequestId(1);
            h.click("revoke_confirm", ADMIN2, CHANNEL, id);
            await(
                    "revocation audited",
                    () -> h.bot().audit().recent(10).stream()
                            .anyMatch(a -> a.outcome().equals("revoked")));
            var rows = h.bot().audit().recent(100).size();
            var env = Map.of("DATABASE_URL", h.jdbcUrl());

            var verify = Run.audit(env, CLOCK, "--verify");

            assertEquals(0, verify.code(), verify.all());
            assertTrue(
                    verify.out().startsWith("OK: audit chain intact, " + rows + " rows; newest row id "), verify.out());
            var lines = jsonLines(Run.audit(env, CLOCK, "--format", "json").out());
            assertEquals(rows, lines.size());
            assertTrue(lines.get(0).get("prev_hash").isNull(), "the first row starts the chain");
            for (int i = 1; i < lines.size(); i++) {
                assertEquals(
                        lines.get(i - 1).get("hash").asText(),
                        lines.get(i).get("prev_hash").asText());
                assertTrue(lines.get(i).get("hash").asText().matches("[0-9a-f]{64}"));
            }
            assertTrue(lines.stream()
                    .anyMatch(l -> l.get("outcome").asText().equals("revoked")
                            && l.get("pinata_status").asInt() == 200
                            && l.get("api_key").asText().equals(KEY)));
        }
    }

    // --- broken by hand ------------------------------------------------------------------------------------------

    @Test
    void verifyNamesTheRowWhoseReasonWasEdited() throws Exception {
        var url = sqliteWithRows(5);
        assertThrows(
                SQLException.class,
                () -> exec(url, "UPDATE audit_log SET reason = 'x' WHERE id = 3"),
                "the append-only trigger is still there");
        exec(url, "DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET reason = 'routine rotation' WHERE id = 3");

        var run = Run.audit(Map.of("DATABASE_URL", url), CLOCK, "--verify");

        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().startsWith("BROKEN at row id 3: hash mismatch: stored "), run.out());
        assertTrue(
                run.out().contains("the row's fields (or its prev_hash) were changed after it was written"), run.out());
        assertTrue(run.out().contains("(2 earlier rows verified)"), run.out());
    }

    @Test
    void verifyCatchesAnEditWhoseHashWasRecomputedAtTheNextRow() throws Exception {
        var url = sqliteWithRows(5);
        var forged = new AuditRecord(
                at(3), "T0TEAM", CHANNEL, ADMIN, "command", "req-3", KEY, "routine rotation", "card_posted", null);
        String prev;
        try (var c = DriverManager.getConnection(url);
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT prev_hash FROM audit_log WHERE id = 3")) {
            rs.next();
            prev = rs.getString(1);
        }
        exec(
                url,
                "DROP TRIGGER audit_log_no_update",
                "UPDATE audit_log SET reason = 'routine rotation', hash = '" + AuditChain.hash(prev, forged)
                        + "' WHERE id = 3");

        var run = Run.audit(Map.of("DATABASE_URL", url), CLOCK, "--verify");

        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().startsWith("BROKEN at row id 4: prev_hash is "), run.out());
        assertTrue(run.out().contains("but the previous row (id 3) has hash"), run.out());
    }

    @Test
    void verifyCatchesADeletedMiddleRow() throws Exception {
        var url = sqliteWithRows(5);
        exec(url, "DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE id = 3");

        var run = Run.audit(Map.of("DATABASE_URL", url), CLOCK, "--verify");

        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().startsWith("BROKEN at row id 4: prev_hash is "), run.out());
        assertTrue(run.out().contains("the previous row (id 2)"), run.out());
        assertTrue(run.out().contains("a row between them was deleted"), run.out());
    }

    @Test
    void verifyCatchesADeletedFirstRow() throws Exception {
        var url = sqliteWithRows(3);
        exec(url, "DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE id = 1");

        var run = Run.audit(Map.of("DATABASE_URL", url), CLOCK, "--verify");

        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().startsWith("BROKEN at row id 2: "), run.out());
        assertTrue(run.out().contains("the row(s) before it were deleted"), run.out());
    }

    @Test
    void verifyCatchesARowInsertedWithoutTheChain() throws Exception {
        var url = sqliteWithRows(3);
        exec(url, "INSERT INTO audit_log (at, action, outcome) VALUES (1, 'command', 'help')");

        var run = Run.audit(Map.of("DATABASE_URL", url), CLOCK, "--verify");

        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().startsWith("BROKEN at row id 4: has no hash"), run.out());
    }

    @Test
    void rowsWrittenBeforeTheChainExistedAreItsStart() throws Exception {
        var url = "jdbc:sqlite:" + dir.resolve("upgraded.db");
        Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration/sqlite")
                .target("1")
                .load()
                .migrate();
        exec(
                url,
                "INSERT INTO audit_log (at, action, outcome) VALUES (1, 'command', 'help')",
                "INSERT INTO audit_log (at, action, outcome) VALUES (2, 'command', 'invalid_input')");
        try (var db = Database.open(DatabaseSettings.fromUrl(url))) {
            var log = new JdbcAuditLog(db.dataSource());
            for (int i = 1; i <= 3; i++) {
                log.append(record(i, at(i)));
            }
            var check = assertInstanceOf(ChainCheck.Intact.class, log.verify());
            assertEquals(5, check.rows());
            assertEquals(2, check.unchained());
            assertEquals(5L, check.headId());
        }

        var run = Run.audit(Map.of("DATABASE_URL", url), CLOCK, "--verify");

        assertEquals(0, run.code(), run.all());
        assertTrue(
                run.out()
                        .startsWith(
                                "OK: audit chain intact, 5 rows (the first 2 written before the hash chain existed)"),
                run.out());
    }

    // --- written concurrently ------------------------------------------------------------------------------------

    @Test
    void appendsFromEightThreadsKeepOneValidChainOnSqlite() throws Exception {
        try (var db = Database.open(DatabaseSettings.fromUrl("jdbc:sqlite:" + dir.resolve("busy.db")))) {
            var log = new JdbcAuditLog(db.dataSource());

            appendConcurrently(List.of(log), 8, 40);

            var check = assertInstanceOf(
                    ChainCheck.Intact.class, log.verify(), () -> log.verify().toString());
            assertEquals(320, check.rows());
        }
    }

    @Test
    void appendsFromTwoDatabaseInstancesOnOnePostgresKeepOneValidChain() throws Exception {
        var url = Postgres.newJdbcUrl();
        try (var one = Database.open(DatabaseSettings.fromUrl(url));
                var two = Database.open(DatabaseSettings.fromUrl(url))) {
            var logs = List.of(new JdbcAuditLog(one.dataSource()), new JdbcAuditLog(two.dataSource()));

            appendConcurrently(logs, 8, 40);

            var check = assertInstanceOf(
                    ChainCheck.Intact.class,
                    logs.get(0).verify(),
                    () -> logs.get(0).verify().toString());
            assertEquals(320, check.rows());
        }
        var run = Run.audit(Map.of("DATABASE_URL", url), CLOCK, "--verify");
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().startsWith("OK: audit chain intact, 320 rows"), run.out());
    }

    @Test
    void verifyCatchesAnEditOnPostgres() throws Exception {
        var url = Postgres.newJdbcUrl();
        try (var db = Database.open(DatabaseSettings.fromUrl(url))) {
            var log = new JdbcAuditLog(db.dataSource());
            for (int i = 1; i <= 4; i++) {
                log.append(record(i, at(i)));
            }
        }
        assertThrows(
                SQLException.class,
                () -> exec(url, "UPDATE audit_log SET reason = 'x' WHERE id = 2"),
                "the append-only trigger is still there");
        exec(
                url,
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
                "UPDATE audit_log SET outcome = 'cancelled' WHERE id = 2");

        var run = Run.audit(Map.of("DATABASE_URL", url), CLOCK, "--verify");

        assertEquals(1, run.code(), run.all());
        assertTrue(run.out().startsWith("BROKEN at row id 2: hash mismatch"), run.out());
    }

    // --- exported ------------------------------------------------------------------------------------------------

    @Test
    void jsonExportRoundTripsEveryFieldOldestFirstAndSinceFilters() throws Exception {
        var url = sqliteWithExportRows();
        var file = dir.resolve("audit.jsonl");

        var run = Run.audit(
                Map.of("DATABASE_URL", url), CLOCK, "--since", "7d", "--format", "json", "--output", file.toString());

        assertEquals(0, run.code(), run.all());
        assertEquals("Wrote 3 audit rows to " + file + " (JSON Lines).\n", run.out());
        var lines = jsonLines(Files.readString(file, StandardCharsets.UTF_8));
        var expected = storedSince(url, NOW.minus(Duration.ofDays(7)));
        assertEquals(3, expected.size());
        assertEquals(expected.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            var l = lines.get(i);
            var e = expected.get(i);
            assertEquals(e.id(), l.get("id").asLong());
            assertEquals(
                    e.record(),
                    new AuditRecord(
                            Instant.parse(l.get("at").asText()),
                            text(l, "team_id"),
                            text(l, "channel_id"),
                            text(l, "user_id"),
                            text(l, "action"),
                            text(l, "request_id"),
                            text(l, "api_key"),
                            text(l, "reason"),
                            text(l, "outcome"),
                            l.get("pinata_status").isNull()
                                    ? null
                                    : l.get("pinata_status").asInt()));
            assertEquals(e.prevHash(), text(l, "prev_hash"));
            assertEquals(e.hash(), text(l, "hash"));
            assertEquals(AuditCommand.COLUMNS, fieldNames(l));
        }
        assertEquals(NASTY_REASON, lines.get(0).get("reason").asText());
        assertEquals("", lines.get(1).get("reason").asText(), "an empty reason stays empty, not null");
    }

    @Test
    void csvExportRoundTripsEveryFieldWithHeaderAndQuoting() throws Exception {
        var url = sqliteWithExportRows();
        var file = dir.resolve("audit.csv");

        var run = Run.audit(
                Map.of("DATABASE_URL", url), CLOCK, "--since=P7D", "--format=csv", "--output", file.toString());

        assertEquals(0, run.code(), run.all());
        var rows = Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(AuditCommand.COLUMNS, rows.get(0));
        var expected = storedSince(url, NOW.minus(Duration.ofDays(7)));
        assertEquals(expected.size() + 1, rows.size());
        for (int i = 0; i < expected.size(); i++) {
            var f = rows.get(i + 1);
            var e = expected.get(i);
            assertEquals(13, f.size());
            assertEquals(Long.toString(e.id()), f.get(0));
            assertEquals(
                    e.record(),
                    new AuditRecord(
                            Instant.parse(f.get(1)),
                            f.get(2),
                            f.get(3),
                            f.get(4),
                            f.get(5),
                            f.get(6),
                            f.get(7),
                            f.get(8),
                            f.get(9),
                            f.get(10) == null ? null : Integer.valueOf(f.get(10))));
            assertEquals(e.prevHash(), f.get(11));
            assertEquals(e.hash(), f.get(12));
        }
        assertEquals(NASTY_REASON, rows.get(1).get(8));
    }

    @Test
    void sinceAlsoTakesMinutesHoursAndAnInstant() throws Exception {
        var url = sqliteWithExportRows();
        var env = Map.of("DATABASE_URL", url);

        assertEquals(2, jsonLines(Run.audit(env, CLOCK, "--since", "90m").out()).size());
        assertEquals(3, jsonLines(Run.audit(env, CLOCK, "--since", "24h").out()).size());
        assertEquals(
                1,
                jsonLines(Run.audit(
                                        env,
                                        CLOCK,
                                        "--since",
                                        NOW.minus(Duration.ofMinutes(45)).toString())
                                .out())
                        .size());
        assertEquals(4, jsonLines(Run.audit(env, CLOCK).out()).size(), "no --since: everything");
    }

    @Test
    void sinceParsesShortFormsIsoDurationsAndMoments() {
        assertEquals(NOW.minus(Duration.ofDays(7)), Since.parse("7d", CLOCK).orElseThrow());
        assertEquals(NOW.minus(Duration.ofHours(24)), Since.parse("24H", CLOCK).orElseThrow());
        assertEquals(
                NOW.minus(Duration.ofMinutes(90)), Since.parse("90m", CLOCK).orElseThrow());
        assertEquals(
                NOW.minus(Duration.ofSeconds(30)), Since.parse("30s", CLOCK).orElseThrow());
        assertEquals(NOW.minus(Duration.ofDays(7)), Since.parse("P7D", CLOCK).orElseThrow());
        assertEquals(
                NOW.minus(Duration.ofHours(36)), Since.parse("pt36h", CLOCK).orElseThrow());
        assertEquals(
                Instant.parse("2026-05-01T10:00:00Z"),
                Since.parse("2026-05-01T10:00:00Z", CLOCK).orElseThrow());
        assertEquals(
                Instant.parse("2026-05-01T00:00:00Z"),
                Since.parse("2026-05-01", CLOCK).orElseThrow());
        for (var bad : new String[] {"", "7", "7x", "-P1D", "P-1D", "last week", "7 d"}) {
            assertTrue(Since.parse(bad, CLOCK).isEmpty(), bad);
        }
    }

    @Test
    void refusesBadArgumentsWithUsageAndExitCodeTwo() throws Exception {
        var env = Map.of("DATABASE_URL", sqliteWithRows(1));
        for (var args : List.of(
                new String[] {"--bogus"},
                new String[] {"--format", "xml"},
                new String[] {"--since", "soon"},
                new String[] {"--since"},
                new String[] {"--verify", "--since", "7d"})) {
            var run = Run.audit(env, CLOCK, args);
            assertEquals(2, run.code(), List.of(args) + ": " + run.all());
            assertTrue(run.err().contains("Usage: audit"), run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void refusesToCreateAMissingSqliteDatabase() {
        var missing = dir.resolve("nowhere").resolve("bot.db");

        var run = Run.audit(Map.of("DATABASE_URL", "jdbc:sqlite:" + missing), CLOCK, "--verify");

        assertEquals(1, run.code());
        assertTrue(run.err().contains("does not exist"), run.err());
        assertFalse(Files.exists(missing));
    }

    @Test
    void reportsAnUnreachableDatabaseWithoutItsPassword() {
        var run =
                Run.audit(Map.of("DATABASE_URL", "postgres://bot:hunter2-db-secret@127.0.0.1:1/x"), CLOCK, "--verify");

        assertEquals(1, run.code());
        assertTrue(run.err().startsWith("Could not read the audit log: "), run.err());
        assertFalse(run.all().contains("hunter2-db-secret"), run.all());
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static Instant at(int i) {
        return NOW.minus(Duration.ofHours(100)).plusSeconds(i);
    }

    private static AuditRecord record(int i, Instant at) {
        return new AuditRecord(
                at, "T0TEAM", CHANNEL, ADMIN, "command", "req-" + i, KEY, "reason " + i, "card_posted", null);
    }

    /** A migrated SQLite file holding {@code n} chained rows with ids 1…n. */
    private String sqliteWithRows(int n) {
        var url = "jdbc:sqlite:" + dir.resolve("rows.db");
        try (var db = Database.open(DatabaseSettings.fromUrl(url))) {
            var log = new JdbcAuditLog(db.dataSource());
            for (int i = 1; i <= n; i++) {
                log.append(record(i, at(i)));
            }
        }
        return url;
    }

    /** One row from 10 days ago, then three from the last two hours with awkward text and nulls. */
    private String sqliteWithExportRows() {
        var url = "jdbc:sqlite:" + dir.resolve("export.db");
        try (var db = Database.open(DatabaseSettings.fromUrl(url))) {
            var log = new JdbcAuditLog(db.dataSource());
            log.append(new AuditRecord(
                    NOW.minus(Duration.ofDays(10)),
                    "T0TEAM",
                    CHANNEL,
                    ADMIN,
                    "command",
                    null,
                    null,
                    "too old",
                    "help",
                    null));
            log.append(new AuditRecord(
                    NOW.minus(Duration.ofHours(2)).plusMillis(123),
                    "T0TEAM",
                    CHANNEL,
                    ADMIN,
                    "command",
                    "req-1",
                    KEY,
                    NASTY_REASON,
                    "card_posted",
                    null));
            log.append(new AuditRecord(
                    NOW.minus(Duration.ofHours(1)),
                    "T0TEAM",
                    null,
                    null,
                    "expire",
                    "req-1",
                    null,
                    "",
                    "expired",
                    null));
            log.append(new AuditRecord(
                    NOW.minus(Duration.ofMinutes(30)),
                    "T0TEAM",
                    CHANNEL,
                    ADMIN2,
                    "confirm",
                    "req-2",
                    KEY,
                    "leaked",
                    "revoked",
                    200));
        }
        return url;
    }

    private static List<AuditEntry> storedSince(String url, Instant since) {
        try (var db = Database.open(DatabaseSettings.fromUrl(url))) {
            var out = new ArrayList<AuditEntry>();
            new JdbcAuditLog(db.dataSource()).forEachSince(since, out::add);
            out.forEach(e -> assertNotNull(e.hash()));
            return out;
        }
    }

    private static void appendConcurrently(List<JdbcAuditLog> logs, int threads, int each) throws Exception {
        var pool = Executors.newFixedThreadPool(threads);
        try {
            var start = new CountDownLatch(1);
            var futures = new ArrayList<Future<Void>>();
            for (int t = 0; t < threads; t++) {
                var log = logs.get(t % logs.size());
                var thread = t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        log.append(record(thread * 1000 + i, at(i)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (var f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void exec(String url, String... statements) throws SQLException {
        try (var c = DriverManager.getConnection(url);
                var s = c.createStatement()) {
            for (var sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static List<JsonNode> jsonLines(String text) throws Exception {
        var mapper = new ObjectMapper();
        var out = new ArrayList<JsonNode>();
        for (var line : text.split("\n")) {
            if (!line.isEmpty()) {
                out.add(mapper.readTree(line));
            }
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        var v = node.get(field);
        assertNotNull(v, field + " is always present");
        return v.isNull() ? null : v.asText();
    }

    private static List<String> fieldNames(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
