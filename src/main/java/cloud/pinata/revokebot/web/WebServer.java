package cloud.pinata.revokebot.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface: {@code POST /slack/events}, {@code GET /health} and {@code GET /metrics}, on {@code PORT} and,
 * when configured, a management port bound to 127.0.0.1. Failures map to HTTP here, and only here.
 */
public final class WebServer {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    /** Slack's payloads for this app are a few KB; anything far larger is not from Slack. */
    public static final long MAX_BODY_BYTES = 64 * 1024;

    static final int MAX_HTTP_THREADS = 48;
    /**
     * A request body must keep arriving at 1 KB/s or faster: Slack sends its few KB at once, while a client that
     * trickles bytes is cut off at its next read instead of holding a connection for minutes.
     */
    public static final long MIN_REQUEST_BYTES_PER_SECOND = 1024;
    /** A connection that sends nothing for this long (headers, body, or between requests) is closed. */
    public static final long IDLE_TIMEOUT_MILLIS = 10_000;
    /** The reason /health gives when the database does not answer. */
    public static final String DATABASE_DOWN = "database unreachable";

    static final String MANAGEMENT = "management";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * Where to listen: {@code bindAddress}:{@code port} for Slack; {@code managementPort} on 127.0.0.1 for
     * {@code /metrics} and {@code /health}; {@code metricsToken} lets {@code /metrics} be read on {@code port} too.
     */
    public record Options(String bindAddress, int port, Optional<String> metricsToken, OptionalInt managementPort) {
        public static Options publicOnly(int port) {
            return new Options("0.0.0.0", port, Optional.empty(), OptionalInt.empty());
        }
    }

    private WebServer() {}

    /** {@code unavailable}: null when the bot can serve, otherwise the reason /health gives (no detail beyond it). */
    public static Javalin create(
            Handler slack, Supplier<String> unavailable, Supplier<String> metrics, Options options) {
        var token = options.metricsToken().map(t -> t.getBytes(StandardCharsets.UTF_8));
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // Acks are short and all slow work is on the bot's own executor: a small pool bounds memory under bursts
            // (unbounded, Jetty grew to ~200 threads at 200 concurrent connections in bench/). No request holds one of
            // these threads while its body arrives (below), so slow clients cannot take them.
            config.jetty.threadPool = new QueuedThreadPool(MAX_HTTP_THREADS, 4, 60_000);
            config.http.maxRequestSize = MAX_BODY_BYTES;
            // The slow-body defence (README, "Hardening"). A request's body is read as it arrives, holding no thread,
            // and the request reaches Javalin only once the whole body is there (WholeBodyFirst); a body that arrives
            // slower than the minimum rate is dropped with 408 at its next byte (MinimumDataRateHandler), and one over
            // the cap gets 413 before any handler runs. Javalin attaches its servlet context inside the innermost
            // wrapper set here.
            config.jetty.modifyServer(server -> server.setHandler(new MinimumDataRateHandler(
                    new EagerContentHandler(new WholeBodyFirst((int) MAX_BODY_BYTES)),
                    MIN_REQUEST_BYTES_PER_SECOND,
                    0)));
            config.jetty.modifyServer(server -> server.setErrorHandler(new LoggedErrors()));
            config.jetty.modifyHttpConfiguration(http -> {
                // Blocking reads and writes inside a handler give up after the same short idle time.
                http.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
                http.setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND);
            });
            // The first connector is the one Javalin reports as port().
            config.jetty.addConnector((server, http) -> {
                var connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(options.bindAddress());
                connector.setPort(options.port());
                connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
                return connector;
            });
            options.managementPort()
                    .ifPresent(port -> config.jetty.addConnector((server, http) -> {
                        var connector = new ServerConnector(server, new HttpConnectionFactory(http));
                        connector.setName(MANAGEMENT);
                        connector.setHost("127.0.0.1");
                        connector.setPort(port);
                        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
                        return connector;
                    }));
            config.routes.post("/slack/events", ctx -> {
                if (onManagementPort(ctx)) {
                    ctx.status(HttpStatus.NOT_FOUND).result("Not found");
                    return;
                }
                slack.handle(ctx);
            });
            config.routes.get("/health", ctx -> {
                var why = unavailable.get();
                var body = new java.util.LinkedHashMap<String, String>();
                body.put("status", why == null ? "ok" : "unavailable");
                if (why != null) {
                    body.put("reason", why);
                }
                ctx.status(why == null ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                        .contentType("application/json")
                        .result(JSON.writeValueAsString(body));
            });
            config.routes.get("/metrics", ctx -> {
                if (!onManagementPort(ctx)) {
                    if (token.isEmpty()) {
                        // Neither a token nor a management port: /metrics does not exist on the public port.
                        ctx.status(HttpStatus.NOT_FOUND).result("Not found");
                        return;
                    }
                    if (!bearer(ctx.header("Authorization"), token.get())) {
                        log.warn("Refused GET /metrics from {}: missing or wrong bearer token", ctx.ip());
                        ctx.header("WWW-Authenticate", "Bearer")
                                .status(HttpStatus.UNAUTHORIZED)
                                .result("Unauthorized");
                        return;
                    }
                }
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.get());
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                var fault = ClientFault.of(e);
                if (fault.isPresent()) {
                    // The client sent something broken or too slowly: its fault, one line, no stack trace.
                    log.warn(
                            "Malformed request {} {} from {}: {}",
                            ctx.method(),
                            ctx.path(),
                            ctx.ip(),
                            fault.get().why());
                    ctx.status(fault.get().status())
                            .result(fault.get().status() == 408 ? "Request timeout" : "Malformed request");
                    return;
                }
                log.error("Unhandled error on {} {}", ctx.method(), ctx.path(), e);
                ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).result("Internal error");
            });
        });
    }

    /** The local port of the management connector, once started. */
    public static OptionalInt managementPort(Javalin web) {
        for (var connector : web.jettyServer().server().getConnectors()) {
            if (MANAGEMENT.equals(connector.getName()) && connector instanceof ServerConnector c) {
                return OptionalInt.of(c.getLocalPort());
            }
        }
        return OptionalInt.empty();
    }

    private static boolean onManagementPort(Context ctx) {
        var request = org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req());
        return request != null
                && MANAGEMENT.equals(
                        request.getConnectionMetaData().getConnector().getName());
    }

    /** {@code Authorization: Bearer <token>}, compared in constant time. */
    private static boolean bearer(String header, byte[] token) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8), token);
    }
}
