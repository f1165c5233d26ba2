package cloud.pinata.revokebot.pinata;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.Secret;
import cloud.pinata.revokebot.pinata.RequestBudget.Priority;
import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.revocation.KeyState;
import cloud.pinata.revokebot.support.FakePinata;
import cloud.pinata.revokebot.support.MutableClock;
import cloud.pinata.revokebot.support.TestJwt;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The key index against the faithful fake Pinata: what it reads, how often, and what it will not claim. */
class KeyIndexTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T03:00:00Z"));
    FakePinata pinata;
    KeyIndex index;

    @BeforeEach
    void start() throws Exception {
        pinata = new FakePinata();
        index = index(1_000);
    }

    private KeyIndex index(int maxPages) {
        var http = new OkHttpClient.Builder()
                .readTimeout(Duration.ofSeconds(5))
                .retryOnConnectionFailure(false)
                .build();
        var client = new PinataClient(http, HttpUrl.get(pinata.url()), new Secret(TestJwt.bot()), new ObjectMapper());
        return new KeyIndex(client, clock, Duration.ofSeconds(10), maxPages);
    }

    @AfterEach
    void stop() throws Exception {
        pinata.close();
    }

    private long listCalls() {
        return pinata.calls().stream()
                .filter(c -> c.path().startsWith("/users/apiKeys"))
                .count();
    }

    private KeyLookup evidence(String key) throws InterruptedException {
        return index.evidence(List.of(key), Duration.ZERO).get(key);
    }

    @Test
    void aCompleteScanReadsOverlappingPagesUntilAShortOneAndNeverTrustsCount() throws Exception {
        var keys = pinata.addManyKeys(25);
        pinata.countIsPageSize(); // "count" counts the page: a scan that stopped at count would stop after one page

        index.rebuild(Priority.BACKGROUND);

        assertEquals(25, index.activeCount());
        assertEquals(
                List.of("/users/apiKeys?offset=0", "/users/apiKeys?offset=9", "/users/apiKeys?offset=18"),
                pinata.calls().stream()
                        .map(FakePinata.Call::path)
                        .filter(p -> p.startsWith("/users"))
                        .toList(),
                "pages overlap by one key");
        assertInstanceOf(KeyLookup.Found.class, evidence(keys.get(0)));
    }

    @Test
    void aKeyRemovedDuringTheScanDoesNotMakeItSkipAnother() throws Exception {
        var keys = pinata.addManyKeys(30);
        // Newest first: keys.get(29) is at offset 0. Revoke three keys of the first page once it has been read.
        pinata.afterListCall(1, () -> {
            pinata.revokeOutsideTheBot(keys.get(29));
            pinata.revokeOutsideTheBot(keys.get(28));
            pinata.revokeOutsideTheBot(keys.get(27));
        });
        index.rebuild(Priority.BACKGROUND);
        for (int i = 0; i < 27; i++) {
            assertInstanceOf(KeyLookup.Found.class, evidence(keys.get(i)), "key " + i + " was skipped");
        }
    }

    @Test
    void aKeyCreatedAfterTheScanIsFoundByTheFrontCheckWithOneRequest() throws Exception {
        pinata.addManyKeys(50);
        index.rebuild(Priority.BACKGROUND);
        var before = listCalls();
        pinata.addKey("feedfacefeedfacefeed", "brand-new", false, "1".repeat(64));
        clock.advance(Duration.ofSeconds(11));

        var found = assertInstanceOf(KeyLookup.Found.class, evidence("feedfacefeedfacefeed"));

        assertEquals("brand-new", found.details().name());
        assertEquals(1, listCalls() - before, "one page from the top: it met a known key");
    }

    @Test
    void theFrontCheckRunsAtMostOncePerFreshnessWindow() throws Exception {
        pinata.addManyKeys(5);
        index.rebuild(Priority.BACKGROUND);
        clock.advance(Duration.ofSeconds(11));
        var before = listCalls();
        evidence("0123456789abcdef0123");
        evidence("0123456789abcdef0124");
        assertEquals(1, listCalls() - before);
        assertInstanceOf(KeyLookup.NotListed.class, evidence("0123456789abcdef0123"));
    }

    @Test
    void beforeTheFirstScanNothingIsClaimed() throws Exception {
        assertInstanceOf(
                KeyLookup.Unavailable.class,
                evidence("0123456789abcdef0123"),
                "not 'not an active key': nothing has been read");
    }

    @Test
    void aLocateAfterARevokeReadsOnePageAndProvesTheKeyGone() throws Exception {
        var keys = pinata.addManyKeys(100);
        index.rebuild(Priority.BACKGROUND);
        var target = keys.get(50);
        pinata.revokeOutsideTheBot(target);
        var before = listCalls();

        var state = index.stateNow(target, null);

        assertInstanceOf(KeyState.NotActive.class, state);
        assertEquals(1, listCalls() - before);
        assertInstanceOf(KeyState.StillActive.class, index.stateNow(keys.get(51), null));
    }

    @Test
    void aLocateFollowsAKeyThatMovedPagesSinceTheScan() throws Exception {
        var keys = pinata.addManyKeys(100);
        index.rebuild(Priority.BACKGROUND);
        for (int i = 0; i < 25; i++) {
            pinata.addKey(String.format("%020x", 0xbeef00L + i), "newer-" + i, false, "2".repeat(64));
        }
        assertInstanceOf(KeyState.StillActive.class, index.stateNow(keys.get(40), null));
        pinata.revokeOutsideTheBot(keys.get(40));
        assertInstanceOf(KeyState.NotActive.class, index.stateNow(keys.get(40), null));
    }

    @Test
    void aLocatePageOfOneKeyWithoutItsCreationTimeSaysUnknownInsteadOfFailing() throws Exception {
        var keys = pinata.addManyKeys(20);
        pinata.withoutV3(); // the V3 list would give positive evidence by name; this test is about the legacy order
        index.rebuild(Priority.BACKGROUND);
        var target = keys.get(0); // the oldest: offset 19
        pinata.revokeOutsideTheBot(target);
        for (int i = 16; i < 20; i++) {
            pinata.revokeOutsideTheBot(keys.get(i)); // four newer keys go too: 15 are left, offsets 0..14
        }
        pinata.withoutCreatedAt(keys.get(1)); // alone on the page the locate reads first (offset 14)

        var state = assertDoesNotThrow(() -> index.stateNow(target, null));

        assertInstanceOf(KeyState.Unknown.class, state, "a page whose order cannot be seen proves nothing");
    }

    @Test
    void aListOutOfCreationOrderMakesTheIndexSayUnknownInsteadOfGuessing() throws Exception {
        var keys = pinata.addManyKeys(30);
        pinata.shuffleListing();
        pinata.withoutV3(); // the V3 list would give positive evidence by name; this test is about the legacy order
        index.rebuild(Priority.BACKGROUND);
        pinata.revokeOutsideTheBot(keys.get(10));

        assertInstanceOf(KeyState.Unknown.class, index.stateNow(keys.get(10), null));
    }

    @Test
    void theV3ListGivesPositiveEvidenceOfRevocation() throws Exception {
        pinata.addKey("deadbeefdeadbeef0001", "old", true, "d".repeat(64));
        index.rebuild(Priority.BACKGROUND);
        var found = assertInstanceOf(KeyLookup.Found.class, evidence("deadbeefdeadbeef0001"));
        assertTrue(found.details().revoked());
        assertInstanceOf(KeyState.ListedRevoked.class, index.stateNow("deadbeefdeadbeef0001", null));
    }

    @Test
    void readsAtMostItsPageLimitAndThenSaysSo() throws Exception {
        pinata.addManyKeys(40);
        var small = index(3);

        var e = assertThrows(PinataException.class, () -> small.rebuild(Priority.BACKGROUND));

        assertTrue(e.getMessage().contains("more keys than the bot reads (3 pages)"), e.getMessage());
        assertEquals(3, listCalls(), "three pages and not one more");
        assertTrue(!small.isComplete());
    }

    @Test
    void secretsNeverReachTheIndex() throws Exception {
        pinata.addKey(
                "a1b2c3d4e5f6a7b8c9d0",
                "ci-deploy",
                false,
                "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7");
        index.rebuild(Priority.BACKGROUND);
        var found = assertInstanceOf(KeyLookup.Found.class, evidence("a1b2c3d4e5f6a7b8c9d0"));
        assertTrue(!found.toString().contains("5ec7e75ec7"), found.toString());
    }

    @Test
    void keysRevokedOneAfterAnotherEachCostOneReadWhereverTheyFall() throws Exception {
        var keys = pinata.addManyKeys(120);
        index.rebuild(Priority.BACKGROUND);
        var reads = new java.util.ArrayList<Long>();
        // Every position in turn, including those that put the gap exactly between two pages.
        for (int i = 110; i >= 10; i -= 3) {
            pinata.revokeOutsideTheBot(keys.get(i));
            var before = listCalls();
            assertInstanceOf(KeyState.NotActive.class, index.stateNow(keys.get(i), null), "key " + i);
            reads.add(listCalls() - before);
        }
        assertTrue(reads.stream().allMatch(n -> n <= 2), "reads per locate: " + reads);
        assertTrue(reads.stream().filter(n -> n == 1).count() >= reads.size() * 3 / 4, "mostly one read: " + reads);
        assertInstanceOf(KeyState.StillActive.class, index.stateNow(keys.get(12), null));
    }
}
