package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.WholeAppTest;
import com.slack.api.app_backend.SlackSignature;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The slow-body attack of issue 12, over real sockets: many clients that need no signature send a request's headers
 * and then trickle its body a byte at a time, reconnecting whenever the bot cuts them off. Before the fix, each one
 * held a Jetty thread while the body was read; with more of them than threads, /health and signed commands both
 * missed Slack's 3 s. Now bodies are read without a thread and a trickle is cut off at its next byte.
 */
class SlowBodyTest extends WholeAppTest {
    /** More slow clients than the web server has threads (48). */
    static final int SLOW_CLIENTS = 120;
    /** Slack's limit for an ack; /health is held to the same. */
    static final Duration SLACK_LIMIT = Duration.ofSeconds(3);

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void healthAndASignedCommandAnswerInTimeWhileManyClientsTrickleTheirBodies() throws Exception {
        h.start();
        // One byte a second: far below the minimum rate, so each is cut off at its second byte and reconnects.
        var attack = new SlowClients(h.bot().port(), SLOW_CLIENTS, 1, 1000, 4096);
        try {
            probeWhile(attack);
            // The trickling clients were cut off by the minimum data rate, not left to hold connections.
            await("slow clients cut off", () -> attack.cutOff() >= SLOW_CLIENTS);
        } finally {
            attack.stop();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void healthAndASignedCommandAnswerInTimeWhileManyClientsSendJustAboveTheMinimumRate() throws Exception {
        h.start();
        // 2 KB/s, above the minimum rate, for a body just under the 64 KB cap: each request takes half a minute
        // to arrive, and must not hold a thread meanwhile.
        var attack = new SlowClients(h.bot().port(), SLOW_CLIENTS, 200, 100, 60_000);
        try {
            probeWhile(attack);
            assertEquals(0, attack.cutOff(), "clients above the minimum rate are served, slowly");
        } finally {
            attack.stop();
        }
    }

    private void probeWhile(SlowClients attack) throws Exception {
        {
            attack.start();
            // Every slow client is connected and has sent its headers and a first byte: it would hold a thread now.
            await("all slow clients connected", () -> attack.connectedOnce() >= SLOW_CLIENTS);
            var client = HttpClient.newBuilder().connectTimeout(SLACK_LIMIT).build();
            for (int round = 1; round <= 3; round++) {
                var health = timed(
                        client,
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + h.bot().port() + "/health"))
                                .GET());
                assertEquals(200, health.statusCode(), "round " + round + ": /health " + health.body());

                var body = commandBody(KEY + " leaked, round " + round);
                var ts = Long.toString(Instant.now().getEpochSecond());
                var command = timed(
                        client,
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + h.bot().port() + "/slack/events"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("X-Slack-Request-Timestamp", ts)
                                .header(
                                        "X-Slack-Signature",
                                        new SlackSignature.Generator(BotHarness.SIGNING_SECRET).generate(ts, body))
                                .POST(HttpRequest.BodyPublishers.ofString(body)));
                assertEquals(200, command.statusCode(), "round " + round + ": command " + command.body());
                h.awaitCardRequestId(round);
            }
        }
    }

    /** Sends the request and fails unless the whole answer came within Slack's limit. */
    private static HttpResponse<String> timed(HttpClient client, HttpRequest.Builder request) throws Exception {
        var started = System.nanoTime();
        var response = client.send(request.timeout(SLACK_LIMIT).build(), HttpResponse.BodyHandlers.ofString());
        var took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(SLACK_LIMIT) < 0, "answered in " + took.toMillis() + " ms");
        return response;
    }

    private String commandBody(String text) {
        return BotHarness.commandFields(ADMIN, CHANNEL, text, h.slack.responseUrl("slow")).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /**
     * {@code n} clients, each sending {@code bytesPerTick} body bytes every {@code tickMillis} on its socket, of a
     * body of {@code contentLength} bytes; a client whose socket the bot closed opens a new one at its next tick.
     */
    private static final class SlowClients {
        private final int port;
        private final int n;
        private final java.util.concurrent.atomic.AtomicReferenceArray<Socket> sockets;
        private final AtomicInteger connectedOnce = new AtomicInteger();
        private final AtomicInteger cutOff = new AtomicInteger();
        private final java.util.concurrent.ScheduledExecutorService ticker = Executors.newScheduledThreadPool(4);

        private final int bytesPerTick;
        private final long tickMillis;
        private final int contentLength;

        SlowClients(int port, int n, int bytesPerTick, long tickMillis, int contentLength) {
            this.port = port;
            this.n = n;
            this.bytesPerTick = bytesPerTick;
            this.tickMillis = tickMillis;
            this.contentLength = contentLength;
            this.sockets = new java.util.concurrent.atomic.AtomicReferenceArray<>(n);
        }

        void start() {
            for (int i = 0; i < n; i++) {
                var index = i;
                // Spread over the second so that the bytes arrive evenly, as from independent clients.
                ticker.scheduleWithFixedDelay(
                        () -> tick(index), (tickMillis * i) / n, tickMillis, TimeUnit.MILLISECONDS);
            }
        }

        private void tick(int i) {
            var socket = sockets.get(i);
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                    socket.setSoTimeout(1);
                    sockets.set(i, socket);
                    var out = socket.getOutputStream();
                    out.write(("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                                    + contentLength + "\r\n"
                                    + "X-Slack-Request-Timestamp: "
                                    + Instant.now().getEpochSecond() + "\r\n"
                                    + "X-Slack-Signature: v0=" + "0".repeat(64) + "\r\n\r\nt")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    connectedOnce.incrementAndGet();
                    return;
                }
                if (closedByServer(socket)) {
                    cutOff.incrementAndGet();
                    socket.close();
                    sockets.set(i, null);
                    return;
                }
                OutputStream out = socket.getOutputStream();
                out.write("x".repeat(bytesPerTick).getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // The bot closed the connection: count it and reconnect at the next tick.
                cutOff.incrementAndGet();
                try {
                    if (socket != null) {
                        socket.close();
                    }
                } catch (IOException ignored) {
                    // already closed
                }
                sockets.set(i, null);
            }
        }

        /** An answer (the 408) or the end of the stream means the bot is done with this request. */
        private static boolean closedByServer(Socket socket) throws IOException {
            try {
                return socket.getInputStream().read() != -2;
            } catch (java.net.SocketTimeoutException nothingYet) {
                return false;
            }
        }

        int connectedOnce() {
            return connectedOnce.get();
        }

        int cutOff() {
            return cutOff.get();
        }

        void stop() throws InterruptedException {
            ticker.shutdownNow();
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            for (int i = 0; i < n; i++) {
                var socket = sockets.get(i);
                try {
                    if (socket != null) {
                        socket.close();
                    }
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
