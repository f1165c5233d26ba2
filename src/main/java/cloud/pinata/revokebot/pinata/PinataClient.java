package cloud.pinata.revokebot.pinata;

import cloud.pinata.revokebot.config.Secret;
import cloud.pinata.revokebot.pinata.RequestBudget.Priority;
import cloud.pinata.revokebot.retry.RetryPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pinata's key-management endpoints, one HTTP call per method (see {@link PinataKeyService} for retries). Every call
 * first takes a place in the process's {@link RequestBudget}; a 429 pauses that budget for Pinata's Retry-After.
 * An idempotent GET is sent once more when a pooled connection turned out to be closed.
 * Reference: https://docs.pinata.cloud/api-reference/endpoint/ipfs/revoke-api-key
 */
public final class PinataClient {
    private static final Logger log = LoggerFactory.getLogger(PinataClient.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final OkHttpClient http;
    private final HttpUrl baseUrl;
    private final Secret jwt;
    private final ObjectMapper json;
    private final RequestBudget budget;

    public PinataClient(OkHttpClient http, HttpUrl baseUrl, Secret jwt, ObjectMapper json, RequestBudget budget) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.jwt = jwt;
        this.json = json;
        this.budget = budget;
    }

    /** For one-off tools: no request budget. */
    public PinataClient(OkHttpClient http, HttpUrl baseUrl, Secret jwt, ObjectMapper json) {
        this(http, baseUrl, jwt, json, RequestBudget.unlimited());
    }

    /** {@code PUT /users/revokeApiKey} with {@code {"apiKey": key}}; returns normally only on a 2xx, which proves nothing by itself. */
    public void revokeApiKey(String apiKey) throws PinataException {
        revokeApiKey(apiKey, () -> true);
    }

    /**
     * The PUT, sent only if {@code maySend} still says yes once the request budget lets it go: a wait on the budget
     * (a 429 pauses it for Pinata's Retry-After, up to a minute) can outlast the caller's lease.
     */
    public void revokeApiKey(String apiKey, BooleanSupplier maySend) throws PinataException {
        var body = RequestBody.create(write(Map.of("apiKey", apiKey)), JSON);
        var request = authorized(baseUrl.newBuilder()
                        .addPathSegments("users/revokeApiKey")
                        .build())
                .put(body)
                .build();
        execute(request, Priority.URGENT, maySend);
    }

    /** {@code GET /users/apiKeys?offset=N}: one page of the organisation's <em>active</em> keys, secrets dropped while parsing. */
    public ApiKeyPage listApiKeys(int offset, Priority priority) throws PinataException {
        var url = baseUrl.newBuilder()
                .addPathSegments("users/apiKeys")
                .addQueryParameter("offset", Integer.toString(offset))
                .build();
        return page(execute(authorized(url).get().build(), priority));
    }

    /** Doctor's single look: the first page, no budget to speak of. */
    public ApiKeyPage listApiKeys(int offset) throws PinataException {
        return listApiKeys(offset, Priority.URGENT);
    }

    /**
     * {@code GET /v3/pinata/keys?offset=N&revoked=true[&name=…]}: one page of the organisation's revoked keys, the
     * positive evidence that a key is revoked, which the legacy list (active keys only) cannot give.
     * Reference: https://docs.pinata.cloud/api-reference/endpoint/list-api-keys
     */
    public ApiKeyPage listRevokedKeys(int offset, String name, Priority priority) throws PinataException {
        var url = baseUrl.newBuilder()
                .addPathSegments("v3/pinata/keys")
                .addQueryParameter("offset", Integer.toString(offset))
                .addQueryParameter("revoked", "true");
        if (name != null && !name.isBlank()) {
            url.addQueryParameter("name", name);
        }
        return page(execute(authorized(url.build()).get().build(), priority));
    }

    /**
     * {@code GET /data/testAuthentication} with {@code credential} as the Bearer token instead of the bot's JWT:
     * returns the HTTP status. Sent once: no retry, not even on a stale pooled connection (a failure before any
     * answer is reported, status 0, by the exception). It takes a place in the same request budget as every call.
     * Reference: https://docs.pinata.cloud/api-reference/endpoint/ipfs/test-authentication
     */
    public int testAuthentication(String credential) throws PinataException {
        var url =
                baseUrl.newBuilder().addPathSegments("data/testAuthentication").build();
        var request = new Request.Builder()
                .url(url)
                .header("Authorization", "Bearer " + credential)
                .header("Accept", "application/json")
                .get()
                .build();
        var what = "GET " + url.encodedPath();
        try {
            budget.acquire(Priority.URGENT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PinataException(0, null, "Stopped before calling Pinata (" + what + ")", false, -1, e);
        }
        try {
            send(request, what);
            return 200;
        } catch (PinataException e) {
            if (e.status() == 0) {
                throw e;
            }
            return e.status();
        }
    }

    private ApiKeyPage page(String text) throws PinataException {
        try {
            // No "keys" array is not an empty page: an empty organisation would be inferred from a wrong answer.
            var tree = json.readTree(text);
            if (tree == null || !tree.path("keys").isArray()) {
                throw new IOException("no keys array");
            }
            return json.treeToValue(tree, ApiKeyPage.class);
        } catch (IOException e) {
            // The exception text could quote the body, which holds secrets: never pass it on.
            throw new PinataException(200, null, "Pinata returned a key list that could not be parsed", true, -1, null);
        }
    }

    private Request.Builder authorized(HttpUrl url) {
        return new Request.Builder()
                .url(url)
                .header("Authorization", "Bearer " + jwt.reveal())
                .header("Accept", "application/json");
    }

    private String execute(Request request, Priority priority) throws PinataException {
        return execute(request, priority, () -> true);
    }

    private String execute(Request request, Priority priority, BooleanSupplier maySend) throws PinataException {
        var what = request.method() + " " + request.url().encodedPath();
        try {
            budget.acquire(priority);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PinataException(0, null, "Stopped before calling Pinata (" + what + ")", false, -1, e);
        }
        if (!maySend.getAsBoolean()) {
            throw new PinataException(0, null, "Not sent: " + what + " was withheld by its caller", false, -1, null)
                    .withheld();
        }
        try {
            return send(request, what);
        } catch (PinataException e) {
            // A pooled connection the server (or a proxy) closed while idle fails before any answer: a GET is safe to
            // send again, once, on a fresh connection. The PUT is retried only by PinataKeyService's policy.
            if (!request.method().equals("GET")
                    || e.status() != 0
                    || !(e.getCause() instanceof IOException io)
                    || !staleConnection(io)) {
                throw e;
            }
            log.info(
                    "Pinata closed an idle connection ({}); sending {} again on a new one",
                    e.getCause().getMessage(),
                    what);
            // The other idle connections are as old as this one: drop them so that the second try opens a new one.
            http.connectionPool().evictAll();
            return send(request, what);
        }
    }

    private String send(Request request, String what) throws PinataException {
        try (Response response = http.newCall(request).execute()) {
            var body = response.body() == null ? "" : response.body().string();
            if (response.isSuccessful()) {
                return body;
            }
            var reason = errorReason(body);
            var retryAfter = RetryPolicy.retryAfterSeconds(response.header("Retry-After"));
            if (response.code() == 429) {
                // Everyone in this process waits, not only this caller: the limit is the organisation's.
                budget.pause(Duration.ofSeconds(retryAfter >= 0 ? retryAfter : 60));
            }
            var envelope = reason != null || looksLikeJson(body);
            throw new PinataException(
                    response.code(),
                    reason,
                    "Pinata answered HTTP " + response.code() + (reason == null ? "" : " " + reason) + " to " + what
                            + (envelope ? "" : " (not Pinata's JSON error: " + contentType(response) + ")"),
                    true,
                    retryAfter,
                    null,
                    envelope);
        } catch (IOException e) {
            // A refused connection, unknown host or connect timeout never reached Pinata; a read timeout or reset
            // may have. The JDK says "Connect timed out" (capital C), hence the case-blind match.
            var sent = !(e instanceof ConnectException || e instanceof UnknownHostException)
                    && !(e instanceof InterruptedIOException
                            && e.getMessage() != null
                            && e.getMessage().toLowerCase(Locale.ROOT).contains("connect"));
            throw new PinataException(0, null, "No answer from Pinata to " + what + ": " + describe(e), sent, -1, e);
        }
    }

    /** "unexpected end of stream" and friends: the connection was gone before the request was read. */
    private static boolean staleConnection(IOException e) {
        var m = e.getMessage() == null ? "" : e.getMessage();
        return m.contains("unexpected end of stream")
                || m.contains("Connection reset")
                || m.contains("Broken pipe")
                || m.contains("\\n not found")
                || e instanceof java.io.EOFException;
    }

    /** The exception's class and message (OkHttp's messages name the host and the failure, never the headers). */
    static String describe(IOException e) {
        var m = e.getMessage();
        var cause = e.getCause() != null && e.getCause().getMessage() != null
                ? " (" + e.getCause().getMessage() + ")"
                : "";
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m) + cause;
    }

    private static String contentType(Response response) {
        var type = response.header("Content-Type");
        return type == null ? "no content type" : type.split(";")[0].trim();
    }

    private boolean looksLikeJson(String body) {
        try {
            var node = json.readTree(body);
            return node != null && node.isObject() && node.has("error");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Pinata errors look like {@code {"error":{"reason":"…","details":"…"}}}, sometimes plain text. */
    private String errorReason(String body) {
        try {
            JsonNode node = json.readTree(body);
            var reason = node == null ? null : node.path("error").path("reason");
            if (reason != null && reason.isTextual() && reason.asText().matches("[A-Z0-9_]{1,64}")) {
                return reason.asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // plain text or empty: no reason code
        }
        return null;
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
