package cloud.pinata.revokebot.pinata;

import cloud.pinata.revokebot.config.Secret;
import cloud.pinata.revokebot.retry.RetryPolicy;
import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.support.TestJwt;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README "Troubleshooting": the look-up stops after 1000 keys. Written against the public constructor and the
 * look-up API only, so it guards the limit through a rewrite of {@link PinataKeyService}'s internals.
 *
 * <p>The fake Pinata lists 2000 keys: the first page (offset 0) holds 999 of them, every later page one, so the
 * look-up reaches offsets 999 (the 1000th key) and 1000 (the 1001st) exactly, and a limit one too low or one too
 * high shows.
 */
class LookupPageLimitTest {
    static final int LISTED = 2000;
    static final int FIRST_PAGE = 999;

    final List<Integer> offsets = new CopyOnWriteArrayList<>();
    MockWebServer server;
    PinataKeyService service;

    static String key(int i) {
        return String.format("%020x", 0xc0ffee00000L + i);
    }

    private static String listed(int i) {
        return "{\"id\":\"id-" + i + "\",\"name\":\"key-" + i + "\",\"key\":\"" + key(i) + "\",\"scopes\":{\"admin\":true},"
                + "\"revoked\":false,\"createdAt\":\"2026-01-02T03:04:05.000Z\"}";
    }

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                var offset = Integer.parseInt(request.getRequestUrl().queryParameter("offset"));
                offsets.add(offset);
                var size = offset == 0 ? FIRST_PAGE : 1;
                var keys = IntStream.range(offset, Math.min(LISTED, offset + size))
                        .mapToObj(LookupPageLimitTest::listed).collect(Collectors.joining(","));
                return new MockResponse().setHeader("Content-Type", "application/json")
                        .setBody("{\"keys\":[" + keys + "],\"count\":" + LISTED + "}");
            }
        });
        server.start();
        var http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).retryOnConnectionFailure(false).build();
        var client = new PinataClient(http, server.url("/"), new Secret(TestJwt.bot()), new ObjectMapper());
        service = new PinataKeyService(client, RetryPolicy.standard(), d -> {
            throw new AssertionError("a look-up never sleeps");
        });
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    @Test
    void theThousandthListedKeyIsStillFound() {
        var found = assertInstanceOf(KeyLookup.Found.class, service.lookup(key(999)));

        assertEquals("key-999", found.details().name());
        assertEquals(List.of(0, 999), offsets);
    }

    @Test
    void theThousandAndFirstListedKeyIsNotLookedFor() {
        var lookup = assertInstanceOf(KeyLookup.Unavailable.class, service.lookup(key(1000)));

        assertTrue(lookup.reason().contains("more keys than the bot looks through"), lookup.reason());
        assertEquals(List.of(0, 999), offsets, "no page past the first 1000 keys is asked for");
    }

    @Test
    void keysFoundBeforeTheLimitStayFoundWhenTheRestAreCutOff() {
        var lookups = service.lookupAll(List.of(key(5), key(999), key(1500)));

        assertEquals("key-5", assertInstanceOf(KeyLookup.Found.class, lookups.get(key(5))).details().name());
        assertEquals("key-999", assertInstanceOf(KeyLookup.Found.class, lookups.get(key(999))).details().name());
        assertInstanceOf(KeyLookup.Unavailable.class, lookups.get(key(1500)));
        assertEquals(List.of(0, 999), offsets);
    }
}
