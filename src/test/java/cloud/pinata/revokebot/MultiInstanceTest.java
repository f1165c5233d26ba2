package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.Postgres;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several bot processes behind a load balancer share one PostgreSQL database and stay correct. */
class MultiInstanceTest {
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";

    BotHarness h;

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    @Test
    void fiftyConcurrentClicksAcrossTwoInstancesRevokeOnce() throws Exception {
        h = new BotHarness().env("DATABASE_URL", Postgres.newJdbcUrl());
        h.pinata.addKey(KEY, "ci-deploy", false, "f".repeat(64));
        h.start();
        var second = h.startAnother();
        h.command(ADMIN, CHANNEL, KEY + " leaked");
        var id = h.awaitCardRequestId(1);

        var clicks = 50;
        // The first 20 clicks pass the admin check together, so they really race in the database.
        h.slack.barrierOnGroupLookups(20);
        var pool = Executors.newFixedThreadPool(clicks);
        var go = new CountDownLatch(1);
        var futures = new ArrayList<Future<HttpResponse<String>>>();
        for (int i = 0; i < clicks; i++) {
            var target = i % 2 == 0 ? h.bot() : second;
            var body = h.clickBody("revoke_confirm", i % 3 == 0 ? ADMIN : ADMIN2, CHANNEL, id, "1700000000.000001");
            futures.add(pool.submit(() -> {
                go.await();
                return h.postSignedTo(target, body);
            }));
        }
        go.countDown();
        for (var f : futures) {
            assertEquals(200, f.get(30, TimeUnit.SECONDS).statusCode());
        }
        pool.shutdown();

        await("every loser told", () -> h.slack.privateMessages().size() == clicks - 1);
        await("result posted", () -> h.slack.calls("chat.postMessage").size() == 2);
        assertEquals(1, h.pinata.revokeCalls().size(), "exactly one Pinata call");
        assertEquals(
                RequestState.REVOKED, h.bot().requests().find(id).orElseThrow().state());
        assertEquals(
                RequestState.REVOKED, second.requests().find(id).orElseThrow().state(), "both instances see one state");
        var results = h.slack.calls("chat.postMessage").stream()
                .filter(c -> c.param("blocks") == null || !c.param("blocks").contains("revoke_confirm"))
                .count();
        assertEquals(1, results, "one result message");
        assertEquals(
                1,
                h.bot().audit().recent(200).stream()
                        .filter(a -> a.outcome().equals("revoked"))
                        .count());
        assertTrue(
                h.slack.privateMessages().stream().allMatch(m -> m.contains("already")),
                h.slack.privateMessages().toString());
    }

    @Test
    void herokuStyleDatabaseUrlWorks() throws Exception {
        var db = Postgres.newDatabase();
        // The embedded server speaks no TLS: the URL says so (without it, postgres:// URLs get sslmode=require).
        h = new BotHarness()
                .env(
                        "DATABASE_URL",
                        "postgres://postgres:postgres@localhost:" + Postgres.port() + "/" + db + "?sslmode=disable");
        h.pinata.addKey(KEY, "ci-deploy", false, "f".repeat(64));
        h.start();
        assertEquals(200, h.get("/health").statusCode());
        h.command(ADMIN, CHANNEL, KEY);
        var id = h.awaitCardRequestId(1);
        h.restart();
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("revoked", () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
    }
}
