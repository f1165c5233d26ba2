package cloud.pinata.revokebot.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * A fake Pinata on loopback that is no kinder than the real one (see the README's "Pinata, as the bot sees it"):
 * <ul>
 * <li>{@code GET /users/apiKeys} lists <em>active</em> keys only, 10 a page, newest first, paged by {@code offset};
 *     {@code count} is the total of active keys (or the page's size, with {@link #countIsPageSize()});</li>
 * <li>{@code PUT /users/revokeApiKey} answers 200 {@code "Revoked"} to any string: an unknown key, a key of another
 *     organisation, an already revoked key, even a JWT. Bad JSON or a missing {@code apiKey} get 400 before the
 *     credential is looked at; a wrong Bearer token gets 401 {@code INVALID_CREDENTIALS};</li>
 * <li>the V3 list ({@code /v3/pinata/keys} and {@code /v3/api_keys}) with {@code offset}, {@code revoked=true} (only
 *     revoked keys; without it, only active ones) and {@code name} (case-insensitive substring);</li>
 * <li>{@code GET /data/testAuthentication}: 200 for a live key's JWT (the Admin JWT, or the JWT of any active key: it
 *     succeeds even for a key without permissions), 401 {@code INVALID_CREDENTIALS} for a revoked or unknown one.
 *     Pinata documents "401/403" without saying which a revoked key's JWT gets: {@link #revokedJwtAnswers403()}
 *     switches to 403 {@code API_KEY_REVOKED}. Like every {@code /data/} route it costs a request of the budget;</li>
 * <li>an HTML 404 for any other route; {@code application/json; charset=utf-8} everywhere else;</li>
 * <li>optionally: latency per call, a rolling-minute rate limit answering 429 with {@code Retry-After: 60} and
 *     {@code X-RateLimit-*}, and keep-alive connections closed silently after each answer.</li>
 * </ul>
 * Every key carries a secret in every listing, which the bot must drop.
 */
public final class FakePinata implements AutoCloseable {
    public static final int PAGE = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant EPOCH = Instant.parse("2024-05-01T10:00:00Z");

    /** A key of the organisation. {@code createdAt} orders the listings, newest first. */
    public record Key(
            String key,
            String name,
            boolean revoked,
            String secret,
            Instant createdAt,
            Integer maxUses,
            boolean admin) {
        Key revoke() {
            return new Key(key, name, true, secret, createdAt, maxUses, admin);
        }
    }

    /** One recorded request. */
    public record Call(String method, String path, String authorization, String body) {}

    private final MockWebServer server = NoDelayServers.create();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Key> keys = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<MockResponse> revokeScript = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<MockResponse> appliedRevokeScript = new ConcurrentLinkedQueue<>();
    private final AtomicInteger created = new AtomicInteger();
    private final ArrayDeque<Instant> window = new ArrayDeque<>();
    private volatile String acceptedJwt;
    private volatile java.util.concurrent.Semaphore hold;
    private volatile CountDownLatch held = new CountDownLatch(1);
    private volatile MockResponse listFailure;
    private volatile boolean v3Missing;
    private volatile boolean countIsPageSize;
    private volatile Duration latency = Duration.ZERO;
    private volatile int rateLimit;
    private volatile Clock rateClock = Clock.systemUTC();
    private volatile boolean closeIdleConnections;

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

    /** Only this Bearer token is an Admin credential of the organisation; null accepts any. */
    public void acceptJwt(String jwt) {
        acceptedJwt = jwt;
    }

    /** A new key, newer than every key added before it. */
    public void addKey(String key, String name, boolean revoked, String secret) {
        addKey(key, name, revoked, secret, null, false);
    }

    public void addKey(String key, String name, boolean revoked, String secret, Integer maxUses, boolean admin) {
        var at = EPOCH.plus(Duration.ofMinutes(created.incrementAndGet()));
        keys.add(0, new Key(key, name, revoked, secret, at, maxUses, admin));
    }

    /** {@code n} active keys named bulk-N, as an organisation with many keys has; returns their ids, oldest first. */
    public List<String> addManyKeys(int n) {
        var ids = new ArrayList<String>();
        for (int i = 0; i < n; i++) {
            var id = String.format(Locale.ROOT, "%020x", 0xabc0000000L + i);
            addKey(id, "bulk-" + i, false, "9".repeat(64));
            ids.add(id);
        }
        return ids;
    }

    /**
     * From now on the listings show {@code key} without {@code createdAt}: Pinata documents the field, so this is
     * only to prove the bot never trusts an order it cannot see.
     */
    public void withoutCreatedAt(String key) {
        undated.add(key);
    }

    private final java.util.Set<String> undated = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Someone revoked the key in the dashboard: it leaves the active list. */
    public void revokeOutsideTheBot(String key) {
        markRevoked(key);
    }

    /** The next revoke calls get these responses, in order; only a scripted 200 revokes the key. */
    public void scriptRevoke(MockResponse... responses) {
        revokeScript.addAll(List.of(responses));
    }

    /** The next revoke calls do revoke the key, but answer with these (a timeout, a 500) instead of 200. */
    public void scriptRevokeThatApplies(MockResponse... responses) {
        appliedRevokeScript.addAll(List.of(responses));
    }

    /** The next revoke calls answer 200 "Revoked" and change nothing, as Pinata does for a string it cannot revoke. */
    public void answerOkWithoutRevoking(int times) {
        for (int i = 0; i < times; i++) {
            revokeScript.add(json(200, "\"Revoked\"").setHeader("X-Fake", "no-op"));
        }
    }

    public void failList(MockResponse response) {
        listFailure = response;
    }

    /** An older plan or key without the V3 routes: they answer with the HTML 404. */
    public void withoutV3() {
        v3Missing = true;
    }

    /** {@code count} counts the page, not the organisation (what it counts is undocumented). */
    public void countIsPageSize() {
        countIsPageSize = true;
    }

    /** Runs {@code change} right after the {@code n}-th legacy list call (1-based) has been answered. */
    public void afterListCall(int n, Runnable change) {
        listChangeAt = n;
        listChange = change;
    }

    private volatile int listChangeAt;
    private volatile Runnable listChange;
    private final AtomicInteger listCalls = new AtomicInteger();

    /** The legacy list comes oldest first: the order the bot observed is not guaranteed, so it must notice. */
    public void shuffleListing() {
        oldestFirst = true;
    }

    private volatile boolean oldestFirst;

    /** Every answer takes this long. */
    public void latency(Duration perCall) {
        latency = perCall;
    }

    /** At most {@code perMinute} requests in any rolling minute of {@code clock}, then 429 with Retry-After 60. */
    public void rateLimit(int perMinute, Clock clock) {
        rateClock = clock;
        rateLimit = perMinute;
    }

    /** Closes each connection right after answering, without saying so, as idle-timeout proxies do. */
    public void closeIdleConnections() {
        closeIdleConnections = true;
    }

    /** Revokes wait until {@link #release()} (all) or {@link #releaseOne()}; {@link #awaitHeld()} returns once one waits. */
    public void holdRevokes() {
        hold = new java.util.concurrent.Semaphore(0);
        held = new CountDownLatch(1);
    }

    public boolean awaitHeld() throws InterruptedException {
        return held.await(10, TimeUnit.SECONDS);
    }

    /** Lets every held revoke, and every later one, through. */
    public void release() {
        hold.release(100_000);
    }

    /** Lets one held revoke through. */
    public void releaseOne() {
        hold.release();
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

    /** How many requests got a 429. */
    public long rateLimited() {
        return rateLimitedCount.get();
    }

    private final AtomicInteger rateLimitedCount = new AtomicInteger();

    private MockResponse answer(RecordedRequest request) throws InterruptedException {
        var path = request.getPath() == null ? "" : request.getPath();
        var call = new Call(
                request.getMethod(),
                path,
                request.getHeader("Authorization"),
                request.getBody().readUtf8());
        calls.add(call);
        var response = route(request, call);
        if (!latency.isZero()) {
            response.setHeadersDelay(latency.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (closeIdleConnections && response.getSocketPolicy() == SocketPolicy.KEEP_OPEN) {
            response.setSocketPolicy(SocketPolicy.DISCONNECT_AT_END);
        }
        return response;
    }

    private MockResponse route(RecordedRequest request, Call call) throws InterruptedException {
        var url = request.getRequestUrl();
        var route = url == null ? "" : url.encodedPath();
        var known = (request.getMethod().equals("PUT") && route.equals("/users/revokeApiKey"))
                || (request.getMethod().equals("GET")
                        && (route.equals("/users/apiKeys")
                                || route.equals("/data/testAuthentication")
                                || (!v3Missing && (route.equals("/v3/pinata/keys") || route.equals("/v3/api_keys")))));
        if (!known) {
            return htmlNotFound(request.getMethod(), route);
        }
        var limited = rateLimited(route);
        if (limited != null) {
            return limited;
        }
        if (route.equals("/data/testAuthentication")) {
            return testAuthentication(call.authorization());
        }
        if (route.equals("/users/revokeApiKey")) {
            return revoke(call);
        }
        if (!authorized(call.authorization())) {
            return invalidCredentials();
        }
        if (listFailure != null) {
            return listFailure;
        }
        var offset = intParam(url.queryParameter("offset"));
        if (route.equals("/users/apiKeys")) {
            // The legacy route ignores revoked=true: active keys only, whatever is asked.
            var answer = page(keys.stream().filter(k -> !k.revoked()).toList(), offset, oldestFirst);
            if (listCalls.incrementAndGet() == listChangeAt && listChange != null) {
                listChange.run();
            }
            return answer;
        }
        var revoked = "true".equals(url.queryParameter("revoked"));
        var name = url.queryParameter("name");
        return page(
                keys.stream()
                        .filter(k -> k.revoked() == revoked)
                        .filter(k -> name == null
                                || (k.name() != null
                                        && k.name().toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT))))
                        .toList(),
                offset,
                false);
    }

    private MockResponse revoke(Call call) throws InterruptedException {
        // Pinata parses the body before it looks at the credential: a 400 says nothing about the JWT.
        String apiKey;
        try {
            JsonNode body = JSON.readTree(call.body());
            var field = body == null ? null : body.get("apiKey");
            if (field == null || !field.isTextual()) {
                return json(400, "{\"error\":{\"reason\":\"INVALID_REQUEST\",\"details\":\"apiKey is required\"}}");
            }
            apiKey = field.asText();
        } catch (IOException e) {
            return json(400, "{\"error\":{\"reason\":\"INVALID_REQUEST\",\"details\":\"Unexpected token in JSON\"}}");
        }
        if (!authorized(call.authorization())) {
            return invalidCredentials();
        }
        held.countDown();
        var h = hold;
        if (h != null) {
            h.tryAcquire(30, TimeUnit.SECONDS);
        }
        var scripted = revokeScript.poll();
        if (scripted != null) {
            // A scripted success did the work, as Pinata's would; any other scripted answer changed nothing.
            if (scripted.getStatus().contains(" 200 ")
                    && scripted.getSocketPolicy() == SocketPolicy.KEEP_OPEN
                    && !"no-op".equals(scripted.getHeaders().get("X-Fake"))) {
                markRevoked(apiKey);
            }
            return scripted;
        }
        markRevoked(apiKey);
        var applied = appliedRevokeScript.poll();
        return applied != null ? applied : json(200, "\"Revoked\"");
    }

    private MockResponse testAuthentication(String authorization) {
        if (authorized(authorization) && acceptedJwt != null) {
            return json(200, "{\"message\":\"Congratulations! You are communicating with the Pinata API!\"}");
        }
        var key = scopedKeyKey(authorization);
        var live = key != null && keys.stream().anyMatch(k -> k.key().equals(key) && !k.revoked());
        if (live) {
            return json(200, "{\"message\":\"Congratulations! You are communicating with the Pinata API!\"}");
        }
        var revoked = key != null && keys.stream().anyMatch(k -> k.key().equals(key) && k.revoked());
        return revoked && revokedJwt403
                ? json(
                        403,
                        "{\"error\":{\"reason\":\"API_KEY_REVOKED\",\"details\":\"This API key has been revoked\"}}")
                : invalidCredentials();
    }

    private volatile boolean revokedJwt403;

    /** A revoked key's JWT gets 403 {@code API_KEY_REVOKED} from testAuthentication instead of 401. */
    public void revokedJwtAnswers403() {
        revokedJwt403 = true;
    }

    /** The testAuthentication calls Pinata received. */
    public List<Call> credentialChecks() {
        return calls.stream()
                .filter(c -> c.path().startsWith("/data/testAuthentication"))
                .toList();
    }

    private MockResponse page(List<Key> listed, int offset, boolean ascending) {
        var sorted = new ArrayList<>(listed);
        sorted.sort((a, b) -> ascending
                ? a.createdAt().compareTo(b.createdAt())
                : b.createdAt().compareTo(a.createdAt()));
        var from = Math.min(Math.max(offset, 0), sorted.size());
        var page = sorted.subList(from, Math.min(from + PAGE, sorted.size()));
        var sb = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < page.size(); i++) {
            var k = page.get(i);
            if (i > 0) {
                sb.append(',');
            }
            var scopes = k.admin()
                    ? "{\"admin\":true}"
                    : "{\"endpoints\":{\"pinning\":{\"pinFileToIPFS\":true,\"unpin\":false}},\"admin\":false}";
            sb.append("{\"id\":\"id-")
                    .append(k.key())
                    .append("\",\"name\":")
                    .append(quote(k.name()))
                    .append(",\"key\":\"")
                    .append(k.key())
                    .append("\",\"secret\":\"")
                    .append(k.secret())
                    .append("\",\"max_uses\":")
                    .append(k.maxUses())
                    .append(",\"uses\":3,\"user_id\":\"u1\",\"scopes\":")
                    .append(scopes)
                    .append(",\"revoked\":")
                    .append(k.revoked())
                    .append(
                            undated.contains(k.key())
                                    ? ""
                                    : ",\"createdAt\":\"" + k.createdAt() + "\",\"updatedAt\":\"" + k.createdAt()
                                            + "\"")
                    .append("}");
        }
        sb.append("],\"count\":")
                .append(countIsPageSize ? page.size() : sorted.size())
                .append('}');
        return json(200, sb.toString());
    }

    private synchronized MockResponse rateLimited(String route) {
        if (rateLimit <= 0) {
            return null;
        }
        var now = rateClock.instant();
        while (!window.isEmpty() && !window.peekFirst().isAfter(now.minus(Duration.ofMinutes(1)))) {
            window.pollFirst();
        }
        var reset = (window.isEmpty() ? now : window.peekFirst())
                .plus(Duration.ofMinutes(1))
                .getEpochSecond();
        if (window.size() >= rateLimit) {
            rateLimitedCount.incrementAndGet();
            return json(429, "{\"error\":{\"reason\":\"RATE_LIMITED\",\"details\":\"Too many requests\"}}")
                    .setHeader("Retry-After", "60")
                    .setHeader("X-RateLimit-Limit", rateLimit)
                    .setHeader("X-RateLimit-Remaining", 0)
                    .setHeader("X-RateLimit-Reset", reset);
        }
        window.addLast(now);
        return null;
    }

    private boolean authorized(String authorization) {
        var jwt = acceptedJwt;
        return authorization != null
                && authorization.startsWith("Bearer ")
                && (jwt == null || authorization.equals("Bearer " + jwt));
    }

    private static String scopedKeyKey(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        var parts = authorization.substring(7).split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            var payload = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return payload.path("scopedKeyKey").asText(null);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Like Pinata, a successful revoke takes the key out of the active list; an unknown string changes nothing. */
    private void markRevoked(String apiKey) {
        for (int i = 0; i < keys.size(); i++) {
            var k = keys.get(i);
            if (k.key().equals(apiKey)) {
                keys.set(i, k.revoke());
            }
        }
    }

    private static int intParam(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockResponse invalidCredentials() {
        return json(
                401, "{\"error\":{\"reason\":\"INVALID_CREDENTIALS\",\"details\":\"Invalid/expired credentials\"}}");
    }

    /** What Pinata's web framework answers for a route it does not have: HTML, no JSON envelope. */
    public static MockResponse htmlNotFound(String method, String route) {
        return new MockResponse()
                .setResponseCode(404)
                .setHeader("Content-Type", "text/html; charset=utf-8")
                .setBody("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error</title></head>"
                        + "<body><pre>Cannot " + method + " " + route + "</pre></body></html>\n");
    }

    public static MockResponse json(int status, String body) {
        return new MockResponse()
                .setResponseCode(status)
                .setHeader("Content-Type", "application/json; charset=utf-8")
                .setBody(body);
    }

    @Override
    public void close() throws IOException {
        if (hold != null) {
            hold.release(100_000);
        }
        server.shutdown();
    }
}
