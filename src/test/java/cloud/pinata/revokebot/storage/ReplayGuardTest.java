package cloud.pinata.revokebot.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.DatabaseSettings;
import cloud.pinata.revokebot.support.MutableClock;
import cloud.pinata.revokebot.support.Postgres;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The replay record in SQL on both databases: a signature is accepted once, by any instance, and pruned as it ages. */
class ReplayGuardTest {
    static final Instant T0 = Instant.parse("2026-12-01T03:00:00Z");
    static final String SIG = "v0=" + "a1".repeat(32);

    final MutableClock clock = new MutableClock(T0);
    final List<Database> opened = new ArrayList<>();

    Database fresh(String kind) throws Exception {
        return open(url(kind));
    }

    static String url(String kind) throws Exception {
        return kind.equals("sqlite")
                ? "jdbc:sqlite:" + Files.createTempDirectory("replay").resolve("bot.db")
                : Postgres.newJdbcUrl();
    }

    Database open(String url) {
        var db = Database.open(DatabaseSettings.fromUrl(url));
        opened.add(db);
        return db;
    }

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    private int rows(Database db) throws Exception {
        try (var c = db.dataSource().getConnection();
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM slack_request_seen")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aSignatureIsAcceptedOnce(String kind) throws Exception {
        var guard = new JdbcReplayGuard(fresh(kind).dataSource(), clock);
        var ts = T0.getEpochSecond();
        assertTrue(guard.firstUse(ts, SIG));
        assertFalse(guard.firstUse(ts, SIG), "the same signed request again");
        assertFalse(guard.firstUse(ts, SIG), "and again");
        assertTrue(guard.firstUse(ts, "v0=" + "b2".repeat(32)), "another request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void twoInstancesOnOneDatabaseAcceptASignatureOnceBetweenThem(String kind) throws Exception {
        var url = url(kind);
        var first = new JdbcReplayGuard(open(url).dataSource(), clock);
        var second = new JdbcReplayGuard(open(url).dataSource(), clock);
        assertTrue(second.firstUse(T0.getEpochSecond(), SIG));
        assertFalse(first.firstUse(T0.getEpochSecond(), SIG), "the other instance saw it first");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void signaturesArePrunedOnceWellOutsideTheWindow(String kind) throws Exception {
        var db = fresh(kind);
        var guard = new JdbcReplayGuard(db.dataSource(), clock);
        assertTrue(guard.firstUse(T0.getEpochSecond(), SIG));
        assertEquals(1, rows(db));

        // Still inside window + margin: kept, and still refused.
        clock.advance(JdbcReplayGuard.KEEP.minusSeconds(1));
        assertFalse(guard.firstUse(T0.getEpochSecond(), SIG));
        assertEquals(1, rows(db));

        // Past it: the next recorded request prunes it (the signature is stale by then and fails the window check).
        clock.advance(Duration.ofSeconds(2).plus(JdbcReplayGuard.PRUNE_EVERY));
        var later = clock.instant().getEpochSecond();
        assertTrue(guard.firstUse(later, "v0=" + "c3".repeat(32)));
        assertEquals(1, rows(db), "only the new signature is left");
    }
}
