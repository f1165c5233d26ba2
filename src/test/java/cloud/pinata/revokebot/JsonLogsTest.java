package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.ADMIN2;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.BotProcess;
import cloud.pinata.revokebot.support.TestJwt;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * LOG_FORMAT=json through a whole revocation in a real bot process: every line is one JSON object whose message is
 * formatted (no {@code {}} left), and every interaction line carries its fields as top-level keys.
 */
class JsonLogsTest {
    private static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    private static final List<String> INTERACTION_FIELDS =
            List.of("action", "outcome", "team", "channel", "user", "request", "pinata_status");

    BotHarness h;
    BotProcess child;

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.close();
        }
        h.close();
    }

    @Test
    void everyLineOfAFullRevocationIsJsonWithItsValuesFilledIn() throws Exception {
        h = new BotHarness();
        h.pinata.addKey(KEY, "ci-deploy", false, "f".repeat(64));
        child = BotProcess.start(h, Map.of("LOG_FORMAT", "json"));

        h.command(ADMIN, CHANNEL, KEY + " drill");
        var id = h.awaitCardRequestId(1);
        h.click("revoke_confirm", ADMIN2, CHANNEL, id);
        await(
                "the revoke's interaction line",
                () -> parsed(outputOrEmpty()).stream()
                        .anyMatch(
                                o -> "interaction".equals(text(o, "message")) && "revoked".equals(text(o, "outcome"))));

        var output = child.output();
        var lines = parsed(output);
        assertFalse(lines.isEmpty());
        for (var o : lines) {
            var message = text(o, "message");
            assertTrue(message != null && !message.contains("{}"), "a formatted message: " + o);
            assertTrue(o.has("level") && o.has("@timestamp") && o.has("logger_name"), "level, time and logger: " + o);
        }
        var started = lines.stream()
                .filter(o -> text(o, "message").startsWith("pinata-revoke-bot "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no start-up line in " + output));
        assertTrue(
                text(started, "message").matches("pinata-revoke-bot \\S+ listening on port \\d+ \\(database: .+\\)"),
                "version, port and database filled in: " + started);

        var interactions = lines.stream()
                .filter(o -> "interaction".equals(text(o, "message")))
                .toList();
        assertEquals(
                List.of("command:card_posted", "confirm:revoking", "confirm:revoked"),
                interactions.stream()
                        .map(o -> text(o, "action") + ":" + text(o, "outcome"))
                        .toList(),
                output);
        // A field without a value is left out (pinata_status before Pinata is called); the others are always there.
        for (var o : interactions) {
            for (var field : INTERACTION_FIELDS.subList(0, 6)) {
                assertTrue(o.has(field), "top-level field " + field + " in " + o);
            }
            assertEquals(CHANNEL, text(o, "channel"), o.toString());
            assertEquals(id, text(o, "request"), o.toString());
            assertFalse(o.has("kvpList"), "not logback's array of one-key objects: " + o);
        }
        assertEquals(ADMIN, text(interactions.get(0), "user"));
        assertEquals(ADMIN2, text(interactions.get(2), "user"));
        assertTrue(
                interactions.get(2).has("pinata_status"), "the revoke's line has every field: " + interactions.get(2));
        assertEquals(
                200,
                interactions.get(2).get("pinata_status").getAsInt(),
                interactions.get(2).toString());
        assertFalse(output.contains(TestJwt.bot()), "the JWT is never logged");
        assertFalse(output.contains("f".repeat(64)), "the listed key's secret is never logged");
    }

    private String outputOrEmpty() {
        try {
            return child.output();
        } catch (IOException e) {
            return "";
        }
    }

    /** Every complete line as JSON; the test fails on the first line that is not one JSON object. */
    private static List<JsonObject> parsed(String output) {
        var all = new ArrayList<JsonObject>();
        var lines = output.split("\n", -1);
        // The last element is what follows the last newline: a line still being written, or "".
        for (int i = 0; i < lines.length - 1; i++) {
            try {
                all.add(JsonParser.parseString(lines[i]).getAsJsonObject());
            } catch (JsonSyntaxException | IllegalStateException e) {
                fail("not one JSON object: " + lines[i]);
            }
        }
        return all;
    }

    private static String text(JsonObject o, String field) {
        var v = o.get(field);
        return v == null || v.isJsonNull() ? null : v.getAsString();
    }
}
