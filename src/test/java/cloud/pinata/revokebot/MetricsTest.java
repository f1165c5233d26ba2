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
        var indexBuild = value("pinata_revoke_pinata_call_seconds_count{method=\"GET\",status=\"2xx\"}");
        assertEquals(2, indexBuild, "the index's build: one page of active keys, one of revoked keys");

        h.command(ADMIN, CHANNEL, KEY + " drill");
        var id = h.awaitCardRequestId(1);
        await("command counted", () -> value("pinata_revoke_commands_total{outcome=\"card_posted\"}") == 1);
        assertEquals(1, value("pinata_revoke_pending_requests"));
        assertEquals(1, value("pinata_revoke_ack_seconds_count{kind=\"command\"}"));
        assertEquals(
                indexBuild,
                value("pinata_revoke_pinata_call_seconds_count{method=\"GET\",status=\"2xx\"}"),
                "the card used the index, fresh from its build: no further read");

        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await("revocation counted", () -> value("pinata_revoke_revocations_total{result=\"revoked\"}") == 1);
        assertEquals(1, value("pinata_revoke_clicks_total{action=\"confirm\",outcome=\"revoked\"}"));
        assertEquals(1, value("pinata_revoke_ack_seconds_count{kind=\"click\"}"));
        assertEquals(1, value("pinata_revoke_pinata_call_seconds_count{method=\"PUT\",status=\"2xx\"}"));
        assertEquals(0, value("pinata_revoke_pending_requests"));
    }

    @Test
    void userInputNeverBecomesALabel() {
        h.command(ADMIN, CHANNEL, "history 7");
        await("query counted", () -> value("pinata_revoke_queries_total{outcome=\"shown\"}") == 1);
        assertFalse(h.get("/metrics").body().contains("shown:"), "the count after ':' is cut off");
    }
}
