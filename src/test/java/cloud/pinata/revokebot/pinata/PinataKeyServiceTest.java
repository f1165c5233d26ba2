package cloud.pinata.revokebot.pinata;

import cloud.pinata.revokebot.retry.RetryPolicy;
import cloud.pinata.revokebot.config.Secret;
import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.revocation.RevokeOutcome;
import cloud.pinata.revokebot.revocation.RevokeOutcome.Reason;
import cloud.pinata.revokebot.support.TestJwt;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retries, outcome classification and the state check after doubt, against a scripted Pinata. */
class PinataKeyServiceTest {
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    static final String LISTED_SECRET = "f00df00df00df00df00df00df00df00df00df00df00df00df00df00df00df00d";
    static final RetryPolicy RETRY = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofSeconds(5));

    final ObjectMapper json = new ObjectMapper();
    final List<Duration> sleeps = new ArrayList<>();
    MockWebServer server;
    PinataKeyService service;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        var http = new OkHttpClient.Builder()
                .readTimeout(Duration.ofMillis(300))
                .retryOnConnectionFailure(false)
                .build();
        service = new PinataKeyService(new PinataClient(http, server.url("/"), new Secret(TestJwt.bot()), json), RETRY, sleeps::add);
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private RecordedRequest take() throws InterruptedException {
        var request = server.takeRequest(5, TimeUnit.SECONDS);
        assertNotNull(request, "fewer requests than expected reached the server");
        return request;
    }

    /** Method and path (with query) of every request the server saw, in order. */
    private List<String> requests() throws InterruptedException {
        var seen = new ArrayList<String>();
        for (int i = 0; i < server.getRequestCount(); i++) {
            var r = take();
            seen.add(r.getMethod() + " " + r.getPath());
        }
        return seen;
    }

    private static String key(String key, String name, boolean revoked) {
        return "{\"id\":\"id-" + key + "\",\"name\":\"" + name + "\",\"key\":\"" + key + "\",\"secret\":\"" + LISTED_SECRET
                + "\",\"scopes\":{\"admin\":false,\"endpoints\":{\"pinning\":{\"pinFileToIPFS\":true,\"unpin\":false}}},"
                + "\"revoked\":" + revoked + ",\"createdAt\":\"2026-01-02T03:04:05.000Z\"}";
    }

    private static MockResponse page(int count, String... keys) {
        return new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"keys\":[" + String.join(",", keys) + "],\"count\":" + count + "}");
    }

    private static MockResponse listing(boolean revoked) {
        return page(1, key(KEY, "ci-deploy", revoked));
    }

    private static MockResponse status(int code) {
        return new MockResponse().setResponseCode(code).setBody("{\"error\":{\"reason\":\"CODE_" + code + "\",\"details\":\"x\"}}");
    }

    private static MockResponse revoked() {
        return new MockResponse().setBody("\"Revoked\"");
    }

    // --- look-up -------------------------------------------------------------------------------------------------

    @Test
    void lookupPagesThroughTheListUntilItFindsTheKey() throws Exception {
        var keys = IntStream.range(0, 25).mapToObj(i -> String.format("%020x", 0xabc000 + i)).toList();
        var target = keys.get(22);
        for (int from = 0; from < 25; from += 10) {
            var pageKeys = keys.subList(from, Math.min(25, from + 10)).stream()
                    .map(k -> key(k, k.equals(target) ? "the-one" : "other", false)).toArray(String[]::new);
            server.enqueue(page(25, pageKeys));
        }

        var lookup = service.lookup(target.toUpperCase());

        var found = assertInstanceOf(KeyLookup.Found.class, lookup);
        assertEquals("the-one", found.details().name());
        assertEquals("2026-01-02T03:04:05.000Z", found.details().createdAt());
        assertEquals("pinFileToIPFS", found.details().scopes());
        assertFalse(found.details().revoked());
        assertEquals(List.of("GET /users/apiKeys?offset=0", "GET /users/apiKeys?offset=10", "GET /users/apiKeys?offset=20"),
                requests());
    }

    @Test
    void lookupStopsAtTheCountWhenTheKeyIsAbsent() throws Exception {
        server.enqueue(page(2, key("00000000000000000001", "a", false), key("00000000000000000002", "b", false)));

        assertInstanceOf(KeyLookup.NotListed.class, service.lookup(KEY));
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void lookupStopsAtAnEmptyPageWhenThereIsNoCount() throws Exception {
        server.enqueue(new MockResponse().setBody("{\"keys\":[" + key("00000000000000000001", "a", false) + "]}"));
        server.enqueue(new MockResponse().setBody("{\"keys\":[]}"));

        assertInstanceOf(KeyLookup.NotListed.class, service.lookup(KEY));
        assertEquals(List.of("GET /users/apiKeys?offset=0", "GET /users/apiKeys?offset=1"), requests());
    }

    @Test
    void lookupReportsARevokedKey() {
        server.enqueue(listing(true));

        var found = assertInstanceOf(KeyLookup.Found.class, service.lookup(KEY));

        assertTrue(found.details().revoked());
        assertFalse(found.toString().contains(LISTED_SECRET), found::toString);
    }

    @Test
    void lookupIsUnavailableOnServerError() {
        server.enqueue(status(500));

        var lookup = assertInstanceOf(KeyLookup.Unavailable.class, service.lookup(KEY));

        assertTrue(lookup.reason().contains("500"), lookup.reason());
        assertEquals(1, server.getRequestCount(), "look-ups are best effort and not retried");
    }

    @Test
    void lookupIsUnavailableWhenPinataDoesNotAnswer() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

        var lookup = assertInstanceOf(KeyLookup.Unavailable.class, service.lookup(KEY));

        assertEquals("Pinata did not answer", lookup.reason());
    }

    @Test
    void lookupIsUnavailableOnJsonNullBody() {
        server.enqueue(new MockResponse().setBody("null"));

        assertInstanceOf(KeyLookup.Unavailable.class, service.lookup(KEY));
    }

    // --- revoke: definite answers --------------------------------------------------------------------------------

    @Test
    void revokesOnFirstSuccess() throws Exception {
        server.enqueue(revoked());

        assertEquals(new RevokeOutcome.Revoked(200, RevokeOutcome.Verification.UNVERIFIED), service.revoke(KEY));
        assertEquals(List.of("PUT /users/revokeApiKey"), requests());
        assertTrue(sleeps.isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"401, BOT_CREDENTIAL_INVALID", "403, BOT_NOT_ALLOWED", "404, KEY_NOT_FOUND", "400, REJECTED", "409, REJECTED"})
    void refusalIsClassifiedByStatusAndNeverRetried(int code, Reason reason) {
        server.enqueue(status(code));
        server.enqueue(revoked()); // would turn a wrong retry into a visible success

        var outcome = service.revoke(KEY);

        assertEquals(new RevokeOutcome.Refused(reason, code, "CODE_" + code), outcome);
        assertEquals(1, server.getRequestCount(), "exactly one attempt");
        assertTrue(sleeps.isEmpty());
    }

    // --- revoke: retries -----------------------------------------------------------------------------------------

    @Test
    void retriesServerErrorsUntilSuccess() throws Exception {
        server.enqueue(status(500));
        server.enqueue(status(500));
        server.enqueue(revoked());

        assertInstanceOf(RevokeOutcome.Revoked.class, service.revoke(KEY));
        assertEquals(List.of("PUT /users/revokeApiKey", "PUT /users/revokeApiKey", "PUT /users/revokeApiKey"), requests());
        assertEquals(2, sleeps.size(), sleeps::toString);
        for (var d : sleeps) {
            assertTrue(!d.isNegative() && d.compareTo(RETRY.maxDelay()) <= 0, () -> "backoff outside the policy: " + sleeps);
        }
    }

    @Test
    void givesUpAfterMaxAttemptsAndChecksTheKeyState() throws Exception {
        for (int i = 0; i < 4; i++) {
            server.enqueue(status(503));
        }
        server.enqueue(listing(false));
        server.enqueue(revoked()); // a fifth revoke attempt would succeed: the test sees it

        var outcome = assertInstanceOf(RevokeOutcome.Unavailable.class, service.revoke(KEY));

        assertEquals(503, outcome.status());
        assertTrue(outcome.detail().contains("still lists the key as active"), outcome.detail());
        assertEquals(List.of("PUT /users/revokeApiKey", "PUT /users/revokeApiKey", "PUT /users/revokeApiKey",
                "PUT /users/revokeApiKey", "GET /users/apiKeys?offset=0"), requests());
        assertEquals(3, sleeps.size(), sleeps::toString);
    }

    @Test
    void givesUpAndSaysTheStateIsUnknownWhenTheListFailsToo() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(status(503));
        }
        server.enqueue(status(503));

        var outcome = assertInstanceOf(RevokeOutcome.Unavailable.class, service.revoke(KEY));

        assertTrue(outcome.detail().contains("could not be confirmed"), outcome.detail());
        assertEquals(5, server.getRequestCount());
    }

    @Test
    void honoursRetryAfter() throws Exception {
        server.enqueue(status(429).setHeader("Retry-After", "2"));
        server.enqueue(revoked());

        assertInstanceOf(RevokeOutcome.Revoked.class, service.revoke(KEY));
        assertEquals(List.of(Duration.ofSeconds(2)), sleeps);
        assertEquals(List.of("PUT /users/revokeApiKey", "PUT /users/revokeApiKey"), requests());
    }

    @Test
    void stopsWithoutSleepingWhenRetryAfterPassesTheDeadline() throws Exception {
        server.enqueue(status(429).setHeader("Retry-After", "60"));
        server.enqueue(listing(false));
        server.enqueue(revoked());

        var outcome = assertInstanceOf(RevokeOutcome.Unavailable.class, service.revoke(KEY));

        assertEquals(429, outcome.status());
        assertTrue(sleeps.isEmpty(), sleeps::toString);
        assertEquals(List.of("PUT /users/revokeApiKey", "GET /users/apiKeys?offset=0"), requests());
    }

    // --- revoke: ambiguity resolved by reading the key's state -----------------------------------------------------

    @Test
    void ambiguousFailureThenRefusalIsRevokedWhenTheListSaysSo() throws Exception {
        server.enqueue(status(502)); // the first attempt may have revoked the key…
        server.enqueue(status(404)); // …so the second finds nothing to revoke
        server.enqueue(listing(true));

        assertInstanceOf(RevokeOutcome.Revoked.class, service.revoke(KEY));
        assertEquals(List.of("PUT /users/revokeApiKey", "PUT /users/revokeApiKey", "GET /users/apiKeys?offset=0"), requests());
    }

    @Test
    void ambiguousFailureThenRefusalStaysRefusedWhenTheKeyIsNotRevoked() {
        server.enqueue(status(502));
        server.enqueue(status(404));
        server.enqueue(page(0));

        var outcome = service.revoke(KEY);

        assertEquals(new RevokeOutcome.Refused(Reason.KEY_NOT_FOUND, 404, "CODE_404"), outcome);
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void retriesAfterATimeoutAndRevokes() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        server.enqueue(revoked());

        assertInstanceOf(RevokeOutcome.Revoked.class, service.revoke(KEY));
        assertEquals(2, server.getRequestCount());
        assertEquals(1, sleeps.size());
    }

    @Test
    void timeoutThenRefusalChecksTheKeyState() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        server.enqueue(status(404));
        server.enqueue(listing(true));

        assertInstanceOf(RevokeOutcome.Revoked.class, service.revoke(KEY));
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void retriesAfterADroppedConnectionAndRevokes() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(revoked());

        assertInstanceOf(RevokeOutcome.Revoked.class, service.revoke(KEY));
        assertEquals(1, sleeps.size());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void noAnswerAtAllIsUnavailableWithStatusZero() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        }
        server.enqueue(listing(false));

        var outcome = assertInstanceOf(RevokeOutcome.Unavailable.class, service.revoke(KEY));

        assertEquals(0, outcome.status());
        assertTrue(outcome.detail().startsWith("no answer from Pinata"), outcome.detail());
        assertEquals(5, server.getRequestCount());
        assertEquals(3, sleeps.size());
    }

    // --- scopes ----------------------------------------------------------------------------------------------------

    @Test
    void summarizesAdminScopes() throws Exception {
        assertEquals("admin", PinataKeyService.summarize(json.readTree("{\"admin\":true}")));
        assertEquals("admin", PinataKeyService.summarize(json.readTree("{\"admin\":true,\"endpoints\":{\"data\":{\"pinList\":true}}}")));
    }

    @Test
    void summarizesEnabledEndpointsSorted() throws Exception {
        var scopes = json.readTree("{\"admin\":false,\"endpoints\":{"
                + "\"data\":{\"pinList\":true,\"userPinnedDataTotal\":false},"
                + "\"pinning\":{\"unpin\":true,\"pinFileToIPFS\":true,\"pinJSONToIPFS\":false,\"hashMetadata\":\"true\"}}}");
        assertEquals("pinFileToIPFS, pinList, unpin", PinataKeyService.summarize(scopes));
    }

    @Test
    void summarizesManyEndpointsAsSixAndACount() throws Exception {
        var endpoints = IntStream.rangeClosed(1, 8).mapToObj(i -> "\"e" + i + "\":true").collect(Collectors.joining(","));
        var scopes = json.readTree("{\"endpoints\":{\"pinning\":{" + endpoints + "}}}");
        assertEquals("e1, e2, e3, e4, e5, e6 and 2 more", PinataKeyService.summarize(scopes));
    }

    @Test
    void summarizesNoEnabledEndpointsAndMissingScopes() throws Exception {
        assertEquals("no endpoints", PinataKeyService.summarize(json.readTree("{\"admin\":false,\"endpoints\":{\"data\":{\"pinList\":false}}}")));
        assertEquals("no endpoints", PinataKeyService.summarize(json.readTree("{}")));
        assertEquals(null, PinataKeyService.summarize(null));
        assertEquals(null, PinataKeyService.summarize(json.readTree("null")));
    }
}
