package cloud.pinata.revokebot.support;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A fake Pinata on loopback: lists keys (10 a page, each with a secret the bot must drop) and answers revokes
 * from a script, 200 "Revoked" once the script runs out. A revoke can be held until the test releases it.
 */
public final class FakePinata implements AutoCloseable {
    public static final int PAGE = 10;

    /** A listed key. */
    public record Key(String key, String name, boolean revoked, String secret) { }

    /** One recorded request. */
    public record Call(String method, String path, String authorization, String body) { }

    private final MockWebServer server = new MockWebServer();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Key> keys = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<MockResponse> revokeScript = new ConcurrentLinkedQueue<>();
    private volatile CountDownLatch hold;
    private volatile CountDownLatch held = new CountDownLatch(1);
    private volatile MockResponse listFailure;

    public FakePinata() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                return answer(request);
            }
        });
        server.start();
    }

    public String url() {
        var u = server.url("/").toString();
        return u.substring(0, u.length() - 1);
    }

    public void addKey(String key, String name, boolean revoked, String secret) {
        keys.add(new Key(key, name, revoked, secret));
    }

    /** The next revoke calls get these responses, in order. */
    public void scriptRevoke(MockResponse... responses) {
        revokeScript.addAll(List.of(responses));
    }

    public void failList(MockResponse response) {
        listFailure = response;
    }

    /** Revokes wait until {@link #release()}; {@link #awaitHeld()} returns once one is waiting. */
    public void holdRevokes() {
        hold = new CountDownLatch(1);
        held = new CountDownLatch(1);
    }

    public boolean awaitHeld() throws InterruptedException {
        return held.await(10, TimeUnit.SECONDS);
    }

    public void release() {
        hold.countDown();
    }

    public boolean isRevoked(String key) {
        return keys.stream().anyMatch(k -> k.key().equals(key) && k.revoked());
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> revokeCalls() {
        return calls.stream().filter(c -> c.method().equals("PUT")).toList();
    }

    private MockResponse answer(RecordedRequest request) throws InterruptedException {
        var path = request.getPath() == null ? "" : request.getPath();
        var call = new Call(request.getMethod(), path, request.getHeader("Authorization"), request.getBody().readUtf8());
        calls.add(call);
        if (request.getMethod().equals("PUT") && path.equals("/users/revokeApiKey")) {
            held.countDown();
            var h = hold;
            if (h != null) {
                h.await(30, TimeUnit.SECONDS);
            }
            var scripted = revokeScript.poll();
            var response = scripted != null ? scripted : json(200, "\"Revoked\"");
            if (response.getStatus().contains(" 200 ") && response.getSocketPolicy() == okhttp3.mockwebserver.SocketPolicy.KEEP_OPEN) {
                markRevoked(call.body());
            }
            return response;
        }
        if (request.getMethod().equals("GET") && path.startsWith("/users/apiKeys")) {
            if (listFailure != null) {
                return listFailure;
            }
            var offset = Integer.parseInt(request.getRequestUrl().queryParameter("offset") == null ? "0"
                    : request.getRequestUrl().queryParameter("offset"));
            var page = keys.subList(Math.min(offset, keys.size()), Math.min(offset + PAGE, keys.size()));
            var sb = new StringBuilder("{\"keys\":[");
            for (int i = 0; i < page.size(); i++) {
                var k = page.get(i);
                if (i > 0) {
                    sb.append(',');
                }
                sb.append("{\"id\":\"id-").append(k.key()).append("\",\"name\":\"").append(k.name())
                        .append("\",\"key\":\"").append(k.key()).append("\",\"secret\":\"").append(k.secret())
                        .append("\",\"max_uses\":null,\"uses\":3,\"user_id\":\"u1\",\"scopes\":{\"endpoints\":{\"pinning\":{\"pinFileToIPFS\":true,\"unpin\":false}},\"admin\":false}")
                        .append(",\"revoked\":").append(k.revoked())
                        .append(",\"createdAt\":\"2024-05-01T10:00:00.000Z\",\"updatedAt\":\"2024-05-01T10:00:00.000Z\"}");
            }
            sb.append("],\"count\":").append(keys.size()).append('}');
            return json(200, sb.toString());
        }
        return json(404, "{\"error\":{\"reason\":\"OBJECT_NOT_FOUND\",\"details\":\"no route\"}}");
    }

    /** Like Pinata, a successful revoke shows up in later key listings. */
    private void markRevoked(String body) {
        for (int i = 0; i < keys.size(); i++) {
            var k = keys.get(i);
            if (body.contains("\"" + k.key() + "\"")) {
                keys.set(i, new Key(k.key(), k.name(), true, k.secret()));
            }
        }
    }

    public static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
    }

    @Override
    public void close() throws IOException {
        if (hold != null) {
            hold.countDown();
        }
        server.shutdown();
    }
}
