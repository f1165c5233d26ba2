package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.support.FakePinata;
import cloud.pinata.revokebot.support.WholeAppTest;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pinata misbehaving in every way we know of: each fault ends in the right final state, message and attempt count. */
class FaultMatrixTest extends WholeAppTest {

    static MockResponse status(int code) {
        return FakePinata.json(code, "{\"error\":{\"reason\":\"X\",\"details\":\"y\"}}");
    }

    static MockResponse ok() {
        return FakePinata.json(200, "\"Revoked\"");
    }

    static Stream<Arguments> faults() {
        var noResponse = new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
        var reset = new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
        return Stream.of(
                Arguments.of(
                        "500 every time",
                        List.of(status(500), status(500), status(500), status(500)),
                        4,
                        RequestState.FAILED,
                        "The key is still active"),
                Arguments.of("502 then 200", List.of(status(502), ok()), 2, RequestState.REVOKED, "and verified"),
                Arguments.of("503 then 200", List.of(status(503), ok()), 2, RequestState.REVOKED, "and verified"),
                Arguments.of(
                        "429 Retry-After: 1 then 200",
                        List.of(status(429).setHeader("Retry-After", "1"), ok()),
                        2,
                        RequestState.REVOKED,
                        "and verified"),
                Arguments.of(
                        "read timeout every time",
                        List.of(noResponse, noResponse, noResponse, noResponse),
                        4,
                        RequestState.FAILED,
                        "The key is still active"),
                Arguments.of(
                        "connection reset then 200", List.of(reset, ok()), 2, RequestState.REVOKED, "and verified"),
                Arguments.of(
                        "200 with a malformed body",
                        List.of(FakePinata.json(200, "<html>oops")),
                        1,
                        RequestState.REVOKED,
                        "and verified"),
                Arguments.of("401", List.of(status(401)), 1, RequestState.FAILED, "PINATA_ADMIN_JWT"),
                Arguments.of(
                        "403 NO_SCOPES_FOUND",
                        List.of(FakePinata.json(403, "{\"error\":{\"reason\":\"NO_SCOPES_FOUND\",\"details\":\"y\"}}")),
                        1,
                        RequestState.FAILED,
                        "not an Admin key"),
                Arguments.of(
                        "403 API_KEY_REVOKED",
                        List.of(FakePinata.json(403, "{\"error\":{\"reason\":\"API_KEY_REVOKED\",\"details\":\"y\"}}")),
                        1,
                        RequestState.FAILED,
                        "bot's own key has been revoked"),
                Arguments.of(
                        "404 in Pinata's envelope",
                        List.of(status(404)),
                        1,
                        RequestState.FAILED,
                        "Pinata answered 404"),
                Arguments.of(
                        "404 without Pinata's envelope",
                        List.of(FakePinata.htmlNotFound("PUT", "/users/revokeApiKey")),
                        1,
                        RequestState.FAILED,
                        "check `PINATA_API_URL`"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void faultEndsInTheRightStateWithTheRightMessage(
            String fault, List<MockResponse> script, int attempts, RequestState state, String message) {
        h.pinata.scriptRevoke(script.toArray(MockResponse[]::new));
        h.pinataReadTimeout(java.time.Duration.ofMillis(300)).start(); // one case never answers
        h.command(ADMIN, CHANNEL, KEY + " fault drill");
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("result", () -> h.slack.calls("chat.postMessage").size() == 2);
        var stored = h.bot().requests().find(id).orElseThrow();
        var result = h.slack.calls("chat.postMessage").get(1).shownText();
        System.out.printf(
                "| %s | %d | %s | %s |%n",
                fault, h.pinata.revokeCalls().size(), stored.state(), result.replace("|", "\\|"));
        assertEquals(attempts, h.pinata.revokeCalls().size(), "attempts");
        assertEquals(state, stored.state());
        assertTrue(result.contains(message), result);
        var card = h.slack
                .calls("chat.update")
                .get(h.slack.calls("chat.update").size() - 1)
                .blocksText();
        assertTrue(card.contains(state == RequestState.REVOKED ? "revoked" : "failed"), card);
    }
}
