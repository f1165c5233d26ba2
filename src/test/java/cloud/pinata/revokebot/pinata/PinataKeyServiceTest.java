package cloud.pinata.revokebot.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.Secret;
import cloud.pinata.revokebot.retry.RetryPolicy;
import cloud.pinata.revokebot.revocation.Ports;
import cloud.pinata.revokebot.revocation.RevokeOutcome;
import cloud.pinata.revokebot.revocation.RevokeOutcome.Reason;
import cloud.pinata.revokebot.support.TestJwt;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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

/** The revoke call: retries, Retry-After, the lease, and outcome classification, against a scripted Pinata. */
class PinataKeyServiceTest {
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    static final String LISTED_SECRET = "f00df00df00df00df00df00df00df00df00df00df00df00df00df00df00df00d";
    static final RetryPolicy RETRY =
            new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofSeconds(5));

    final ObjectMapper json = new ObjectMapper();
    final List<Duration> sleeps = new ArrayList<>();
    MockWebServer server;
    PinataKeyService service;

    @BeforeEach
    void start() throws Exception {
        server = cloud.pinata.revokebot.support.NoDelayServers.create();
        server.start();
        service = withPolicy(RETRY);
    }

    private PinataKeyService withPolicy(RetryPolicy policy) {
        var http = new OkHttpClient.Builder()
                .readTimeout(Duration.ofMillis(300))
                .retryOnConnectionFailure(false)
                .build();
        // A 429 pauses the client's request budget for Retry-After: on a clock of its own that its waits move, so a
        // 60 s Retry-After costs no time (the service's own waits are recorded in `sleeps`).
        var budgetClock =
                new cloud.pinata.revokebot.support.MutableClock(java.time.Instant.parse("2026-12-01T03:00:00Z"));
        var budget = new RequestBudget(1_000, budgetClock, budgetClock::advance);
        var client = new PinataClient(http, server.url("/"), new Secret(TestJwt.bot()), json, budget);
        var clock = java.time.Clock.systemUTC();
        return new PinataKeyService(
                client,
                new KeyIndex(client, clock, Duration.ofSeconds(10), 100),
                policy,
                sleeps::add,
                clock,
                Duration.ZERO);
    }

    static final Ports.Attempts ATTEMPTS = new Ports.Attempts() {
        @Override
        public boolean stillHeld() {
            return true;
        }

        @Override
        public void waiting(Duration delay, boolean rateLimited) {}
    };

    @Test
    void aForbiddenIsSplitByPinatasReason() {
        server.enqueue(new MockResponse()
                .setResponseCode(403)
                .setBody("{\"error\":{\"reason\":\"API_KEY_REVOKED\",\"details\":\"x\"}}"));
        server.enqueue(new MockResponse()
                .setResponseCode(403)
                .setBody("{\"error\":{\"reason\":\"NO_SCOPES_FOUND\",\"details\":\"x\"}}"));

        assertEquals(
                new RevokeOutcome.Refused(Reason.BOT_KEY_REVOKED, 403, "API_KEY_REVOKED"),
                service.revoke(KEY, ATTEMPTS));
        assertEquals(
                new RevokeOutcome.Refused(Reason.BOT_NOT_ALLOWED, 403, "NO_SCOPES_FOUND"),
                service.revoke(KEY, ATTEMPTS));
    }

    @Test
    void aNotFoundWithoutPinatasEnvelopeMeansTheRouteIsWrong() {
        server.enqueue(cloud.pinata.revokebot.support.FakePinata.htmlNotFound("PUT", "/users/revokeApiKey"));

        var outcome = service.revoke(KEY, ATTEMPTS);

        assertEquals(new RevokeOutcome.Refused(Reason.ROUTE_NOT_FOUND, 404, null), outcome);
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
        return "{\"id\":\"id-" + key + "\",\"name\":\"" + name + "\",\"key\":\"" + key + "\",\"secret\":\""
                + LISTED_SECRET
                + "\",\"scopes\":{\"admin\":false,\"endpoints\":{\"pinning\":{\"pinFileToIPFS\":true,\"unpin\":false}}},"
                + "\"revoked\":" + revoked + ",\"createdAt\":\"2026-01-02T03:04:05.000Z\"}";
    }

    private static MockResponse page(int count, String... keys) {
        return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody("{\"keys\":[" + String.join(",", keys) + "],\"count\":" + count + "}");
    }

    private static MockResponse listing(boolean revoked) {
        return page(1, key(KEY, "ci-deploy", revoked));
    }

    private static MockResponse status(int code) {
        return new MockResponse()
                .setResponseCode(code)
                .setBody("{\"error\":{\"reason\":\"CODE_" + code + "\",\"details\":\"x\"}}");
    }

    private static MockResponse revoked() {
        return new MockResponse().setBody("\"Revoked\"");
    }

    // --- revoke: definite answers --------------------------------------------------------------------------------

    @Test
    void revokesOnFirstSuccess() throws Exception {
        server.enqueue(revoked());

        assertEquals(
                new RevokeOutcome.Revoked(200, RevokeOutcome.Verification.UNVERIFIED), service.revoke(KEY, ATTEMPTS));
        assertEquals(List.of("PUT /users/revokeApiKey"), requests());
        assertTrue(sleeps.isEmpty());
    }

    @ParameterizedTest
    @CsvSource({
        "401, BOT_CREDENTIAL_INVALID",
        "403, BOT_NOT_ALLOWED",
        "404, KEY_NOT_FOUND",
        "400, REJECTED",
        "409, REJECTED"
    })
    // (each in Pinata's JSON envelope; a 404 without it, and the two kinds of 403, are below)
    void refusalIsClassifiedByStatusAndNeverRetried(int code, Reason reason) {
        server.enqueue(status(code));
        server.enqueue(revoked()); // would turn a wrong retry into a visible success

        var outcome = service.revoke(KEY, ATTEMPTS);

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

        assertInstanceOf(RevokeOutcome.Revoked.class, service.revoke(KEY, ATTEMPTS));
        assertEquals(
                List.of("PUT /users/revokeApiKey", "PUT /users/revokeApiKey", "PUT /users/revokeApiKey"), requests());
        assertEquals(2, sleeps.size(), sleeps::toString);
        for (var d : sleeps) {
            assertTrue(
                    !d.isNegative() && d.compareTo(RETRY.maxDelay()) <= 0,
                    () -> "backoff outside the policy: " + sleeps);
        }
    }

    @Test
    void givesUpAfterMaxAttemptsAndSaysAnAttemptMayHaveReachedPinata() throws Exception {
        for (int i = 0; i < 4; i++) {
            server.enqueue(status(503));
        }
        server.enqueue(revoked()); // a fifth revoke attempt would succeed: the test sees it

        var outcome = assertInstanceOf(RevokeOutcome.Unavailable.class, service.revoke(KEY, ATTEMPTS));

        assertEquals(503, outcome.status());
        assertTrue(outcome.ambiguous(), "a 5xx may have revoked the key: its state must be read");
        assertEquals(
                List.of(
                        "PUT /users/revokeApiKey",
                        "PUT /users/revokeApiKey",
                        "PUT /users/revokeApiKey",
                        "PUT /users/revokeApiKey"),
                requests());
        assertEquals(3, sleeps.size(), sleeps::toString);
    }

    @Test
    void honoursRetryAfter() throws Exception {
        server.enqueue(status(429).setHeader("Retry-After", "2"));
        server.enqueue(revoked());

        assertInstanceOf(RevokeOutcome.Revoked.class, service.revoke(KEY, ATTEMPTS));
        assertEquals(List.of(Duration.ofSeconds(2)), sleeps);
        assertEquals(List.of("PUT /users/revokeApiKey", "PUT /users/revokeApiKey"), requests());
    }

    @Test
    void waitsOutARetryAfterOfSixtySecondsAndTellsTheCaller() throws Exception {
        var service =
                withPolicy(new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofSeconds(150)));
        server.enqueue(status(429).setHeader("Retry-After", "60"));
        server.enqueue(revoked());
        var told = new ArrayList<String>();

        var outcome = service.revoke(KEY, new Ports.Attempts() {
            @Override
            public boolean stillHeld() {
                return true;
            }

            @Override
            public void waiting(Duration delay, boolean rateLimited) {
                told.add(delay.toSeconds() + "s rateLimited=" + rateLimited);
            }
        });

        assertInstanceOf(RevokeOutcome.Revoked.class, outcome);
        assertEquals(List.of(Duration.ofSeconds(60)), sleeps);
        assertEquals(List.of("60s rateLimited=true"), told);
    }

    @Test
    void stopsWithoutSleepingWhenRetryAfterPassesTheDeadline() throws Exception {
        server.enqueue(status(429).setHeader("Retry-After", "60"));
        server.enqueue(revoked());

        var outcome = assertInstanceOf(RevokeOutcome.Unavailable.class, service.revoke(KEY, ATTEMPTS));

        assertEquals(429, outcome.status());
        assertFalse(outcome.ambiguous(), "a 429 was refused before any work");
        assertTrue(sleeps.isEmpty(), sleeps::toString);
        assertEquals(List.of("PUT /users/revokeApiKey"), requests());
    }

    @Test
    void sendsNothingMoreOnceTheLeaseIsLost() throws Exception {
        server.enqueue(status(502));
        server.enqueue(revoked());
        var checks = new java.util.concurrent.atomic.AtomicInteger();

        var outcome = service.revoke(KEY, new Ports.Attempts() {
            @Override
            public boolean stillHeld() {
                // Held for the first attempt only: asked before it and again as the budget lets it go.
                return checks.incrementAndGet() <= 2;
            }

            @Override
            public void waiting(Duration delay, boolean rateLimited) {}
        });

        var unavailable = assertInstanceOf(RevokeOutcome.Unavailable.class, outcome);
        assertTrue(unavailable.ambiguous());
        assertTrue(unavailable.detail().contains(RevokeOutcome.Unavailable.LEASE_LOST), unavailable.detail());
        assertEquals(List.of("PUT /users/revokeApiKey"), requests());
    }

    @Test
    void aLeaseLostWhileTheBudgetHeldThePutBackSendsNothing() throws Exception {
        // Pinata's 429 paused the process's budget for 60 s; during that wait another instance took the lease over.
        var clock = new cloud.pinata.revokebot.support.MutableClock(java.time.Instant.parse("2026-12-01T03:00:00Z"));
        var held = new java.util.concurrent.atomic.AtomicBoolean(true);
        RetryPolicy.Sleeper sleeper = d -> {
            clock.advance(d);
            held.set(false);
        };
        var budget = new RequestBudget(50, clock, sleeper);
        budget.pause(Duration.ofSeconds(60));
        var http =
                new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).build();
        var client = new PinataClient(http, server.url("/"), new Secret(TestJwt.bot()), json, budget);
        var leased = new PinataKeyService(
                client,
                new KeyIndex(client, clock, Duration.ofSeconds(10), 100),
                RETRY,
                sleeps::add,
                clock,
                Duration.ZERO);
        server.enqueue(revoked());

        var outcome = leased.revoke(KEY, new Ports.Attempts() {
            @Override
            public boolean stillHeld() {
                return held.get();
            }

            @Override
            public void waiting(Duration delay, boolean rateLimited) {}
        });

        var unavailable = assertInstanceOf(RevokeOutcome.Unavailable.class, outcome);
        assertFalse(unavailable.ambiguous(), "nothing was sent, so nothing may have reached Pinata");
        assertEquals(RevokeOutcome.Unavailable.LEASE_LOST, unavailable.detail());
        assertEquals(List.of(), requests(), "no PUT after the lease was lost");
    }

    // --- revoke: unclear answers ---------------------------------------------------------------------------------

    @Test
    void retriesAfterATimeoutAndRevokes() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        server.enqueue(revoked());

        assertInstanceOf(RevokeOutcome.Revoked.class, service.revoke(KEY, ATTEMPTS));
        assertEquals(2, server.getRequestCount());
        assertEquals(1, sleeps.size());
    }

    @Test
    void aRefusalAfterATimeoutIsUnclearBecauseTheFirstAttemptMayHaveRevoked() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        server.enqueue(status(400));

        var outcome = assertInstanceOf(RevokeOutcome.Unavailable.class, service.revoke(KEY, ATTEMPTS));

        assertTrue(outcome.ambiguous(), "the key's state must be read before anything is claimed");
        assertEquals(400, outcome.status());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void retriesAfterADroppedConnectionAndRevokes() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(revoked());

        assertInstanceOf(RevokeOutcome.Revoked.class, service.revoke(KEY, ATTEMPTS));
        assertEquals(1, sleeps.size());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void noAnswerAtAllIsUnavailableWithStatusZeroAndAmbiguous() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        }

        var outcome = assertInstanceOf(RevokeOutcome.Unavailable.class, service.revoke(KEY, ATTEMPTS));

        assertEquals(0, outcome.status());
        assertTrue(outcome.ambiguous());
        assertTrue(outcome.detail().startsWith("no answer from Pinata"), outcome.detail());
        assertEquals(4, server.getRequestCount());
        assertEquals(3, sleeps.size());
    }

    // --- scopes ----------------------------------------------------------------------------------------------------

    @Test
    void summarizesAdminScopes() throws Exception {
        assertEquals("admin", PinataKeyService.summarize(json.readTree("{\"admin\":true}")));
        assertEquals(
                "admin",
                PinataKeyService.summarize(
                        json.readTree("{\"admin\":true,\"endpoints\":{\"data\":{\"pinList\":true}}}")));
    }

    @Test
    void summarizesEnabledEndpointsSorted() throws Exception {
        var scopes = json.readTree(
                "{\"admin\":false,\"endpoints\":{"
                        + "\"data\":{\"pinList\":true,\"userPinnedDataTotal\":false},"
                        + "\"pinning\":{\"unpin\":true,\"pinFileToIPFS\":true,\"pinJSONToIPFS\":false,\"hashMetadata\":\"true\"}}}");
        assertEquals("pinFileToIPFS, pinList, unpin", PinataKeyService.summarize(scopes));
    }

    @Test
    void summarizesManyEndpointsAsSixAndACount() throws Exception {
        var endpoints =
                IntStream.rangeClosed(1, 8).mapToObj(i -> "\"e" + i + "\":true").collect(Collectors.joining(","));
        var scopes = json.readTree("{\"endpoints\":{\"pinning\":{" + endpoints + "}}}");
        assertEquals("e1, e2, e3, e4, e5, e6 and 2 more", PinataKeyService.summarize(scopes));
    }

    @Test
    void summarizesNoEnabledEndpointsAndMissingScopes() throws Exception {
        assertEquals(
                "no endpoints",
                PinataKeyService.summarize(
                        json.readTree("{\"admin\":false,\"endpoints\":{\"data\":{\"pinList\":false}}}")));
        assertEquals("no endpoints", PinataKeyService.summarize(json.readTree("{}")));
        assertEquals(null, PinataKeyService.summarize(null));
        assertEquals(null, PinataKeyService.summarize(json.readTree("null")));
    }
}
