package cloud.pinata.revokebot.web;

import cloud.pinata.revokebot.metrics.BotMetrics;
import com.slack.api.bolt.App;
import com.slack.api.bolt.request.RequestType;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.util.SlackRequestParser;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Javalin ↔ Bolt adapter: raw body and headers → {@link SlackRequestParser} → {@link App#run} → response.
 * The body is read once, as the exact string Slack signed; Bolt verifies the signature inside {@code run}.
 */
public final class SlackEventsHandler implements Handler {
    private static final Logger log = LoggerFactory.getLogger(SlackEventsHandler.class);
    private final App app;
    private final SlackRequestParser parser;
    private final BotMetrics metrics;

    public SlackEventsHandler(App app, BotMetrics metrics) {
        this.app = app;
        this.parser = new SlackRequestParser(app.config());
        this.metrics = metrics;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        var started = System.nanoTime();
        var headers = new HashMap<String, List<String>>();
        for (var name : ctx.headerMap().keySet()) {
            headers.put(name, List.copyOf(java.util.Collections.list(ctx.req().getHeaders(name))));
        }
        var raw = SlackRequestParser.HttpRequest.builder()
                .requestUri(ctx.path())
                .queryString(queryMap(ctx))
                .headers(new RequestHeaders(headers))
                .requestBody(ctx.body())
                .remoteAddress(ctx.ip())
                .build();
        var request = parser.parse(raw);
        if (request == null) {
            ctx.status(400).result("Unrecognised Slack request");
            return;
        }
        var response = app.run(request);
        metrics.recordAck(kind(request.getRequestType()), Duration.ofNanos(System.nanoTime() - started));
        if (response.getStatusCode() == 401) {
            log.warn("Rejected a request to {} from {}: missing, invalid or stale Slack signature", ctx.path(), ctx.ip());
        }
        ctx.status(response.getStatusCode());
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, values) -> values.forEach(v -> ctx.res().addHeader(name, v)));
        }
        if (response.getContentType() != null) {
            ctx.contentType(response.getContentType());
        }
        ctx.result(response.getBody() == null ? "" : response.getBody());
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
