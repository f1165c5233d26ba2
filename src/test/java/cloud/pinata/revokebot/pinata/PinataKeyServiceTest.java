package cloud.pinata.revokebot.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.Secret;
import cloud.pinata.revokebot.pinata.RequestBudget.Priority;
import cloud.pinata.revokebot.retry.RetryPolicy;
import cloud.pinata.revokebot.revocation.JwtProof;
import cloud.pinata.revokebot.revocation.KeyDetails;
import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.revocation.KeyState;
import cloud.pinata.revokebot.revocation.LeakedJwt;
import cloud.pinata.revokebot.revocation.Ports;
import cloud.pinata.revokebot.revocation.RevokeOutcome;
import cloud.pinata.revokebot.revocation.RevokeOutcome.Reason;
import cloud.pinata.revokebot.support.LogCapture;
import cloud.pinata.revokebot.support.MutableClock;
import cloud.pinata.revokebot.support.TestJwt;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
        return withPolicy(
                policy, java.time.Clock.systemUTC(), sleeps::add, Duration.ofSeconds(10), Duration.ZERO, null);
    }

    /**
     * {@code freshFor}: how long the index trusts its last look at the list's front; {@code surprise}, when not null,
     * is thrown from the HTTP stack once it is set to true.
     */
    private PinataKeyService withPolicy(
            RetryPolicy policy,
            Clock clock,
            RetryPolicy.Sleeper sleeper,
            Duration freshFor,
            Duration waitForIndex,
            AtomicBoolean surprise) {
        var builder =
                new OkHttpClient.Builder().readTimeout(Duration.ofMillis(300)).retryOnConnectionFailure(false);
        if (surprise != null) {
            builder.addInterceptor(chain -> {
                if (surprise.get()) {
                    throw new IllegalStateException("surprise from the HTTP stack");
                }
                return chain.proceed(chain.request());
            });
        }
        var http = builder.build();
        // A 429 pauses the client's request budget for Retry-After: on a clock of its own that its waits move, so a
        // 60 s Retry-After costs no time (the service's own waits are recorded in `sleeps`).
        var budgetClock =
                new cloud.pinata.revokebot.support.MutableClock(java.time.Instant.parse("2026-12-01T03:00:00Z"));
        var budget = new RequestBudget(1_000, budgetClock, budgetClock::advance);
        var client = new PinataClient(http, server.url("/"), new Secret(TestJwt.bot()), json, budget);
        return new PinataKeyService(
                client, new KeyIndex(client, clock, freshFor, 100), policy, sleeper, clock, waitForIndex);
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
        assertEquals("Pinata refused a retry (HTTP 400) after an attempt that may have gone through", outcome.detail());
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

    @Test
    void summarizesExactlySixEndpointsWithoutACount() throws Exception {
        var six =
                IntStream.rangeClosed(1, 6).mapToObj(i -> "\"e" + i + "\":true").collect(Collectors.joining(","));
        var seven =
                IntStream.rangeClosed(1, 7).mapToObj(i -> "\"e" + i + "\":true").collect(Collectors.joining(","));

        assertEquals(
                "e1, e2, e3, e4, e5, e6",
                PinataKeyService.summarize(json.readTree("{\"endpoints\":{\"pinning\":{" + six + "}}}")),
                "six fit in full");
        assertEquals(
                "e1, e2, e3, e4, e5, e6 and 1 more",
                PinataKeyService.summarize(json.readTree("{\"endpoints\":{\"pinning\":{" + seven + "}}}")),
                "the seventh is counted");
    }

    // --- revoke: limits of the retries ---------------------------------------------------------------------------

    static final class Told implements Ports.Attempts {
        final List<String> told = new ArrayList<>();

        @Override
        public boolean stillHeld() {
            return true;
        }

        @Override
        public void waiting(Duration delay, boolean rateLimited) {
            told.add(delay.toSeconds() + "s rateLimited=" + rateLimited);
        }
    }

    @Test
    void aRetryAfterEndingExactlyAtTheDeadlineIsStillWaitedOutAndAnnounced() throws Exception {
        // The service's clock stands still (its waits are recorded, not slept): the retry would come exactly at 5 s.
        var clock = new MutableClock(Instant.parse("2026-12-01T03:00:00Z"));
        var service = withPolicy(
                new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofSeconds(5)),
                clock,
                sleeps::add,
                Duration.ofSeconds(10),
                Duration.ZERO,
                null);
        server.enqueue(status(429).setHeader("Retry-After", "5"));
        server.enqueue(revoked());
        var attempts = new Told();

        var outcome = service.revoke(KEY, attempts);

        assertInstanceOf(RevokeOutcome.Revoked.class, outcome, "the retry fits the deadline exactly");
        assertEquals(List.of(Duration.ofSeconds(5)), sleeps, "Pinata's Retry-After was waited out");
        assertEquals(List.of("5s rateLimited=true"), attempts.told, "a 5 s wait is worth telling the channel");
    }

    @Test
    void aWaitUnderFiveSecondsIsNotAnnounced() throws Exception {
        server.enqueue(status(429).setHeader("Retry-After", "4"));
        server.enqueue(revoked());
        var attempts = new Told();

        assertInstanceOf(RevokeOutcome.Revoked.class, service.revoke(KEY, attempts), "the retry revoked the key");

        assertEquals(List.of(Duration.ofSeconds(4)), sleeps, "Pinata's Retry-After was waited out");
        assertEquals(List.of(), attempts.told, "too short to be worth a message");
    }

    @Test
    void anInterruptWhileWaitingToRetryStopsAndKeepsTheInterrupt() throws Exception {
        var stopping = withPolicy(
                RETRY,
                Clock.systemUTC(),
                d -> {
                    throw new InterruptedException("shutting down");
                },
                Duration.ofSeconds(10),
                Duration.ZERO,
                null);
        server.enqueue(status(503));
        server.enqueue(revoked()); // a retry despite the interrupt would be seen as a success
        try {
            var outcome = stopping.revoke(KEY, ATTEMPTS);

            assertEquals(new RevokeOutcome.Unavailable(503, "server error at Pinata", true), outcome);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            assertEquals(1, server.getRequestCount(), "no retry after the interrupt");
        } finally {
            Thread.interrupted();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "500, server error at Pinata, true",
        "503, server error at Pinata, true",
        "429, rate limited by Pinata, false"
    })
    void aLastAttemptWithoutADefiniteAnswerIsUnavailable(int code, String detail, boolean ambiguous) {
        var once = withPolicy(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofSeconds(5)));
        server.enqueue(status(code));

        var outcome = once.revoke(KEY, ATTEMPTS);

        assertEquals(
                new RevokeOutcome.Unavailable(code, detail, ambiguous),
                outcome,
                "HTTP " + code + " proves neither revoked nor refused");
    }

    // --- the leaked JWT's one check ------------------------------------------------------------------------------

    static final String LEAKED_KEY = "0123456789abcdef0123";
    static final String LEAKED_TOKEN =
            TestJwt.forKey(LEAKED_KEY, "dead0000dead0000dead0000dead0000dead0000dead0000dead0000dead0000");

    private static LeakedJwt leaked() {
        return ((LeakedJwt.Usable) LeakedJwt.decode(LEAKED_TOKEN)).jwt();
    }

    @ParameterizedTest
    @CsvSource({
        "401, REFUSED, ''",
        "403, REFUSED, ''",
        "200, STILL_ACCEPTED, ''",
        "429, NOT_CHECKED, Pinata's rate limit",
        "500, NOT_CHECKED, Pinata had an error",
        "503, NOT_CHECKED, Pinata had an error",
        "404, NOT_CHECKED, an unexpected answer",
        "400, NOT_CHECKED, an unexpected answer"
    })
    void theLeakedJwtsCheckIsReadFromPinatasStatus(int code, JwtProof.Kind kind, String detail) throws Exception {
        server.enqueue(
                code == 200
                        ? new MockResponse()
                                .setBody(
                                        "{\"message\":\"Congratulations! You are communicating with the Pinata API!\"}")
                        : status(code));

        var proof = service.testCredential(leaked());

        assertEquals(new JwtProof(kind, code, detail), proof, "HTTP " + code + " read as " + kind);
        var request = take();
        assertEquals("GET /data/testAuthentication", request.getMethod() + " " + request.getPath());
        assertEquals("Bearer " + LEAKED_TOKEN, request.getHeader("Authorization"), "the leaked JWT is checked");
        assertEquals(1, server.getRequestCount(), "checked once, never retried");
    }

    @Test
    void theLeakedJwtsCheckWithoutAnAnswerIsNotCheckedAndNeverLogsTheJwt() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

        try (var logs = new LogCapture()) {
            var proof = service.testCredential(leaked());

            assertEquals(JwtProof.notChecked(0, "no answer from Pinata"), proof);
            assertTrue(logs.all().contains("Checking a leaked JWT got no answer"), logs::all);
            for (var part : LEAKED_TOKEN.split("\\.")) {
                assertFalse(logs.all().contains(part), "a part of the leaked JWT reached the log");
            }
        }
    }

    // --- the key index, as the domain sees it --------------------------------------------------------------------

    static final String OTHER = "ffffeeeeddddccccbbbb";
    static final KeyDetails CI_DEPLOY = new KeyDetails("ci-deploy", "2026-01-02T03:04:05.000Z", "pinFileToIPFS", false);

    /** The index's first complete scan: one short page of active keys, then an empty V3 list of revoked keys. */
    private void built(PinataKeyService service) throws Exception {
        server.enqueue(listing(false));
        server.enqueue(page(0));
        service.index().rebuild(Priority.BACKGROUND);
        assertEquals(2, server.getRequestCount(), "the build read both lists");
    }

    @Test
    void theServiceIsReadyOnceItsIndexIsBuiltAndAnswersFromIt() throws Exception {
        var index = service.index();
        assertFalse(service.ready(), "nothing read yet");

        built(service);

        assertSame(index, service.index(), "the service exposes its own index");
        assertTrue(service.ready(), "the index is complete");
        assertEquals(new KeyLookup.Found(CI_DEPLOY), service.lookup(KEY), "the listed key, with its details");
        assertEquals(
                Map.of(KEY, new KeyLookup.Found(CI_DEPLOY), OTHER, new KeyLookup.NotListed()),
                service.lookupAll(List.of(KEY, OTHER)),
                "the listed key found, the other not listed");
        assertEquals(2, server.getRequestCount(), "a fresh index answers without asking Pinata again");
    }

    @Test
    void aKeyLearntRevokedIsNoLongerListedActive() throws Exception {
        built(service);

        service.learnRevoked(KEY, CI_DEPLOY);

        assertEquals(new KeyLookup.NotListed(), service.lookup(KEY), "a key learnt revoked is not found active");
        assertEquals(0, service.index().activeCount(), "it left the index's active keys");
    }

    @Test
    void theKeysStateIsReadFromTheListWhereItWas() throws Exception {
        built(service);
        server.enqueue(listing(false));
        server.enqueue(page(0)); // the legacy list, active keys only, no longer shows it

        assertEquals(new KeyState.StillActive(), service.stateNow(KEY, CI_DEPLOY), "its page still lists it");
        assertEquals(new KeyState.NotActive(), service.stateNow(KEY, CI_DEPLOY), "its page no longer lists it");
    }

    @Test
    void aLookupWhileTheBotIsStoppingSaysSoForEveryKeyAndKeepsTheInterrupt() {
        var waiting =
                withPolicy(RETRY, Clock.systemUTC(), sleeps::add, Duration.ofSeconds(10), Duration.ofSeconds(5), null);
        Thread.currentThread().interrupt();
        try {
            var found = waiting.lookupAll(List.of(KEY, OTHER));

            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            assertEquals(
                    Map.of(
                            KEY, new KeyLookup.Unavailable("the bot was stopping"),
                            OTHER, new KeyLookup.Unavailable("the bot was stopping")),
                    found,
                    "every key says why it could not be looked up");
            assertEquals(0, server.getRequestCount(), "nothing was asked of Pinata");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aStateReadWhileTheBotIsStoppingIsUnknownAndKeepsTheInterrupt() {
        // The index is not built yet: the read waits for it, and the interrupt ends the wait.
        var waiting =
                withPolicy(RETRY, Clock.systemUTC(), sleeps::add, Duration.ofSeconds(10), Duration.ofSeconds(5), null);
        Thread.currentThread().interrupt();
        try {
            var state = waiting.stateNow(KEY, CI_DEPLOY);

            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            assertEquals(new KeyState.Unknown("the bot was stopping"), state, "unknown, and why");
            assertEquals(0, server.getRequestCount(), "nothing was asked of Pinata");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aSurpriseWhileLookingKeysUpIsUnavailableForEveryKeyRatherThanAnError() throws Exception {
        var surprise = new AtomicBoolean();
        var surprised = withPolicy(RETRY, Clock.systemUTC(), sleeps::add, Duration.ZERO, Duration.ZERO, surprise);
        built(surprised);
        surprise.set(true); // the front check, due at once, meets it

        var found = surprised.lookupAll(List.of(KEY, OTHER));

        assertEquals(
                Map.of(
                        KEY, new KeyLookup.Unavailable("Pinata's answer could not be read"),
                        OTHER, new KeyLookup.Unavailable("Pinata's answer could not be read")),
                found,
                "every key unavailable, none an exception");
    }

    @Test
    void aSurpriseWhileReadingAKeysStateIsUnknownRatherThanAnError() throws Exception {
        var surprise = new AtomicBoolean();
        var surprised = withPolicy(RETRY, Clock.systemUTC(), sleeps::add, Duration.ZERO, Duration.ZERO, surprise);
        built(surprised);
        surprise.set(true);

        assertEquals(
                new KeyState.Unknown("Pinata's answer could not be read"),
                surprised.stateNow(KEY, CI_DEPLOY),
                "unknown, not an exception");
    }
}
