package cloud.pinata.revokebot.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slack's route during start-up, over real HTTP on a real Javalin server: requests wait for the real handler,
 * briefly, and never reach a missing one.
 */
class WhenReadyTest {
    final WhenReady gate = new WhenReady();
    final HttpClient http = HttpClient.newHttpClient();
    Javalin server;

    @BeforeEach
    void start() {
        server = Javalin.create(config -> config.routes.post("/slack/events", gate))
                .start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private CompletableFuture<HttpResponse<String>> post() {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/slack/events"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestWaitingAtTheGateGoesOnWhenItOpens() throws Exception {
        var reached = new CountDownLatch(1);
        // The request is on its way before the gate opens: it must reach the real handler, not a 503.
        var response = post();
        assertFalse(gate.isOpen());
        gate.open(ctx -> {
            reached.countDown();
            ctx.result("handled");
        });

        var answer = response.get(WhenReady.WAIT_MILLIS + 5_000, TimeUnit.MILLISECONDS);
        assertEquals(200, answer.statusCode());
        assertEquals("handled", answer.body());
        assertTrue(reached.await(1, TimeUnit.SECONDS));
    }

    @Test
    void aGateThatNeverOpensAnswers503WithinSlacksThreeSecondsAndCallsNothing() throws Exception {
        var answer = post().get(WhenReady.WAIT_MILLIS + 5_000, TimeUnit.MILLISECONDS);
        assertEquals(503, answer.statusCode(), "nothing acknowledged, so Slack shows a failure and nothing is lost");
        assertEquals("Starting up; try again in a moment", answer.body());
    }

    @Test
    void saysWhyItIsNotReadyUntilOpen() {
        assertEquals("starting", gate.notReadyBecause());
        gate.notReady("Slack unreachable: UnknownHostException");
        assertEquals("Slack unreachable: UnknownHostException", gate.notReadyBecause());
        gate.open(ctx -> {});
        assertNull(gate.notReadyBecause(), "open: nothing to report");
    }
}
