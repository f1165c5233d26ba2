package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.support.WholeAppTest;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /metrics in Prometheus format, moving as commands and clicks happen. */
class MetricsTest extends WholeAppTest {
    @BeforeEach
    void start() {
        h.start();
    }

    private double value(String series) {
        var m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+|NaN)$")
                .matcher(h.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void metricsMoveWithCommandsClicksAndRevocations() {
        var scrape = h.get("/metrics");
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertEquals(0, value("pinata_revoke_pending_requests"));
        var indexBuild = value("pinata_revoke_pinata_call_seconds_count{method=\"GET\",route=\"list\",status=\"2xx\"}");
        assertEquals(1, indexBuild, "the index's build: one page of active keys");
        assertEquals(
                1,
                value("pinata_revoke_pinata_call_seconds_count{method=\"GET\",route=\"list_v3\",status=\"2xx\"}"),
                "and one of revoked keys");

        h.command(ADMIN, CHANNEL, KEY + " drill");
        var id = h.awaitCardRequestId(1);
        await("command counted", () -> value("pinata_revoke_commands_total{outcome=\"card_posted\"}") == 1);
        assertEquals(1, value("pinata_revoke_pending_requests"));
        assertEquals(1, value("pinata_revoke_ack_seconds_count{kind=\"command\"}"));
        assertEquals(
                indexBuild,
                value("pinata_revoke_pinata_call_seconds_count{method=\"GET\",route=\"list\",status=\"2xx\"}"),
                "the card used the index, fresh from its build: no further read");
        assertEquals(
                1,
                value("pinata_revoke_pinata_call_seconds_count{method=\"GET\",route=\"list_v3\",status=\"2xx\"}"),
                "nor of the revoked keys");

        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("revocation counted", () -> value("pinata_revoke_revocations_total{result=\"revoked\"}") == 1);
        assertEquals(1, value("pinata_revoke_clicks_total{action=\"confirm\",outcome=\"revoking\"}"), "one click");
        assertFalse(
                h.get("/metrics").body().contains("pinata_revoke_clicks_total{action=\"confirm\",outcome=\"revoked\"}"),
                "the revocation's result is not a second click: "
                        + h.get("/metrics").body());
        assertEquals(1, value("pinata_revoke_ack_seconds_count{kind=\"click\"}"));
        assertEquals(
                1, value("pinata_revoke_pinata_call_seconds_count{method=\"PUT\",route=\"revoke\",status=\"2xx\"}"));
        assertEquals(0, value("pinata_revoke_pending_requests"));
    }

    @Test
    void aBulkRevokeIsOneClickAndEachCounterAnAlertNamesExistsAtZeroFromTheStart() {
        var body = h.get("/metrics").body();
        for (var series : new String[] {
            "pinata_revoke_commands_total{outcome=\"card_posted\"} 0.0",
            "pinata_revoke_commands_total{outcome=\"not_admin\"} 0.0",
            "pinata_revoke_clicks_total{action=\"confirm\",outcome=\"revoking\"} 0.0",
            "pinata_revoke_clicks_total{action=\"cancel\",outcome=\"cancelled\"} 0.0",
            "pinata_revoke_revocations_total{result=\"revoked\"} 0.0",
            "pinata_revoke_revocations_total{result=\"bot_credential_invalid\"} 0.0",
            "pinata_revoke_revocations_total{result=\"pinata_unavailable\"} 0.0",
            "pinata_revoke_queries_total{outcome=\"shown\"} 0.0"
        }) {
            assertTrue(body.contains("\n" + series + "\n"), series + " in\n" + body);
        }
        assertTrue(
                Pattern.compile("(?m)^pinata_revoke_build_info\\{version=\"[^\"]+\"\\} 1(\\.0)?$")
                        .matcher(body)
                        .find(),
                body);
        for (var jvm : new String[] {
            "jvm_memory_used_bytes",
            "jvm_gc_max_data_size_bytes",
            "jvm_threads_live_threads",
            "process_cpu_usage",
            "process_uptime_seconds",
            "process_start_time_seconds",
            "jvm_classes_loaded_classes"
        }) {
            assertTrue(body.contains("\n" + jvm), jvm + " in\n" + body);
        }

        h.pinata.addKey("1111111111aaaaaaaaaa", "one", false, "a".repeat(64));
        h.pinata.addKey("2222222222bbbbbbbbbb", "two", false, "b".repeat(64));
        h.restart(); // the index reads the new keys
        h.command(ADMIN, CHANNEL, "1111111111aaaaaaaaaa 2222222222bbbbbbbbbb drill");
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await(
                "bulk revocation finished",
                () -> h.bot().audit().recent(20).stream()
                        .anyMatch(a -> a.action().equals("confirm")
                                && (a.outcome().equals("revoked") || a.outcome().equals("partial"))));
        await("counted", () -> value("pinata_revoke_clicks_total{action=\"confirm\",outcome=\"revoking\"}") == 1);
        var clicks = Pattern.compile("(?m)^pinata_revoke_clicks_total\\{[^}]*\\} ([0-9.]+)$")
                .matcher(h.get("/metrics").body())
                .results()
                .mapToDouble(r -> Double.parseDouble(r.group(1)))
                .sum();
        assertEquals(
                1,
                clicks,
                "one click, one count, however many keys: " + h.get("/metrics").body());
    }

    @Test
    void userInputNeverBecomesALabel() {
        h.command(ADMIN, CHANNEL, "history 7");
        await("query counted", () -> value("pinata_revoke_queries_total{outcome=\"shown\"}") == 1);
        assertFalse(h.get("/metrics").body().contains("shown:"), "the count after ':' is cut off");
    }
}
