package cloud.pinata.revokebot.pinata;

import cloud.pinata.revokebot.config.Secret;
import cloud.pinata.revokebot.retry.RetryPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

/**
 * Pinata's key-management endpoints, one HTTP call per method and no retries (see {@link PinataKeyService}).
 * Reference: https://docs.pinata.cloud/api-reference/endpoint/ipfs/revoke-api-key
 */
public final class PinataClient {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final OkHttpClient http;
    private final HttpUrl baseUrl;
    private final Secret jwt;
    private final ObjectMapper json;

    public PinataClient(OkHttpClient http, HttpUrl baseUrl, Secret jwt, ObjectMapper json) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.jwt = jwt;
        this.json = json;
    }

    /** {@code PUT /users/revokeApiKey} with {@code {"apiKey": key}}; returns normally only on a 2xx. */
    public void revokeApiKey(String apiKey) throws PinataException {
        var body = RequestBody.create(write(Map.of("apiKey", apiKey)), JSON);
        var request = authorized(baseUrl.newBuilder().addPathSegments("users/revokeApiKey").build()).put(body).build();
        execute(request);
    }

    /** {@code GET /users/apiKeys?offset=N}: one page of the organisation's keys, secrets dropped while parsing. */
    public ApiKeyPage listApiKeys(int offset) throws PinataException {
        var url = baseUrl.newBuilder().addPathSegments("users/apiKeys")
                .addQueryParameter("offset", Integer.toString(offset)).build();
        var text = execute(authorized(url).get().build());
        try {
            var page = json.readValue(text, ApiKeyPage.class);
            if (page == null) {
                throw new IOException("empty key list");
            }
            return page;
        } catch (IOException e) {
            // The exception text could quote the body, which holds secrets: never pass it on.
            throw new PinataException(200, null, "Pinata returned a key list that could not be parsed", true, -1, null);
        }
    }

    private Request.Builder authorized(HttpUrl url) {
        return new Request.Builder().url(url)
                .header("Authorization", "Bearer " + jwt.reveal())
                .header("Accept", "application/json");
    }

    private String execute(Request request) throws PinataException {
        try (Response response = http.newCall(request).execute()) {
            var body = response.body() == null ? "" : response.body().string();
            if (response.isSuccessful()) {
                return body;
            }
            throw new PinataException(response.code(), errorReason(body),
                    "Pinata answered HTTP " + response.code() + " to " + request.method() + " " + request.url().encodedPath(),
                    true, RetryPolicy.retryAfterSeconds(response.header("Retry-After")), null);
        } catch (IOException e) {
            // A refused connection, unknown host or connect timeout never reached Pinata; a read timeout or reset
            // may have. The JDK says "Connect timed out" (capital C), hence the case-blind match.
            var sent = !(e instanceof ConnectException || e instanceof UnknownHostException)
                    && !(e instanceof InterruptedIOException && e.getMessage() != null
                            && e.getMessage().toLowerCase(Locale.ROOT).contains("connect"));
            throw new PinataException(0, null, "No answer from Pinata to " + request.method() + " "
                    + request.url().encodedPath() + ": " + e.getClass().getSimpleName(), sent, -1, null);
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
