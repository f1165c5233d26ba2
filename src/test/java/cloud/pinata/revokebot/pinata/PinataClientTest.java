package cloud.pinata.revokebot.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.Secret;
import cloud.pinata.revokebot.pinata.RequestBudget.Priority;
import cloud.pinata.revokebot.support.LogCapture;
import cloud.pinata.revokebot.support.MutableClock;
import cloud.pinata.revokebot.support.TestJwt;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link PinataClient} against MockWebServer: script the responses, run one call, verify the recorded request. */
class PinataClientTest {
    static final String JWT = TestJwt.bot();
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    static final String LISTED_SECRET = "f00df00df00df00df00df00df00df00df00df00df00df00df00df00df00df00d";

    final ObjectMapper json = new ObjectMapper();
    MockWebServer server;
    PinataClient client;

    @BeforeEach
    void start() throws Exception {
        server = cloud.pinata.revokebot.support.NoDelayServers.create();
        server.start();
        var http = new OkHttpClient.Builder()
                .readTimeout(Duration.ofMillis(300))
                .retryOnConnectionFailure(false)
                .build();
        client = new PinataClient(http, server.url("/"), new Secret(JWT), json);
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private RecordedRequest take() throws InterruptedException {
        var request = server.takeRequest(5, TimeUnit.SECONDS);
        assertNotNull(request, "no request reached the server");
        return request;
    }

    private static void assertNoJwt(Throwable e) {
        assertFalse(String.valueOf(e.getMessage()).contains(JWT), e::getMessage);
        assertFalse(e.toString().contains(JWT), e::toString);
        for (var part : JWT.split("\\.")) {
            assertFalse(e.toString().contains(part), e::toString);
        }
        if (e.getCause() != null) {
            assertNoJwt(e.getCause());
        }
    }

    private PinataException revokeFails() {
        return assertThrows(PinataException.class, () -> client.revokeApiKey(KEY));
    }

    private static String page(String keysJson, int count) {
        return "{\"keys\":[" + keysJson + "],\"count\":" + count + "}";
    }

    private static String listedKey(String key, String name, boolean revoked) {
        return "{\"id\":\"id-" + key + "\",\"name\":\"" + name + "\",\"key\":\"" + key + "\",\"secret\":\""
                + LISTED_SECRET
                + "\",\"max_uses\":null,\"uses\":0,\"user_id\":\"u1\",\"scopes\":{\"admin\":true},\"revoked\":"
                + revoked
                + ",\"createdAt\":\"2026-01-02T03:04:05.000Z\",\"updatedAt\":\"2026-01-02T03:04:05.000Z\"}";
    }

    @Test
    void revokeSendsPutWithBearerJwtAndJsonBody() throws Exception {
        server.enqueue(new MockResponse().setBody("\"Revoked\""));

        client.revokeApiKey(KEY);

        var request = take();
        assertEquals("PUT", request.getMethod());
        assertEquals("/users/revokeApiKey", request.getPath());
        assertEquals("Bearer " + JWT, request.getHeader("Authorization"));
        var contentType = MediaType.get(request.getHeader("Content-Type"));
        assertEquals("application/json", contentType.type() + "/" + contentType.subtype());
        assertEquals(Map.of("apiKey", KEY), json.readValue(request.getBody().readUtf8(), Map.class));
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void revokeSucceedsOnAnyTwoHundredWhateverTheBody() throws Exception {
        server.enqueue(new MockResponse().setBody("\"Revoked\""));
        server.enqueue(new MockResponse().setBody("unexpected but fine"));
        server.enqueue(new MockResponse().setResponseCode(204));

        client.revokeApiKey(KEY);
        client.revokeApiKey(KEY);
        client.revokeApiKey(KEY);

        assertEquals(3, server.getRequestCount());
    }

    @Test
    void revokeUnderABasePathKeepsThePath() throws Exception {
        var http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
        var proxied = new PinataClient(http, server.url("/pinata"), new Secret(JWT), json);
        server.enqueue(new MockResponse().setBody("\"Revoked\""));

        proxied.revokeApiKey(KEY);

        assertEquals("/pinata/users/revokeApiKey", take().getPath());
    }

    @Test
    void unauthorizedCarriesStatusAndPinataReason() {
        server.enqueue(
                new MockResponse()
                        .setResponseCode(401)
                        .setHeader("Content-Type", "application/json")
                        .setBody(
                                "{\"error\":{\"reason\":\"INVALID_CREDENTIALS\",\"details\":\"Invalid/expired credentials provided\"}}"));

        var e = revokeFails();

        assertEquals(401, e.status());
        assertEquals("INVALID_CREDENTIALS", e.reason());
        assertFalse(e.retryable());
        assertTrue(e.requestSent());
        assertEquals(-1, e.retryAfterSeconds());
        assertTrue(e.getMessage().contains("401"), e::getMessage);
        assertNoJwt(e);
    }

    @Test
    void plainTextErrorBodyHasNoReason() {
        server.enqueue(new MockResponse().setResponseCode(403).setBody("Forbidden"));

        var e = revokeFails();

        assertEquals(403, e.status());
        assertNull(e.reason());
        assertFalse(e.retryable());
    }

    @Test
    void reasonThatIsNotAnUpperCaseCodeIsDropped() {
        server.enqueue(new MockResponse()
                .setResponseCode(400)
                .setBody("{\"error\":{\"reason\":\"<!channel> lowercase text\",\"details\":\"x\"}}"));

        assertNull(revokeFails().reason());
    }

    @Test
    void rateLimitCarriesRetryAfterAndIsRetryable() {
        server.enqueue(new MockResponse()
                .setResponseCode(429)
                .setHeader("Retry-After", "7")
                .setBody("Too Many Requests"));

        var e = revokeFails();

        assertEquals(429, e.status());
        assertEquals(7, e.retryAfterSeconds());
        assertTrue(e.retryable());
        assertNoJwt(e);
    }

    @Test
    void unparseableRetryAfterIsIgnored() {
        server.enqueue(
                new MockResponse().setResponseCode(429).setHeader("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"));

        assertEquals(-1, revokeFails().retryAfterSeconds());
    }

    @Test
    void serverErrorIsRetryable() {
        server.enqueue(new MockResponse().setResponseCode(502).setBody("<html>Bad Gateway</html>"));

        var e = revokeFails();

        assertEquals(502, e.status());
        assertNull(e.reason());
        assertTrue(e.retryable());
    }

    @Test
    void noResponseIsStatusZeroRetryableAndMaybeSent() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

        var e = revokeFails();

        assertEquals(0, e.status());
        assertTrue(e.retryable());
        assertTrue(e.requestSent(), "a timed-out request may have reached Pinata");
        assertNoJwt(e);
    }

    @Test
    void refusedConnectionIsKnownNotToHaveBeenSent() throws Exception {
        var url = server.url("/");
        server.shutdown();
        var http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
        var closed = new PinataClient(http, url, new Secret(JWT), json);

        var e = assertThrows(PinataException.class, () -> closed.revokeApiKey(KEY));

        assertEquals(0, e.status());
        assertFalse(e.requestSent());
        assertTrue(e.retryable());
        assertNoJwt(e);
    }

    @Test
    void unknownHostIsKnownNotToHaveBeenSent() {
        // The resolver answers at once, from loopback: no DNS query leaves the machine.
        var http = new OkHttpClient.Builder()
                .retryOnConnectionFailure(false)
                .dns(hostname -> {
                    throw new UnknownHostException(hostname + ": Name or service not known");
                })
                .build();
        var unresolvable =
                new PinataClient(http, okhttp3.HttpUrl.get("https://api.pinata.invalid/"), new Secret(JWT), json);

        var e = assertThrows(PinataException.class, () -> unresolvable.revokeApiKey(KEY));

        assertEquals(0, e.status());
        assertFalse(e.requestSent(), "a host that does not resolve never received the request");
        assertTrue(e.retryable());
        assertNoJwt(e);
    }

    @Test
    void connectTimeoutIsKnownNotToHaveBeenSent() throws Exception {
        // A loopback listener that never accepts: once its backlog is full, the kernel drops further SYNs,
        // so a connect times out exactly as it does towards a host that does not answer.
        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var address = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            var fillers = fillBacklog(address);
            try {
                var http = new OkHttpClient.Builder()
                        .retryOnConnectionFailure(false)
                        .connectTimeout(Duration.ofMillis(200))
                        .build();
                var url = okhttp3.HttpUrl.get("http://" + address.getHostString() + ":" + address.getPort() + "/");
                var unanswered = new PinataClient(http, url, new Secret(JWT), json);

                var e = assertThrows(PinataException.class, () -> unanswered.revokeApiKey(KEY));

                assertEquals(0, e.status());
                assertFalse(
                        e.requestSent(), "a connection that was never set up carried no request: " + e.getMessage());
                assertTrue(e.retryable());
                assertNoJwt(e);
            } finally {
                for (var s : fillers) {
                    s.close();
                }
            }
        }
    }

    /** Connects until one connect times out (the backlog is then full); returns the connections to close. */
    private static List<Socket> fillBacklog(InetSocketAddress address) throws IOException {
        var fillers = new ArrayList<Socket>();
        for (int i = 0; i < 16; i++) {
            var s = new Socket();
            try {
                s.connect(address, 200);
                fillers.add(s);
            } catch (SocketTimeoutException full) {
                s.close();
                return fillers;
            }
        }
        fillers.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
            }
        });
        throw new IllegalStateException("the loopback backlog never filled; cannot provoke a connect timeout");
    }

    @Test
    void errorMessagesNeverContainTheJwtEvenWhenTheBodyEchoesIt() {
        // A misbehaving proxy may echo the request headers back; the exception must not pass them on.
        server.enqueue(new MockResponse().setResponseCode(400).setBody("bad request, Authorization: Bearer " + JWT));
        server.enqueue(new MockResponse()
                .setResponseCode(500)
                .setBody("{\"error\":{\"reason\":\"X\",\"details\":\"" + JWT + "\"}}"));

        assertNoJwt(revokeFails());
        assertNoJwt(revokeFails());
    }

    @Test
    void listSendsGetWithOffsetAndBearerJwt() throws Exception {
        server.enqueue(new MockResponse().setBody(page("", 0)));

        client.listApiKeys(20);

        var request = take();
        assertEquals("GET", request.getMethod());
        assertEquals("/users/apiKeys", request.getRequestUrl().encodedPath());
        assertEquals("20", request.getRequestUrl().queryParameter("offset"));
        assertEquals("Bearer " + JWT, request.getHeader("Authorization"));
    }

    @Test
    void listParsesKeysAndDropsTheirSecrets() throws Exception {
        server.enqueue(new MockResponse()
                .setBody(page(
                        listedKey(KEY, "ci-deploy", false) + "," + listedKey("0011223344556677", "old", true), 2)));

        var page = client.listApiKeys(0);

        assertEquals(2, page.keys().size());
        assertEquals(2, page.count());
        var first = page.keys().get(0);
        assertEquals(KEY, first.key());
        assertEquals("ci-deploy", first.name());
        assertEquals("id-" + KEY, first.id());
        assertEquals("2026-01-02T03:04:05.000Z", first.createdAt());
        assertFalse(first.revoked());
        assertTrue(first.scopes().path("admin").asBoolean());
        assertTrue(page.keys().get(1).revoked());
        assertFalse(page.toString().contains(LISTED_SECRET), page::toString);
        assertFalse(json.writeValueAsString(page).contains(LISTED_SECRET), "the secret survives serialisation");
    }

    @Test
    void listToleratesAMissingCountButNotAMissingKeysArray() throws Exception {
        server.enqueue(new MockResponse().setBody("{\"keys\":[]}"));
        server.enqueue(new MockResponse().setBody("{\"somethingElse\":true}"));

        var page = client.listApiKeys(0);
        assertTrue(page.keys().isEmpty());
        assertNull(page.count());

        // Not an empty organisation: an answer of another shape must not let the bot conclude "no active keys".
        var e = assertThrows(PinataException.class, () -> client.listApiKeys(0));
        assertTrue(e.getMessage().contains("could not be parsed"), e.getMessage());
    }

    @Test
    void malformedListIsAnExceptionThatDoesNotQuoteTheBody() {
        var body = "{\"keys\":[{\"key\":\"" + KEY + "\",\"secret\":\"" + LISTED_SECRET + "\",\"revoked\":";
        server.enqueue(new MockResponse().setBody(body));

        var e = assertThrows(PinataException.class, () -> client.listApiKeys(0));

        assertFalse(e.getMessage().contains(LISTED_SECRET), e::getMessage);
        assertFalse(e.getMessage().contains(body), e::getMessage);
        assertFalse(e.toString().contains(LISTED_SECRET), e::toString);
        assertNull(e.getCause(), "the parser's exception quotes the body");
        assertNoJwt(e);
    }

    @Test
    void listWithWrongShapeIsAnException() {
        server.enqueue(new MockResponse().setBody("[{\"key\":\"" + KEY + "\",\"secret\":\"" + LISTED_SECRET + "\"}]"));

        var e = assertThrows(PinataException.class, () -> client.listApiKeys(0));

        assertFalse(e.getMessage().contains(LISTED_SECRET), e::getMessage);
    }

    @Test
    void listOfJsonNullIsAnException() {
        server.enqueue(new MockResponse().setBody("null"));

        assertThrows(PinataException.class, () -> client.listApiKeys(0));
    }

    @Test
    void listErrorCarriesStatus() {
        server.enqueue(
                new MockResponse()
                        .setResponseCode(403)
                        .setBody(
                                "{\"error\":{\"reason\":\"NO_SCOPES_FOUND\",\"details\":\"This key does not have the required scopes\"}}"));

        var e = assertThrows(PinataException.class, () -> client.listApiKeys(0));

        assertEquals(403, e.status());
        assertEquals("NO_SCOPES_FOUND", e.reason());
    }

    // --- the V3 list of revoked keys -------------------------------------------------------------------------------

    @Test
    void revokedListAsksTheV3ListForRevokedKeysAndNamesTheKeyOnlyWhenANameIsGiven() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setBody(page(listedKey(KEY, "ci-deploy", true), 1)));
        }

        var found = client.listRevokedKeys(10, "ci-deploy", Priority.URGENT);
        client.listRevokedKeys(0, null, Priority.BACKGROUND);
        client.listRevokedKeys(0, "  ", Priority.BACKGROUND);

        assertTrue(found.keys().get(0).revoked(), "the revoked key was parsed");
        var named = take().getRequestUrl();
        assertEquals("/v3/pinata/keys", named.encodedPath());
        assertEquals("10", named.queryParameter("offset"));
        assertEquals("true", named.queryParameter("revoked"));
        assertEquals("ci-deploy", named.queryParameter("name"));
        assertNull(take().getRequestUrl().queryParameter("name"), "no name: the whole revoked list");
        var blank = take().getRequestUrl();
        assertFalse(blank.queryParameterNames().contains("name"), "a blank name is no name: " + blank);
    }

    // --- testAuthentication: the leaked JWT's one check ---------------------------------------------------------

    /** A leaked credential, another key's JWT than the bot's own. */
    static final String LEAKED =
            TestJwt.forKey("0123456789abcdef0123", "dead0000dead0000dead0000dead0000dead0000dead0000dead0000dead0000");

    private PinataClient clientWith(RequestBudget budget) {
        var http = new OkHttpClient.Builder()
                .readTimeout(Duration.ofMillis(300))
                .retryOnConnectionFailure(false)
                .build();
        return new PinataClient(http, server.url("/"), new Secret(JWT), json, budget);
    }

    @Test
    void testAuthenticationSendsTheGivenCredentialInsteadOfTheBotsJwt() throws Exception {
        server.enqueue(new MockResponse()
                .setBody("{\"message\":\"Congratulations! You are communicating with the Pinata API!\"}"));

        assertEquals(200, client.testAuthentication(LEAKED), "a 200 is reported as 200");

        var request = take();
        assertEquals("GET", request.getMethod());
        assertEquals("/data/testAuthentication", request.getPath());
        assertEquals("Bearer " + LEAKED, request.getHeader("Authorization"), "the leaked JWT is the one checked");
    }

    @Test
    void testAuthenticationReturnsPinatasRefusalsAsStatusesRatherThanThrowing() throws Exception {
        var clock = new MutableClock(Instant.parse("2026-12-01T03:00:00Z"));
        var checking = clientWith(new RequestBudget(30, clock, clock::advance));
        server.enqueue(
                new MockResponse()
                        .setResponseCode(401)
                        .setBody(
                                "{\"error\":{\"reason\":\"INVALID_CREDENTIALS\",\"details\":\"Invalid/expired credentials provided\"}}"));
        server.enqueue(new MockResponse()
                .setResponseCode(403)
                .setBody("{\"error\":{\"reason\":\"API_KEY_REVOKED\",\"details\":\"This API key has been revoked\"}}"));
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "60"));
        server.enqueue(new MockResponse().setResponseCode(500).setBody("<html>Internal Server Error</html>"));

        assertEquals(401, checking.testAuthentication(LEAKED), "a revoked key's JWT may get 401");
        assertEquals(403, checking.testAuthentication(LEAKED), "or 403");
        assertEquals(429, checking.testAuthentication(LEAKED), "a rate limit is a status, not a proof");
        assertEquals(500, checking.testAuthentication(LEAKED), "a server error is a status too");
        assertEquals(4, server.getRequestCount(), "one request each, no retries");
    }

    @Test
    void testAuthenticationWithoutAnAnswerThrowsAndIsNeverSentAgain() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(new MockResponse().setBody("{\"message\":\"Congratulations!\"}"));

        var e = assertThrows(PinataException.class, () -> client.testAuthentication(LEAKED));

        assertEquals(0, e.status(), "no answer is status 0");
        assertTrue(e.getMessage().contains("GET /data/testAuthentication"), e::getMessage);
        assertEquals(1, server.getRequestCount(), "the check is sent once, even after a dropped connection");
        assertNoCredential(e, LEAKED);
    }

    @Test
    void testAuthenticationTakesAPlaceInTheRequestBudgetAndWaitsForIt() throws Exception {
        var clock = new MutableClock(Instant.parse("2026-12-01T03:00:00Z"));
        var budget = new RequestBudget(30, clock, clock::advance);
        budget.pause(Duration.ofSeconds(5));
        server.enqueue(new MockResponse().setBody("{}"));

        clientWith(budget).testAuthentication(LEAKED);

        assertEquals(1, budget.spent(), "the check counts against the organisation's requests");
        assertEquals(Instant.parse("2026-12-01T03:00:05Z"), clock.instant(), "it waited out the pause first");
    }

    @Test
    void testAuthenticationInterruptedWhileWaitingForTheBudgetSendsNothing() {
        var clock = new MutableClock(Instant.parse("2026-12-01T03:00:00Z"));
        var budget = new RequestBudget(30, clock, d -> {
            throw new InterruptedException("stopping");
        });
        budget.pause(Duration.ofSeconds(60));
        try {
            var e = assertThrows(PinataException.class, () -> clientWith(budget).testAuthentication(LEAKED));

            assertEquals(0, e.status(), "no answer: status 0");
            assertFalse(e.requestSent(), "nothing left the process");
            assertEquals("Stopped before calling Pinata (GET /data/testAuthentication)", e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            assertEquals(0, server.getRequestCount(), "no request reached Pinata");
            assertNoCredential(e, LEAKED);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aListInterruptedWhileWaitingForTheBudgetSendsNothing() {
        var clock = new MutableClock(Instant.parse("2026-12-01T03:00:00Z"));
        var budget = new RequestBudget(30, clock, d -> {
            throw new InterruptedException("stopping");
        });
        budget.pause(Duration.ofSeconds(60));
        try {
            var e = assertThrows(PinataException.class, () -> clientWith(budget).listApiKeys(0, Priority.BACKGROUND));

            assertEquals(0, e.status(), "no answer: status 0");
            assertFalse(e.requestSent(), "nothing left the process");
            assertEquals("Stopped before calling Pinata (GET /users/apiKeys)", e.getMessage());
            assertInstanceOf(InterruptedException.class, e.getCause(), "caused by the interrupt");
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            assertEquals(0, server.getRequestCount(), "no request reached Pinata");
        } finally {
            Thread.interrupted();
        }
    }

    private static void assertNoCredential(Throwable e, String credential) {
        for (var part : credential.split("\\.")) {
            assertFalse(e.toString().contains(part), "the credential leaked into: " + e);
        }
        assertNoJwt(e);
    }

    // --- a pooled connection Pinata closed while idle -----------------------------------------------------------

    /** A client whose first calls fail with the given exceptions before reaching the network, as OkHttp reports them. */
    private PinataClient failingFirst(Queue<IOException> failures, List<Integer> idleAtEachTry) {
        var pool = new okhttp3.ConnectionPool();
        var http = new OkHttpClient.Builder()
                .readTimeout(Duration.ofMillis(300))
                .retryOnConnectionFailure(false)
                .connectionPool(pool)
                .addInterceptor(chain -> {
                    idleAtEachTry.add(pool.idleConnectionCount());
                    var failure = failures.poll();
                    if (failure != null) {
                        throw failure;
                    }
                    return chain.proceed(chain.request());
                })
                .build();
        return new PinataClient(http, server.url("/"), new Secret(JWT), json);
    }

    static List<IOException> staleConnectionFailures() {
        return List.of(
                new IOException("unexpected end of stream on http://localhost/..."),
                new SocketException("Connection reset"),
                new SocketException("Broken pipe (Write failed)"),
                new IOException("\\n not found: limit=0 content=…"),
                new EOFException());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void aGetOnAConnectionClosedWhileIdleIsSentOnceMore(int which) throws Exception {
        var failure = staleConnectionFailures().get(which);
        var failures = new ArrayDeque<IOException>(List.of(failure));
        var listing = failingFirst(failures, new ArrayList<>());
        server.enqueue(new MockResponse().setBody(page(listedKey(KEY, "ci-deploy", false), 1)));

        var page = listing.listApiKeys(0);

        assertEquals(KEY, page.keys().get(0).key(), "the second try's answer is returned after " + failure);
        assertEquals(1, server.getRequestCount(), "sent again once, on a new connection");
    }

    @Test
    void aGetIsSentAgainOnlyOnce() {
        var failures = new ArrayDeque<IOException>(List.of(
                new IOException("unexpected end of stream on http://localhost/..."),
                new IOException("unexpected end of stream on http://localhost/...")));
        var listing = failingFirst(failures, new ArrayList<>());
        server.enqueue(new MockResponse().setBody(page("", 0)));

        var e = assertThrows(PinataException.class, () -> listing.listApiKeys(0));

        assertEquals(0, e.status(), "the second stale connection is reported as no answer");
        assertTrue(failures.isEmpty(), "exactly two tries");
        assertEquals(0, server.getRequestCount(), "no third try");
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeout", "Read timed out", ""})
    void aGetThatFailedForAnotherReasonIsNotSentAgainByTheClient(String message) {
        var failure = message.isEmpty() ? new IOException() : new SocketTimeoutException(message);
        var failures = new ArrayDeque<IOException>(List.of(failure));
        var listing = failingFirst(failures, new ArrayList<>());
        server.enqueue(new MockResponse().setBody(page("", 0)));

        var e = assertThrows(PinataException.class, () -> listing.listApiKeys(0));

        assertEquals(0, e.status(), "no answer: status 0");
        assertTrue(e.requestSent(), "a timeout may have reached Pinata");
        assertEquals(0, server.getRequestCount(), "a timeout is the key service's to retry, not the client's");
    }

    @Test
    void theRevokePutIsNeverSentAgainByTheClientEvenOnAStaleConnection() {
        var failures = new ArrayDeque<IOException>(List.of(new IOException("unexpected end of stream on http://x/")));
        var revoking = failingFirst(failures, new ArrayList<>());
        server.enqueue(new MockResponse().setBody("\"Revoked\""));

        var e = assertThrows(PinataException.class, () -> revoking.revokeApiKey(KEY));

        assertEquals(0, e.status(), "the stale connection is reported, not hidden by a resend");
        assertEquals(0, server.getRequestCount(), "the PUT is retried only by the key service's policy");
    }

    @Test
    void anHttpErrorOnAGetIsNeverSentAgainByTheClient() {
        server.enqueue(new MockResponse().setResponseCode(502).setBody("<html>Bad Gateway</html>"));
        server.enqueue(new MockResponse().setBody(page("", 0)));

        var e = assertThrows(PinataException.class, () -> client.listApiKeys(0));

        assertEquals(502, e.status(), "the 502 is reported as it came");
        assertEquals(1, server.getRequestCount(), "Pinata answered: nothing to send again");
    }

    @Test
    void theSecondTryDropsTheOtherIdleConnectionsFirst() throws Exception {
        // They are as old as the one that failed: the second try must not pick another of them.
        var failures = new ArrayDeque<IOException>();
        var idle = new ArrayList<Integer>();
        var listing = failingFirst(failures, idle);
        server.enqueue(new MockResponse().setBody(page("", 0)));
        server.enqueue(new MockResponse().setBody(page("", 0)));
        listing.listApiKeys(0); // leaves one idle pooled connection
        failures.add(new IOException("unexpected end of stream on http://localhost/..."));

        listing.listApiKeys(0);

        assertEquals(List.of(0, 1, 0), idle, "idle connections when each try went out");
        take();
        assertEquals(0, take().getSequenceNumber(), "the second try opened a new connection");
    }

    @Test
    void aConnectionPinataClosedAfterAnsweringIsReplacedForTheNextGet() throws Exception {
        server.enqueue(new MockResponse().setBody(page("", 0)).setSocketPolicy(SocketPolicy.DISCONNECT_AT_END));
        server.enqueue(new MockResponse().setBody(page(listedKey(KEY, "ci-deploy", false), 1)));

        client.listApiKeys(0);
        var page = client.listApiKeys(0);

        assertEquals(KEY, page.keys().get(0).key(), "the list was read on a new connection");
        assertEquals(2, server.getRequestCount(), "one request per list call reached Pinata");
    }

    @Test
    void theSecondTryIsLoggedWithTheRouteButNeverTheJwt() throws Exception {
        var failures = new ArrayDeque<IOException>(List.of(new IOException("unexpected end of stream on http://x/")));
        var listing = failingFirst(failures, new ArrayList<>());
        server.enqueue(new MockResponse().setBody(page("", 0)));

        try (var logs = new LogCapture()) {
            listing.listApiKeys(0);

            assertTrue(
                    logs.all()
                            .contains("Pinata closed an idle connection (unexpected end of stream on http://x/); "
                                    + "sending GET /users/apiKeys again on a new one"),
                    logs::all);
            for (var part : JWT.split("\\.")) {
                assertFalse(logs.all().contains(part), "the JWT reached a log");
            }
        }
    }

    // --- what an error says about itself -------------------------------------------------------------------------

    @Test
    void anErrorInPinatasEnvelopeNamesItsStatusReasonAndRoute() {
        server.enqueue(
                new MockResponse()
                        .setResponseCode(401)
                        .setHeader("Content-Type", "application/json")
                        .setBody(
                                "{\"error\":{\"reason\":\"INVALID_CREDENTIALS\",\"details\":\"Invalid/expired credentials provided\"}}"));

        var e = revokeFails();

        assertEquals("Pinata answered HTTP 401 INVALID_CREDENTIALS to PUT /users/revokeApiKey", e.getMessage());
        assertTrue(e.pinataEnvelope(), "a JSON error with a reason code is Pinata's envelope");
    }

    @Test
    void anEnvelopeWithoutAReasonCodeIsStillPinatasOwnError() {
        server.enqueue(new MockResponse()
                .setResponseCode(404)
                .setHeader("Content-Type", "application/json")
                .setBody("{\"error\":{\"reason\":\"not a code\",\"details\":\"x\"}}"));

        var e = revokeFails();

        assertNull(e.reason(), "a reason that is not a code is dropped");
        assertTrue(e.pinataEnvelope(), "the body is Pinata's JSON error even without a code");
        assertEquals("Pinata answered HTTP 404 to PUT /users/revokeApiKey", e.getMessage());
    }

    @Test
    void anErrorThatIsNotPinatasJsonSaysWhatItWas() {
        server.enqueue(new MockResponse()
                .setResponseCode(502)
                .setHeader("Content-Type", "text/html; charset=utf-8")
                .setBody("<html>Bad Gateway</html>"));
        server.enqueue(new MockResponse().setResponseCode(404).setBody("Not Found"));

        var html = revokeFails();
        var plain = revokeFails();

        assertFalse(html.pinataEnvelope(), "an HTML page is not Pinata's JSON error");
        assertEquals(
                "Pinata answered HTTP 502 to PUT /users/revokeApiKey (not Pinata's JSON error: text/html)",
                html.getMessage());
        assertFalse(plain.pinataEnvelope(), "plain text is not Pinata's JSON error");
        assertEquals(
                "Pinata answered HTTP 404 to PUT /users/revokeApiKey (not Pinata's JSON error: no content type)",
                plain.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"message\":\"Not Found\"}", "[{\"error\":\"x\"}]", "\"error\"", ""})
    void jsonWithoutAnErrorObjectIsNotPinatasEnvelope(String body) {
        server.enqueue(new MockResponse()
                .setResponseCode(404)
                .setHeader("Content-Type", "application/json")
                .setBody(body));

        var e = revokeFails();

        assertFalse(e.pinataEnvelope(), () -> "taken for Pinata's envelope: " + body);
        assertTrue(e.getMessage().endsWith("(not Pinata's JSON error: application/json)"), e::getMessage);
    }

    @Test
    void aRateLimitPausesTheWholeBudgetForRetryAfter() throws Exception {
        var clock = new MutableClock(Instant.parse("2026-12-01T03:00:00Z"));
        var limited = clientWith(new RequestBudget(60, clock, clock::advance));
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "7"));
        server.enqueue(new MockResponse().setBody(page("", 0)));

        assertThrows(PinataException.class, () -> limited.listApiKeys(0, Priority.BACKGROUND));
        limited.listApiKeys(0, Priority.URGENT);

        assertEquals(Instant.parse("2026-12-01T03:00:07Z"), clock.instant(), "even urgent calls waited 7 s");
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> pausesOfTheBudget() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(
                        "a 429 without Retry-After: Pinata's usual minute",
                        new MockResponse().setResponseCode(429).setBody("Too Many Requests"),
                        Duration.ofMinutes(1)),
                org.junit.jupiter.params.provider.Arguments.of(
                        "a 429 with Retry-After: 0: at once",
                        new MockResponse().setResponseCode(429).setHeader("Retry-After", "0"),
                        Duration.ZERO),
                org.junit.jupiter.params.provider.Arguments.of(
                        "a 503, even with Retry-After: only a 429 pauses everyone",
                        new MockResponse().setResponseCode(503).setHeader("Retry-After", "30"),
                        Duration.ZERO));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("pausesOfTheBudget")
    void anErrorPausesTheWholeBudgetOnlyAsLongAsPinataAsked(String what, MockResponse error, Duration pause)
            throws Exception {
        var start = Instant.parse("2026-12-01T03:00:00Z");
        var clock = new MutableClock(start);
        var client = clientWith(new RequestBudget(60, clock, clock::advance));
        server.enqueue(error);
        server.enqueue(new MockResponse().setBody(page("", 0)));

        assertThrows(PinataException.class, () -> client.listApiKeys(0));
        client.listApiKeys(0);

        assertEquals(start.plus(pause), clock.instant(), what);
    }

    @Test
    void describeNamesTheExceptionItsMessageAndItsCause() {
        assertEquals("SocketTimeoutException: timeout (Read timed out)", PinataClient.describe((IOException)
                new SocketTimeoutException("timeout").initCause(new IOException("Read timed out"))));
        assertEquals(
                "ConnectException: Connection refused",
                PinataClient.describe(new java.net.ConnectException("Connection refused")));
        assertEquals("EOFException", PinataClient.describe(new EOFException()));
        assertEquals(
                "IOException: closed",
                PinataClient.describe(new IOException("closed", new IOException())),
                "a cause without a message adds nothing");
    }
}
