package cloud.pinata.revokebot.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The web server alone, over real HTTP: who may read /metrics, where, and what /health says. */
class WebServerTest {
    static final String TOKEN = "metrics-token-0123456789abcdef";
    static final String SCRAPE = "pinata_revoke_pending_requests 0\n";

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<String> unavailable = new AtomicReference<>();
    private Javalin web;

    @AfterEach
    void stop() {
        if (web != null) {
            web.stop();
        }
    }

    private Javalin start(Optional<String> token, OptionalInt management) {
        web = WebServer.create(
                ctx -> ctx.result("slack"),
                unavailable::get,
                () -> SCRAPE,
                new WebServer.Options("0.0.0.0", 0, token, management));
        web.start();
        return web;
    }

    private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreNotServedOnThePublicPortWithoutATokenOrAManagementPort() throws Exception {
        start(Optional.empty(), OptionalInt.empty());
        assertEquals(404, get(web.port(), "/metrics").statusCode());
        assertEquals(
                404,
                get(web.port(), "/metrics", "Authorization", "Bearer " + TOKEN).statusCode());
        assertEquals(200, get(web.port(), "/health").statusCode(), "the server itself is up");
    }

    @Test
    void metricsOnThePublicPortNeedTheBearerToken() throws Exception {
        start(Optional.of(TOKEN), OptionalInt.empty());
        var none = get(web.port(), "/metrics");
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(
                401,
                get(web.port(), "/metrics", "Authorization", "Bearer " + TOKEN + "x")
                        .statusCode());
        assertEquals(
                401,
                get(web.port(), "/metrics", "Authorization", "Bearer " + TOKEN.substring(1))
                        .statusCode());
        assertEquals(
                401,
                get(web.port(), "/metrics", "Authorization", "Basic " + TOKEN).statusCode());
        var ok = get(web.port(), "/metrics", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, ok.statusCode());
        assertEquals(SCRAPE, ok.body());
    }

    @Test
    void theManagementPortServesMetricsAndHealthOnLoopbackOnly() throws Exception {
        start(Optional.empty(), OptionalInt.of(0));
        var management = WebServer.managementPort(web).orElseThrow();
        assertEquals(SCRAPE, get(management, "/metrics").body());
        assertEquals(200, get(management, "/health").statusCode());
        assertEquals(404, get(web.port(), "/metrics").statusCode(), "not on the public port");
        var slack = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/slack/events"))
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, slack.statusCode(), "Slack's route is not on the management port");
        assertEquals(
                "slack",
                http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/slack/events"))
                                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());

        // Bound to 127.0.0.1: the machine's other addresses refuse it (while the public port answers there).
        var external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
        assumeTrue(external.isPresent(), "this machine has no address besides loopback");
        try (var publicSocket = new Socket()) {
            publicSocket.connect(new InetSocketAddress(external.get(), web.port()), 2_000);
        }
        assertThrows(IOException.class, () -> {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress(external.get(), management), 2_000);
            }
        });
    }

    @Test
    void healthSaysOkOrUnavailableAndWhyAndNothingElse() throws Exception {
        start(Optional.empty(), OptionalInt.empty());
        var ok = get(web.port(), "/health");
        assertEquals(200, ok.statusCode());
        assertEquals("{\"status\":\"ok\"}", ok.body());
        unavailable.set(WebServer.DATABASE_DOWN);
        var down = get(web.port(), "/health");
        assertEquals(503, down.statusCode());
        assertEquals("{\"status\":\"unavailable\",\"reason\":\"database unreachable\"}", down.body());
    }
}
