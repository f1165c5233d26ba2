package cloud.pinata.revokebot.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.Secret;
import cloud.pinata.revokebot.support.TestJwt;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}
