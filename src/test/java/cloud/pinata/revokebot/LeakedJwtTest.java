package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.JwtProof;
import cloud.pinata.revokebot.revocation.LeakedJwt;
import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.LogCapture;
import cloud.pinata.revokebot.support.TestJwt;
import cloud.pinata.revokebot.support.WholeAppTest;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A responder holding only a leaked JWT: {@code /pinata-revoke <jwt>} revokes its key and proves, with one
 * testAuthentication call, that Pinata now refuses it. The JWT never reaches Slack, a log, the database file, or any
 * Pinata request but that one.
 */
class LeakedJwtTest extends WholeAppTest {
    static final String JWT_SECRET = "7a".repeat(32);
    static final String LEAKED = TestJwt.forKey(KEY, JWT_SECRET);

    LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = new LogCapture();
    }

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    @Test
    void pastedLeakedJwtIsRevokedAndPinataNowRefusesIt() throws IOException {
        h.start();
        var ack = h.command(ADMIN, CHANNEL, LEAKED + " found in a public gist");
        assertTrue(BotHarness.ackText(ack).contains("leaked JWT"), ack.body());

        var id = h.awaitCardRequestId(1);
        var card = h.slack.calls("chat.postMessage").get(0).blocksText();
        assertTrue(card.contains("Leaked JWT of key `a1b2…c9d0` (ci-deploy)"), card);
        assertTrue(
                card.contains("whose signature nobody can check offline"),
                "the admin is told to check the key: " + card);
        assertTrue(card.contains("found in a public gist"), card);

        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("result posted", () -> h.slack.calls("chat.postMessage").size() == 2);

        var puts = h.pinata.revokeCalls();
        assertEquals(1, puts.size(), "exactly one PUT");
        assertEquals(
                KEY,
                JsonParser.parseString(puts.get(0).body())
                        .getAsJsonObject()
                        .get("apiKey")
                        .getAsString());
        assertEquals("Bearer " + TestJwt.bot(), puts.get(0).authorization(), "the revoke uses the bot's Admin JWT");
        var checks = h.pinata.credentialChecks();
        assertEquals(1, checks.size(), "testAuthentication exactly once");
        assertEquals("Bearer " + LEAKED, checks.get(0).authorization(), "with the leaked JWT");

        var result = h.slack.calls("chat.postMessage").get(1).shownText();
        assertTrue(result.contains("Pinata now refuses the leaked credential (HTTP 401)"), result);
        // The expected 401 is the good news: it is timed under its own route, apart from the bot's own calls,
        // so an alert on the bot's JWT being refused does not fire for it.
        var metrics = h.get("/metrics").body();
        assertTrue(
                metrics.contains(
                        "pinata_revoke_pinata_call_seconds_count{method=\"GET\",route=\"jwt_check\",status=\"4xx\"} 1"),
                metrics);
        assertFalse(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("pinata_revoke_pinata_call_seconds_count{")
                                && l.contains("status=\"4xx\"")
                                && !l.contains("route=\"jwt_check\"")),
                "no other call was refused: " + metrics);
        var finalCard = h.slack
                .calls("chat.update")
                .get(h.slack.calls("chat.update").size() - 1)
                .blocksText();
        assertTrue(finalCard.contains("Pinata now refuses the leaked credential (HTTP 401)"), finalCard);

        var stored = h.bot().requests().find(id).orElseThrow();
        assertEquals(RequestState.REVOKED, stored.state());
        assertEquals(JwtProof.refused(401), stored.jwtProof());
        assertEquals(LeakedJwt.sha256(LEAKED), stored.leakedJwtSha256(), "only the fingerprint is kept");
        await(
                "check audited",
                () -> h.bot().audit().recent(20).stream()
                        .anyMatch(a -> a.action().equals("check_jwt")
                                && a.outcome().equals("jwt_refused")
                                && Integer.valueOf(401).equals(a.pinataStatus())));

        assertLeakNowhere(ack.body(), true);
    }

    @Test
    void aRevokedKeysJwtAnswered403CountsAsRefusedToo() {
        // Pinata documents "401/403 for an invalid or revoked credential" without saying which.
        h.pinata.revokedJwtAnswers403();
        h.start();
        h.command(ADMIN, CHANNEL, LEAKED);
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("result posted", () -> h.slack.calls("chat.postMessage").size() == 2);
        assertTrue(h.slack
                .calls("chat.postMessage")
                .get(1)
                .shownText()
                .contains("Pinata now refuses the leaked credential (HTTP 403)"));
        assertEquals(1, h.pinata.credentialChecks().size());
    }

    @Test
    void aJwtPinataStillAcceptsIsSaidHonestly() {
        h.pinata.answerOkWithoutRevoking(1);
        h.start();
        h.command(ADMIN, CHANNEL, LEAKED);
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("result posted", () -> h.slack.calls("chat.postMessage").size() == 2);
        var result = h.slack.calls("chat.postMessage").get(1).shownText();
        assertTrue(result.contains("Pinata still accepts the leaked JWT"), result);
        assertFalse(result.contains("now refuses"), result);
        assertEquals(
                JwtProof.Kind.STILL_ACCEPTED,
                h.bot().requests().find(id).orElseThrow().jwtProof().kind());
    }

    @Test
    void aRestartBetweenClickAndCheckSkipsTheProofAndSaysSo() throws Exception {
        h.shutdownGrace(Duration.ofMillis(500));
        h.pinata.holdRevokes();
        h.start();
        var ack = h.command(ADMIN, CHANNEL, LEAKED + " leaked");
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        assertTrue(h.pinata.awaitHeld(), "the PUT reached Pinata");
        h.bot().close(); // a deploy: the worker is still waiting on Pinata; the JWT lived only in this process
        h.pinata.release();
        await("Pinata revoked the key", () -> h.pinata.isRevoked(KEY));

        h.start();
        await("settled", () -> h.bot().requests().find(id).orElseThrow().state() == RequestState.REVOKED);
        await(
                "result posted",
                () -> h.slack.calls("chat.postMessage").stream()
                        .anyMatch(c -> c.shownText().contains("has been revoked")));
        var result = h.slack.calls("chat.postMessage").stream()
                .map(c -> c.shownText())
                .filter(t -> t.contains("has been revoked"))
                .findFirst()
                .orElseThrow();
        assertTrue(result.contains("The leaked JWT was not checked") && result.contains("proof skipped"), result);
        assertEquals(0, h.pinata.credentialChecks().size(), "no process had the JWT any more");
        assertNull(h.bot().requests().find(id).orElseThrow().jwtProof());
        assertEquals(1, h.pinata.revokeCalls().size());
        assertLeakNowhere(ack.body(), false);
    }

    @Test
    void theBotsOwnJwtIsRefused() throws IOException {
        h.start();
        var ack = h.command(ADMIN, CHANNEL, TestJwt.bot() + " rotate");
        await(
                "refused",
                () -> h.slack.privateMessages().stream().anyMatch(m -> m.contains("the bot's own Pinata key")));
        assertEquals("self_key_refused", h.bot().audit().recent(1).get(0).outcome());
        assertNoCardNorPinataCall();
        assertFalse(logs.all().contains(TestJwt.bot()) || ack.body().contains(TestJwt.bot()));
    }

    @Test
    void jwtsThatDoNotDecodeOrNameNoKeyAreRefusedWithTheirReasons() throws IOException {
        h.start();
        var enc = Base64.getUrlEncoder().withoutPadding();
        var header = LEAKED.substring(0, LEAKED.indexOf('.'));
        var signature = LEAKED.substring(LEAKED.lastIndexOf('.') + 1);
        var undecodable =
                header + "." + enc.encodeToString("not json at all".getBytes(StandardCharsets.UTF_8)) + "." + signature;
        var noKey = header + "."
                + enc.encodeToString(
                        "{\"authenticationType\":\"scopedKey\",\"iat\":1}".getBytes(StandardCharsets.UTF_8))
                + "." + signature;
        var undecodableAck = BotHarness.ackText(h.command(ADMIN, CHANNEL, undecodable + " leaked"));
        assertTrue(undecodableAck.contains("payload does not decode"), undecodableAck);
        var noKeyAck = BotHarness.ackText(h.command(ADMIN, CHANNEL, noKey + " leaked"));
        assertTrue(noKeyAck.contains("names no `scopedKeyKey`"), noKeyAck);
        await(
                "audited",
                () -> h.bot().audit().recent(2).stream()
                                .filter(a -> a.outcome().equals("jwt_unusable"))
                                .count()
                        == 2);
        assertNoCardNorPinataCall();
        for (var jwt : List.of(undecodable, noKey)) {
            assertFalse(undecodableAck.contains(jwt) || noKeyAck.contains(jwt));
            assertFalse(logs.all().contains(jwt), "logs");
            assertFalse(h.databaseDump().contains(jwt), "database");
        }
    }

    @Test
    void aJwtOfAKeyThatIsNotAnActiveKeyOfTheOrganisationIsRefused() throws IOException {
        h.pinata.addKey("0000aaaa1111bbbb2222", "old", true, "e".repeat(64));
        h.start();
        for (var key : List.of("0123456789abcdef0123", "0000aaaa1111bbbb2222")) {
            var jwt = TestJwt.forKey(key, "9".repeat(64));
            h.command(ADMIN, CHANNEL, jwt);
        }
        await(
                "both refused",
                () -> h.bot().audit().recent(5).stream()
                                .filter(a -> a.outcome().equals("not_active_key")
                                        || a.outcome().equals("already_revoked"))
                                .count()
                        == 2);
        assertTrue(
                h.slack.privateMessages().stream().anyMatch(m -> m.contains("not an active key")),
                h.slack.privateMessages().toString());
        assertNoCardNorPinataCall();
    }

    private void assertNoCardNorPinataCall() {
        assertTrue(
                h.slack.calls("chat.postMessage").stream()
                        .noneMatch(c -> c.blocksText().contains("revoke_confirm")),
                "no card");
        assertTrue(h.pinataCallsSinceStart().isEmpty(), "no Pinata call");
    }

    /**
     * The leaked JWT, its parts and the secret inside it: not in the ack, a log line, a Slack payload, the SQLite
     * file's bytes (and its journal), or any Pinata request but the one check (when {@code checked}).
     */
    private void assertLeakNowhere(String ackBody, boolean checked) throws IOException {
        var parts = LEAKED.split("\\.");
        var secrets = List.of(LEAKED, parts[1], parts[2], JWT_SECRET);
        var files = databaseFiles();
        assertFalse(files.isEmpty());
        var proofCalls = 0;
        for (var call : h.pinata.calls()) {
            if (call.path().startsWith("/data/testAuthentication")
                    && ("Bearer " + LEAKED).equals(call.authorization())) {
                proofCalls++;
                continue;
            }
            for (var s : secrets) {
                assertFalse(
                        call.body().contains(s)
                                || call.path().contains(s)
                                || (call.authorization() != null
                                        && call.authorization().contains(s)),
                        "Pinata call " + call.path());
            }
        }
        assertEquals(checked ? 1 : 0, proofCalls);
        for (var s : secrets) {
            assertFalse(ackBody.contains(s), "ack");
            assertFalse(logs.all().contains(s), "logs");
            for (var call : h.slack.calls()) {
                assertFalse(call.everything().contains(s), "Slack call " + call.method());
            }
            assertFalse(h.databaseDump().contains(s), "database rows");
            var needle = s.getBytes(StandardCharsets.UTF_8);
            for (var f : files) {
                assertFalse(contains(Files.readAllBytes(f), needle), "database file " + f.getFileName());
            }
        }
    }

    private List<Path> databaseFiles() throws IOException {
        var db = Path.of(h.jdbcUrl().substring("jdbc:sqlite:".length()));
        var out = new ArrayList<Path>();
        try (var list = Files.list(db.getParent())) {
            list.filter(p -> p.getFileName()
                            .toString()
                            .startsWith(db.getFileName().toString()))
                    .forEach(out::add);
        }
        return out;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
