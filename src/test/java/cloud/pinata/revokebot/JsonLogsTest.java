package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.awaitValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.BotProcess;
import cloud.pinata.revokebot.support.TestJwt;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** LOG_FORMAT=json: every line is one JSON object, and an interaction's outcome has its fields. */
class JsonLogsTest {
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
    void jsonLogFormatWritesOneObjectPerLineWithInteractionFields() throws Exception {
        h = new BotHarness();
        h.pinata.addKey("a1b2c3d4e5f6a7b8c9d0", "ci-deploy", false, "f".repeat(64));
        child = BotProcess.start(h, Map.of("LOG_FORMAT", "json"));
        h.command(ADMIN, CHANNEL, "a1b2c3d4e5f6a7b8c9d0 drill");
        var line = awaitValue("interaction line", () -> interaction(outputOrEmpty()));
        assertEquals("INFO", line.get("level").getAsString());
        var fields = line.get("kvpList").toString();
        for (var expected : new String[] {
            "\"action\":\"command\"",
            "\"outcome\":\"card_posted\"",
            "\"user\":\"" + ADMIN + "\"",
            "\"channel\":\"" + CHANNEL + "\"",
            "\"team\":\""
        }) {
            assertTrue(fields.contains(expected), expected + " in " + fields);
        }
        var output = child.output();
        for (var l : output.split("\n")) {
            if (!l.isBlank()) {
                assertTrue(JsonParser.parseString(l).isJsonObject(), "not JSON: " + l);
            }
        }
        assertFalse(output.contains(TestJwt.bot()), "the JWT is never logged");
    }

    private String outputOrEmpty() {
        try {
            return child.output();
        } catch (IOException e) {
            return "";
        }
    }

    /** The first complete JSON line whose message is "interaction", or null. */
    private static JsonObject interaction(String output) {
        for (var l : output.split("\n")) {
            if (l.contains("\"interaction\"") && l.endsWith("}")) {
                var o = JsonParser.parseString(l).getAsJsonObject();
                if (o.has("kvpList")) {
                    return o;
                }
            }
        }
        return null;
    }
}
