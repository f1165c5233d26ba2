package cloud.pinata.revokebot.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.Config;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/** What doctor and audit print is scrubbed of every secret variable the configuration knows. */
class RedactorTest {

    @Test
    void everySecretVariableIsScrubbedIncludingTheMetricsToken() {
        var env = new HashMap<String, String>();
        for (var name : Config.SECRET_VARIABLES) {
            env.put(name, "value-of-" + name.toLowerCase() + "-1234567");
        }
        var redactor = new Redactor(env);
        for (var name : Config.SECRET_VARIABLES) {
            var line = redactor.clean("failed with " + env.get(name) + " in it");
            assertFalse(line.contains(env.get(name)), name + " leaked: " + line);
            assertTrue(line.startsWith("failed with "), line);
        }
        assertTrue(Config.SECRET_VARIABLES.contains("METRICS_TOKEN"), "the bearer token for /metrics is a secret too");
    }
}
