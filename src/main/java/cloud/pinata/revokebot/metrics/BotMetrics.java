package cloud.pinata.revokebot.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import okhttp3.Interceptor;

/**
 * The bot's Prometheus metrics (served at {@code GET /metrics}). Label values come from fixed sets or are cut at
 * the first ':' so that no user input can grow the number of series.
 */
public final class BotMetrics {
    /** Outcome codes that end a revocation (see RevokeOutcome). */
    private static final Set<String> REVOCATION_RESULTS = Set.of(
            "revoked",
            "accepted_unverified",
            "bot_credential_invalid",
            "bot_not_allowed",
            "bot_key_revoked",
            "key_not_found",
            "route_not_found",
            "rejected",
            "not_active",
            "pinata_unavailable");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * Every meter, once built, by name and labels: the ack path records without building an id or entering the
     * registry's lock (JFR showed acks queueing on {@code MeterRegistry.getOrCreateMeter} under load).
     */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public BotMetrics(Supplier<Number> pendingRequests) {
        Gauge.builder("pinata_revoke_pending_requests", () -> {
                    try {
                        return pendingRequests.get();
                    } catch (RuntimeException e) {
                        return Double.NaN; // the database is down; /health says so
                    }
                })
                .description("Requests waiting for a decision")
                .register(registry);
    }

    /** One audit record's worth of counting: commands, clicks and revocations by outcome. */
    public void recordInteraction(String action, String outcome) {
        var label = bounded(outcome);
        switch (action) {
            case "command" -> count("pinata_revoke_commands_total", "Slash commands by outcome", "outcome", label);
            case "confirm", "cancel" ->
                counters.computeIfAbsent(
                                "clicks|" + action + "|" + label,
                                k -> Counter.builder("pinata_revoke_clicks_total")
                                        .description("Card clicks by outcome")
                                        .tag("action", action)
                                        .tag("outcome", label)
                                        .register(registry))
                        .increment();
            case "history", "status" ->
                count("pinata_revoke_queries_total", "history and status queries by outcome", "outcome", label);
            default -> {}
        }
        if (("confirm".equals(action) || "recover".equals(action)) && REVOCATION_RESULTS.contains(label)) {
            count("pinata_revoke_revocations_total", "Revocations by result", "result", label);
        }
    }

    /** Time from receiving a Slack request to sending the acknowledgement. */
    public void recordAck(String kind, Duration took) {
        timers.computeIfAbsent(
                        "ack|" + kind,
                        k -> Timer.builder("pinata_revoke_ack_seconds")
                                .description("Time to acknowledge a Slack request")
                                .tag("kind", kind)
                                .publishPercentileHistogram()
                                .register(registry))
                .record(took);
    }

    /** Times every call to Pinata, by method and status class (0xx when no response arrived). */
    public Interceptor pinataTimer() {
        return chain -> {
            var start = System.nanoTime();
            var status = "0xx";
            try {
                var response = chain.proceed(chain.request());
                status = (response.code() / 100) + "xx";
                return response;
            } finally {
                var method = chain.request().method();
                var tag = status;
                timers.computeIfAbsent(
                                "pinata|" + method + "|" + tag,
                                k -> Timer.builder("pinata_revoke_pinata_call_seconds")
                                        .description("Calls to Pinata's API")
                                        .tag("method", method)
                                        .tag("status", tag)
                                        .publishPercentileHistogram()
                                        .register(registry))
                        .record(Duration.ofNanos(System.nanoTime() - start));
            }
        };
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    private void count(String name, String description, String tag, String value) {
        counters.computeIfAbsent(
                        name + "|" + value,
                        k -> Counter.builder(name)
                                .description(description)
                                .tag(tag, value)
                                .register(registry))
                .increment();
    }

    private static String bounded(String outcome) {
        if (outcome == null) {
            return "none";
        }
        var colon = outcome.indexOf(':');
        var head = colon < 0 ? outcome : outcome.substring(0, colon);
        return head.length() > 40 || !head.matches("[a-z_]+") ? "other" : head;
    }
}
