package cloud.pinata.revokebot.metrics;

import cloud.pinata.revokebot.config.Version;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** The outcomes of a slash command (RevocationService), each registered at zero at start-up. */
    static final List<String> COMMAND_OUTCOMES = List.of(
            "help",
            "invalid_input",
            "secret_pasted",
            "channel_not_allowed",
            "not_admin",
            "admin_check_failed",
            "self_key_refused",
            "already_revoked",
            "not_active_key",
            "card_posted",
            "dry_run_card_posted",
            "card_not_posted");
    /** What a click decided: accepted (revoking, a dry run confirmed, cancelled) or refused, and why. */
    static final List<String> CLICK_OUTCOMES = List.of(
            "revoking",
            "dry_run_confirmed",
            "cancelled",
            "unknown_request",
            "not_admin",
            "admin_check_failed",
            "expired",
            "same_user",
            "lost_race",
            "already_pending",
            "already_revoking",
            "already_revoked",
            "already_failed",
            "already_cancelled",
            "already_expired");

    static final List<String> QUERY_OUTCOMES = List.of(
            "shown",
            "key_active",
            "key_revoked",
            "key_not_listed",
            "lookup_unavailable",
            "not_admin",
            "admin_check_failed");
    /** How many accepted confirms to remember so that their later records are not counted as clicks again. */
    private static final int REMEMBERED_REVOCATIONS = 10_000;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * Every meter, once built, by name and labels: the ack path records without building an id or entering the
     * registry's lock (JFR showed acks queueing on {@code MeterRegistry.getOrCreateMeter} under load).
     */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /**
     * Requests whose Revoke click was accepted ("revoking"): the records that follow for them (the result, each key of
     * a bulk request) are the revocation's, not further clicks.
     */
    private final Set<String> revoking =
            Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_REVOCATIONS;
                }
            }));

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
        // An info metric, registered with the Prometheus client itself: Micrometer would drop the reserved _info
        // suffix.
        io.prometheus.metrics.core.metrics.Info.builder()
                .name("pinata_revoke_build_info")
                .help("This build of pinata-revoke-bot; the value is always 1")
                .labelNames("version")
                .register(registry.getPrometheusRegistry())
                .setLabelValues(Version.current());
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Every series an alert may name exists from the start, at zero, instead of appearing with its first event.
        for (var outcome : COMMAND_OUTCOMES) {
            commands(outcome);
        }
        for (var outcome : CLICK_OUTCOMES) {
            if (!outcome.equals("cancelled")) {
                clicks("confirm", outcome);
            }
            if (!outcome.equals("revoking") && !outcome.equals("dry_run_confirmed") && !outcome.equals("same_user")) {
                clicks("cancel", outcome);
            }
        }
        for (var result : REVOCATION_RESULTS) {
            revocations(result);
        }
        for (var outcome : QUERY_OUTCOMES) {
            queries(outcome);
        }
    }

    /**
     * One audit record's worth of counting: commands, clicks and revocations by outcome. A click is counted once,
     * by what it decided; what the revocation it started ended in is counted in {@code revocations_total}.
     */
    public void recordInteraction(String action, String requestId, String outcome) {
        var label = bounded(outcome);
        switch (action) {
            case "command" -> commands(label).increment();
            case "confirm" -> {
                if (requestId != null && revoking.contains(requestId)) {
                    break; // the revocation's own records, after the click that started it
                }
                if ("revoking".equals(label) && requestId != null) {
                    revoking.add(requestId);
                }
                clicks(action, label).increment();
            }
            case "cancel" -> clicks(action, label).increment();
            case "history", "status" -> queries(label).increment();
            default -> {}
        }
        if (("confirm".equals(action) || "recover".equals(action)) && REVOCATION_RESULTS.contains(label)) {
            revocations(label).increment();
        }
    }

    private Counter commands(String outcome) {
        return counter("pinata_revoke_commands_total", "Slash commands by outcome", "outcome", outcome);
    }

    private Counter clicks(String action, String outcome) {
        return counters.computeIfAbsent(
                "clicks|" + action + "|" + outcome,
                k -> Counter.builder("pinata_revoke_clicks_total")
                        .description("Card clicks by what they decided")
                        .tag("action", action)
                        .tag("outcome", outcome)
                        .register(registry));
    }

    private Counter revocations(String result) {
        return counter("pinata_revoke_revocations_total", "Revocations by result", "result", result);
    }

    private Counter queries(String outcome) {
        return counter("pinata_revoke_queries_total", "history and status queries by outcome", "outcome", outcome);
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

    /**
     * Times every call to Pinata, by method, route and status class (0xx when no response arrived). The route keeps
     * the one call whose refusal is the good news (the leaked JWT's check after its key was revoked, an expected
     * 401) apart from the calls made with the bot's own JWT, whose 4xx an alert should see.
     */
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
                var route = pinataRoute(chain.request().url().encodedPath());
                var tag = status;
                timers.computeIfAbsent(
                                "pinata|" + method + "|" + route + "|" + tag,
                                k -> Timer.builder("pinata_revoke_pinata_call_seconds")
                                        .description("Calls to Pinata's API")
                                        .tag("method", method)
                                        .tag("route", route)
                                        .tag("status", tag)
                                        .publishPercentileHistogram()
                                        .register(registry))
                        .record(Duration.ofNanos(System.nanoTime() - start));
            }
        };
    }

    /** A fixed name for each Pinata endpoint the bot calls ({@code other} for anything else): never a path's values. */
    static String pinataRoute(String path) {
        if (path.endsWith("/users/revokeApiKey")) {
            return "revoke";
        }
        if (path.endsWith("/users/apiKeys")) {
            return "list";
        }
        if (path.endsWith("/v3/pinata/keys")) {
            return "list_v3";
        }
        if (path.endsWith("/data/testAuthentication")) {
            return "jwt_check";
        }
        return "other";
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(
                name + "|" + value,
                k -> Counter.builder(name)
                        .description(description)
                        .tag(tag, value)
                        .register(registry));
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
