package cloud.pinata.revokebot.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.DatabaseSettings;
import cloud.pinata.revokebot.revocation.Caller;
import cloud.pinata.revokebot.revocation.Command;
import cloud.pinata.revokebot.revocation.Outcome;
import cloud.pinata.revokebot.revocation.RequestKey;
import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.revocation.RevocationRequest;
import cloud.pinata.revokebot.support.Postgres;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lease on a REVOKING request, in SQL on both databases: only its holder renews it, records per-key outcomes
 * and the final state; another process takes it over only once it lapsed, judged by the last renewal.
 */
class RequestLeaseTest {
    static final Instant T0 = Instant.parse("2026-12-01T03:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(60);

    Database db;
    JdbcRequestStore store;

    void open(String kind) throws Exception {
        var url = kind.equals("sqlite")
                ? "jdbc:sqlite:" + Files.createTempDirectory("lease").resolve("bot.db")
                : Postgres.newJdbcUrl();
        db = Database.open(DatabaseSettings.fromUrl(url));
        store = new JdbcRequestStore(db.dataSource());
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private RevocationRequest pending(String id, List<String> keys) {
        var caller = new Caller("T0TEAM", "C0INC", "inc-1", "U0ADMIN1", null);
        var command = new Command.Revoke(keys, "leaked", false);
        var bulk = keys.size() == 1
                ? List.<RequestKey>of()
                : java.util.stream.IntStream.range(0, keys.size())
                        .mapToObj(i -> new RequestKey(i, keys.get(i), null, null, false, null, null, null))
                        .toList();
        var r = RevocationRequest.pending(id, caller, command, T0, T0.plus(Duration.ofMinutes(10)), null, bulk);
        store.insert(r);
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void onlyTheLeaseHolderEndsARevokingRequest(String kind) throws Exception {
        open(kind);
        pending("r1", List.of("a1b2c3d4e5f6a7b8c9d0"));
        assertFalse(
                store.finishRevoking("r1", "A", RequestState.REVOKED, Outcome.REVOKED, "verified", 200),
                "a PENDING request cannot be finished");
        assertTrue(store.startRevoking("r1", "U0ADMIN2", "A", T0.plusSeconds(1)));
        assertFalse(store.startRevoking("r1", "U0ADMIN2", "B", T0.plusSeconds(1)), "one confirmation wins");
        assertFalse(
                store.finishRevoking("r1", "B", RequestState.FAILED, Outcome.PINATA_UNAVAILABLE, "x", null),
                "not the holder");
        assertTrue(store.finishRevoking("r1", "A", RequestState.REVOKED, Outcome.REVOKED, "verified", 200));
        assertFalse(
                store.finishRevoking("r1", "A", RequestState.FAILED, Outcome.PINATA_UNAVAILABLE, "x", null),
                "terminal");
        assertEquals(RequestState.REVOKED, store.find("r1").orElseThrow().state());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aLapsedLeaseIsTakenOverOnceAndThenTheOldHolderCanNeitherRenewNorWrite(String kind) throws Exception {
        open(kind);
        pending("r1", List.of("1111111111aaaaaaaaaa", "2222222222bbbbbbbbbb"));
        assertTrue(store.startRevoking("r1", "U0ADMIN2", "A", T0));
        var now = T0.plus(LEASE).plusSeconds(1);
        assertFalse(store.claimLapsed("r1", "B", T0, now), "renewed at T0: not before T0, so not lapsed");
        assertTrue(store.claimLapsed("r1", "B", now.minus(LEASE), now));
        assertFalse(store.claimLapsed("r1", "C", now.minus(LEASE), now), "one taker");
        assertFalse(store.renewLease("r1", "A", now), "the old holder lost it");
        assertFalse(
                store.recordKeyOutcome("r1", "A", 0, Outcome.REVOKED, "verified", 200),
                "the old holder writes nothing");
        assertTrue(store.recordKeyOutcome("r1", "B", 0, Outcome.PINATA_UNAVAILABLE, "still active", null));
        assertFalse(
                store.recordKeyOutcome("r1", "B", 0, Outcome.REVOKED, "verified", 200),
                "a key's outcome is recorded once");
        assertEquals(
                Outcome.PINATA_UNAVAILABLE,
                store.find("r1").orElseThrow().keys().get(0).outcome());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void recoveryPicksRequestsByTheAgeOfTheirLastRenewalNotByWhenTheyWereConfirmed(String kind) throws Exception {
        open(kind);
        pending("early", List.of("1111111111aaaaaaaaaa"));
        pending("late", List.of("2222222222bbbbbbbbbb"));
        pending("later", List.of("3333333333cccccccccc"));
        assertTrue(store.startRevoking("early", "U0ADMIN2", "A", T0));
        assertTrue(store.startRevoking("late", "U0ADMIN2", "B", T0.plusSeconds(10)));
        assertTrue(store.startRevoking("later", "U0ADMIN2", "C", T0.plusSeconds(20)));
        // The earliest confirmation is still being worked on: its holder renewed just now.
        assertTrue(store.renewLease("early", "A", T0.plusSeconds(100)));
        assertTrue(store.renewLease("later", "C", T0.plusSeconds(30)));

        var now = T0.plusSeconds(101);
        var lapsed = store.revoking(now.minus(LEASE), 10).stream()
                .map(RevocationRequest::id)
                .toList();

        assertEquals(List.of("late", "later"), lapsed, "stalest renewal first; the renewed one is not there");
    }
}
