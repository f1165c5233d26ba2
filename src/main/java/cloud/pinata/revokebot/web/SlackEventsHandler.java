package cloud.pinata.revokebot.web;

import cloud.pinata.revokebot.metrics.BotMetrics;
import cloud.pinata.revokebot.slack.ClickFastPath;
import com.slack.api.app_backend.SlackSignature;
import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.request.RequestType;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Javalin ↔ Bolt adapter: raw body and headers → signature check → {@link SlackRequestParser} → {@link App#run}
 * → response. The body is read once, as the exact string Slack signed; Bolt verifies the signature again inside
 * {@code run}. Clicks on the card's buttons take {@link ClickFastPath} after the signature check.
 */
public final class SlackEventsHandler implements Handler {
    private static final Logger log = LoggerFactory.getLogger(SlackEventsHandler.class);
    /** Slack's limit: a signed request older (or newer) than five minutes is a replay. */
    static final long MAX_SKEW_SECONDS = 5 * 60;

    private final App app;
    private final ClickFastPath clicks;
    private final SlackRequestParser parser;
    private final BotMetrics metrics;
    private final SlackSignature.Generator signer;
    private final Replays replays;
    private final Clock clock;

    /**
     * The record of signed requests already accepted (shared by every instance): {@code firstUse} answers whether
     * this signature is new, and throws when it cannot tell.
     */
    @FunctionalInterface
    public interface Replays {
        boolean firstUse(long slackTimestamp, String signature);
    }

    /** {@code clock} decides the five-minute window: the wall clock, as Slack's timestamps are. */
    public SlackEventsHandler(App app, ClickFastPath clicks, BotMetrics metrics, Replays replays, Clock clock) {
        this.replays = replays;
        this.clock = clock;
        this.app = app;
        this.clicks = clicks;
        this.parser = new SlackRequestParser(app.config());
        this.metrics = metrics;
        var secret = app.config().getSigningSecret();
        this.signer = secret == null || secret.isBlank() ? null : new SlackSignature.Generator(secret);
    }

    @Override
    public void handle(Context ctx) throws Exception {
        var started = System.nanoTime();
        var charset = declaredCharset(ctx.header("Content-Type"));
        if (charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
            // Slack sends UTF-8 and signs those bytes; anything else is not from Slack.
            log.warn("Refused a request to {} from {}: charset other than UTF-8 in Content-Type", ctx.path(), ctx.ip());
            ctx.status(415).result("Unsupported charset");
            return;
        }
        String body;
        Map<String, List<String>> query;
        try {
            // Slack signs the UTF-8 bytes it sends; a charset named in Content-Type is not Slack's and is ignored
            // (an unknown one made Javalin's ctx.body() throw: a 500 and a stack trace for anyone who asked).
            body = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
            query = queryMap(ctx);
        } catch (io.javalin.http.HttpResponseException e) {
            throw e;
        } catch (Exception e) {
            var fault = ClientFault.whileReading(e).orElseThrow();
            log.warn("Malformed request to {} from {}: {}", ctx.path(), ctx.ip(), fault.why());
            ctx.status(fault.status()).result(fault.status() == 408 ? "Request timeout" : "Malformed request");
            return;
        }
        if (isSslCheck(body)) {
            // Slack's certificate check carries no signature: 200, empty, and nothing else happens
            // (https://docs.slack.dev/interactivity/implementing-slash-commands#ssl_check).
            ctx.status(200).result("");
            return;
        }
        // Verify before parsing: an unsigned body is never parsed, logged or handed to Bolt (which checks again).
        if (!signedBySlack(
                ctx.header(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP),
                ctx.header(SlackSignature.HeaderNames.X_SLACK_SIGNATURE),
                body)) {
            log.warn(
                    "Rejected a request to {} from {}: missing, invalid or stale Slack signature",
                    ctx.path(),
                    ctx.ip());
            ctx.status(401).result("Invalid request signature");
            return;
        }
        // A signed request is accepted once. Slack does not retry slash commands or interactions (only Events API
        // deliveries carry X-Slack-Retry-Num, each re-signed), so a second delivery of the same signature is a replay
        // or a duplicating proxy: the first was acknowledged; this one gets an empty 200 and nothing else happens.
        var timestamp = Long.parseLong(
                ctx.header(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP).trim());
        boolean first;
        try {
            first = replays.firstUse(
                    timestamp,
                    ctx.header(SlackSignature.HeaderNames.X_SLACK_SIGNATURE).trim());
        } catch (RuntimeException e) {
            // Without the shared record a replay cannot be told apart: refuse, as for anything needing the database.
            log.warn(
                    "Refused a signed request to {}: the replay record is unavailable ({})",
                    ctx.path(),
                    e.getMessage());
            ctx.status(503).result("Try again in a moment");
            return;
        }
        if (!first) {
            log.warn(
                    "Ignored a replayed Slack request to {} from {}: its signature was already accepted",
                    ctx.path(),
                    ctx.ip());
            ctx.status(200).result("");
            return;
        }
        boolean clicked;
        try {
            clicked = clicks.handle(body);
        } catch (RuntimeException e) {
            log.warn(
                    "Click on {} could not be handled: {}",
                    ctx.path(),
                    e.getClass().getSimpleName());
            ctx.status(400).result("Malformed Slack request");
            return;
        }
        if (clicked) {
            metrics.recordAck("click", Duration.ofNanos(System.nanoTime() - started));
            ctx.status(200).result("");
            return;
        }
        var headers = new HashMap<String, List<String>>();
        for (var name : ctx.headerMap().keySet()) {
            headers.put(name, List.copyOf(java.util.Collections.list(ctx.req().getHeaders(name))));
        }
        var raw = SlackRequestParser.HttpRequest.builder()
                .requestUri(ctx.path())
                .queryString(query)
                .headers(new RequestHeaders(headers))
                .requestBody(body)
                .remoteAddress(ctx.ip())
                .build();
        Request<?> request;
        try {
            request = parser.parse(raw);
        } catch (RuntimeException e) {
            // Signed but malformed (bad JSON, missing fields): Slack's fault or a bug, never a 500.
            log.warn(
                    "Unparseable signed request to {}: {}",
                    ctx.path(),
                    e.getClass().getSimpleName());
            request = null;
        }
        if (request == null) {
            ctx.status(400).result("Unrecognised Slack request");
            return;
        }
        Response response;
        try {
            response = app.run(request);
        } catch (RuntimeException e) {
            log.warn(
                    "Slack request to {} could not be handled: {}",
                    ctx.path(),
                    e.getClass().getSimpleName());
            ctx.status(400).result("Malformed Slack request");
            return;
        }
        metrics.recordAck(kind(request.getRequestType()), Duration.ofNanos(System.nanoTime() - started));
        ctx.status(response.getStatusCode());
        if (response.getHeaders() != null) {
            response.getHeaders()
                    .forEach((name, values) -> values.forEach(v -> ctx.res().addHeader(name, v)));
        }
        if (response.getContentType() != null) {
            ctx.contentType(response.getContentType());
        }
        ctx.result(response.getBody() == null ? "" : response.getBody());
    }

    /** HMAC-SHA256 of {@code v0:timestamp:body}, compared in constant time, within five minutes of now. */
    private boolean signedBySlack(String timestamp, String signature, String body) {
        if (signer == null || timestamp == null || signature == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(clock.millis() / 1000 - ts) > MAX_SKEW_SECONDS) {
            return false;
        }
        var expected = signer.generate(timestamp, body);
        return expected != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code charset} parameter of a Content-Type header, unquoted; null when there is none. */
    static String declaredCharset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (var part : contentType.split(";")) {
            var p = part.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                var value = p.substring(8).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        return null;
    }

    /** A form body with the field {@code ssl_check=1}: nothing in it is read or passed on. */
    static boolean isSslCheck(String body) {
        if (body == null || body.length() > 1024 || !body.contains("ssl_check=1")) {
            return false;
        }
        for (var field : body.split("&")) {
            if (field.equals("ssl_check=1")) {
                return true;
            }
        }
        return false;
    }

    private static String kind(RequestType type) {
        if (type == RequestType.Command) {
            return "command";
        }
        return type == RequestType.BlockAction ? "click" : "other";
    }

    private static Map<String, List<String>> queryMap(Context ctx) {
        return new HashMap<>(ctx.queryParamMap());
    }
}
