package cloud.pinata.revokebot.socketmode;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Slack's side of Socket Mode, on loopback, in front of a {@code FakeSlack}: answers {@code apps.connections.open}
 * for the app token with a {@code ws://} URL of its own, accepts the WebSocket there, and forwards every other Web
 * API call unchanged to the fake Web API so that those calls are recorded as usual.
 */
final class FakeSocketModeSlack implements AutoCloseable {
    static final String APP_TOKEN = "xapp-1-A0APP-1234567890-5ec7e7a99t0k3n5ec7e7";

    private final MockWebServer server = cloud.pinata.revokebot.support.NoDelayServers.create();
    private final OkHttpClient http = new OkHttpClient();
    private final HttpUrl upstream;
    private final List<String> connectionOpens = new CopyOnWriteArrayList<>();
    private final BlockingQueue<JsonObject> fromBot = new LinkedBlockingQueue<>();
    private final AtomicReference<WebSocket> socket = new AtomicReference<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch opened = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    /** {@code webApiUrl}: the fake Web API's {@code …/api/} URL, where every other call goes. */
    FakeSocketModeSlack(String webApiUrl) throws IOException {
        upstream = HttpUrl.get(webApiUrl);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.start();
    }

    /** The Web API URL to configure the bot with ({@code SLACK_API_URL}). */
    String apiUrl() {
        return server.url("/api/").toString();
    }

    /** The {@code Authorization} header of every {@code apps.connections.open} call. */
    List<String> connectionOpens() {
        return List.copyOf(connectionOpens);
    }

    void awaitConnected() throws InterruptedException {
        if (!opened.await(15, TimeUnit.SECONDS)) {
            throw new AssertionError("the bot never opened the Socket Mode WebSocket");
        }
    }

    /** How many WebSocket connections the bot has opened so far. */
    int connections() {
        return connections.get();
    }

    /** Asks the bot to reconnect, as Slack does every few hours ({@code type: disconnect}). */
    void requestRefresh() {
        socket.get().send("{\"type\":\"disconnect\",\"reason\":\"refresh_requested\"}");
    }

    boolean isConnected() {
        return opened.getCount() == 0;
    }

    boolean awaitClosed() throws InterruptedException {
        return closed.await(15, TimeUnit.SECONDS);
    }

    /** Sends one envelope to the bot, as Slack does for a slash command or an interaction. */
    void send(String envelopeId, String type, JsonObject payload) {
        var envelope = new JsonObject();
        envelope.addProperty("envelope_id", envelopeId);
        envelope.addProperty("type", type);
        envelope.add("payload", payload);
        envelope.addProperty("accepts_response_payload", true);
        if (!socket.get().send(envelope.toString())) {
            throw new AssertionError("the WebSocket is not open");
        }
    }

    /** The bot's acknowledgement of one envelope, waiting for it. */
    JsonObject awaitAck(String envelopeId) throws InterruptedException {
        var end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            var message = fromBot.poll(100, TimeUnit.MILLISECONDS);
            if (message != null
                    && message.has("envelope_id")
                    && envelopeId.equals(message.get("envelope_id").getAsString())) {
                // An ack carrying a message is shown to the caller: Slack applies the same Block Kit rules.
                if (message.has("payload")
                        && message.get("payload").isJsonObject()
                        && message.getAsJsonObject("payload").size() > 0) {
                    var payload = message.getAsJsonObject("payload").toString();
                    var errors = cloud.pinata.revokebot.support.BlockKit.checkJson(
                            cloud.pinata.revokebot.support.BlockKit.Kind.ACK, payload);
                    if (!errors.isEmpty()) {
                        throw new AssertionError("Slack would refuse the ack " + payload + ": " + errors);
                    }
                    cloud.pinata.revokebot.support.BlockKit.countSent("socket-ack\u0000" + payload);
                }
                return message;
            }
        }
        throw new AssertionError("no acknowledgement of envelope " + envelopeId);
    }

    private MockResponse answer(RecordedRequest request) {
        var path = request.getPath() == null ? "" : request.getPath();
        if (path.startsWith("/api/apps.connections.open")) {
            var authorization = request.getHeader("Authorization");
            connectionOpens.add(String.valueOf(authorization));
            if (!("Bearer " + APP_TOKEN).equals(authorization)) {
                return json("{\"ok\":false,\"error\":\"invalid_auth\"}");
            }
            return json("{\"ok\":true,\"url\":\"ws://127.0.0.1:" + server.getPort() + "/link\"}");
        }
        if (path.startsWith("/link")) {
            return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
                @Override
                public void onOpen(WebSocket webSocket, Response response) {
                    socket.set(webSocket);
                    connections.incrementAndGet();
                    webSocket.send("{\"type\":\"hello\",\"num_connections\":1}");
                    opened.countDown();
                }

                @Override
                public void onMessage(WebSocket webSocket, String text) {
                    fromBot.add(JsonParser.parseString(text).getAsJsonObject());
                }

                @Override
                public void onClosing(WebSocket webSocket, int code, String reason) {
                    webSocket.close(code, null);
                    closed.countDown();
                }

                @Override
                public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                    closed.countDown();
                }
            });
        }
        return forward(request, path);
    }

    private MockResponse forward(RecordedRequest request, String path) {
        var contentType = request.getHeader("Content-Type");
        var bytes = request.getBody().readByteArray();
        var body = "GET".equals(request.getMethod())
                ? null
                : RequestBody.create(bytes, contentType == null ? null : MediaType.get(contentType));
        var builder = new Request.Builder().url(upstream.resolve(path)).method(request.getMethod(), body);
        var authorization = request.getHeader("Authorization");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try (var response = http.newCall(builder.build()).execute()) {
            return new MockResponse()
                    .setResponseCode(response.code())
                    .setHeader("Content-Type", response.header("Content-Type", "application/json"))
                    .setBody(response.body() == null ? "" : response.body().string());
        } catch (IOException e) {
            return new MockResponse().setResponseCode(502).setBody(e.toString());
        }
    }

    private static MockResponse json(String body) {
        return new MockResponse()
                .setHeader("Content-Type", "application/json; charset=utf-8")
                .setBody(body);
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
