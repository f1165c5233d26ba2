package cloud.pinata.revokebot.web;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/** The HTTP surface: {@code POST /slack/events}, {@code GET /health} and {@code GET /metrics}. Failures map to HTTP here, and only here. */
public final class WebServer {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    /** Slack's payloads for this app are a few KB; anything far larger is not from Slack. */
    public static final long MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_HTTP_THREADS = 48;
    /** The reason /health gives when the database does not answer. */
    public static final String DATABASE_DOWN = "database unreachable";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private WebServer() {
    }

    /** {@code unavailable}: null when the bot can serve, otherwise the reason /health gives (no detail beyond it). */
    public static Javalin create(Handler slack, Supplier<String> unavailable, Supplier<String> metrics) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // Acks are short and all slow work is on the bot's own executor: a small pool bounds memory under bursts
            // (unbounded, Jetty grew to ~200 threads at 200 concurrent connections in bench/).
            config.jetty.threadPool = new QueuedThreadPool(MAX_HTTP_THREADS, 4, 60_000);
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.routes.post("/slack/events", slack);
            config.routes.get("/health", ctx -> {
                var why = unavailable.get();
                var body = new java.util.LinkedHashMap<String, String>();
                body.put("status", why == null ? "ok" : "unavailable");
                if (why == null || why.equals(DATABASE_DOWN)) {
                    body.put("database", why == null ? "up" : "down");
                }
                if (why != null) {
                    body.put("reason", why);
                }
                ctx.status(why == null ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                        .contentType("application/json")
                        .result(JSON.writeValueAsString(body));
            });
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.get()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("Unhandled error on {} {}", ctx.method(), ctx.path(), e);
                ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).result("Internal error");
            });
        });
    }
}
