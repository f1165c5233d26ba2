package cloud.pinata.revokebot.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.support.TestJwt;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code SLACK_APP_TOKEN}: Socket Mode on when set, validated as xapp-…, and then the signing secret is optional. */
class SocketModeConfigTest {
    static final String APP_TOKEN = "xapp-1-A0APP-1234567890-5ec7e7a99t0k3n5ec7e7";
    static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

    private static Map<String, String> env(String appToken, String signingSecret) {
        var env = new HashMap<String, String>();
        env.put("SLACK_BOT_TOKEN", "xoxb-1111-2222-s3cr3tB0tT0k3n");
        env.put("PINATA_ADMIN_JWT", TestJwt.bot());
        env.put("ADMIN_USERGROUPS", "S0ADMINS");
        if (appToken != null) {
            env.put("SLACK_APP_TOKEN", appToken);
        }
        if (signingSecret != null) {
            env.put("SLACK_SIGNING_SECRET", signingSecret);
        }
        return env;
    }

    @Test
    void noAppTokenMeansNoSocketMode() {
        var config = Config.fromEnvironment(env(null, SIGNING_SECRET));
        assertEquals(Optional.empty(), config.slackAppToken());
    }

    @Test
    void blankAppTokenMeansNoSocketMode() {
        var config = Config.fromEnvironment(env("  ", SIGNING_SECRET));
        assertEquals(Optional.empty(), config.slackAppToken());
    }

    @Test
    void readsAppTokenAndKeepsAGivenSigningSecret() {
        var config = Config.fromEnvironment(env(" " + APP_TOKEN + " ", SIGNING_SECRET));
        assertEquals(APP_TOKEN, config.slackAppToken().orElseThrow().reveal());
        assertEquals(SIGNING_SECRET, config.slackSigningSecret().reveal());
    }

    @Test
    void signingSecretIsOptionalWithAnAppToken() {
        var config = Config.fromEnvironment(env(APP_TOKEN, null));
        assertTrue(config.slackAppToken().isPresent());
    }

    @Test
    void withoutSigningSecretHttpRequestsAreCheckedAgainstAnUnguessableSecret() {
        var a = Config.fromEnvironment(env(APP_TOKEN, null))
                .slackSigningSecret()
                .reveal();
        var b = Config.fromEnvironment(env(APP_TOKEN, "")).slackSigningSecret().reveal();
        // Bolt's fallback for a missing secret is the public string "---"; ours must be long, random and per process.
        assertNotEquals("---", a);
        assertTrue(a.length() >= 64, a);
        assertNotEquals(a, b, "a fresh random secret each time, never a constant");
    }

    @Test
    void signingSecretIsStillRequiredWithoutAnAppToken() {
        var e = assertThrows(ConfigException.class, () -> Config.fromEnvironment(env(null, null)));
        assertEquals(List.of("SLACK_SIGNING_SECRET is required"), e.problems());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "xoxb-1111-2222-s3cr3tB0tT0k3n",
                "xoxp-1111-2222-userT0k3n",
                "1-A0APP-1234567890-abc",
                "XAPP-1-A0APP-1"
            })
    void refusesAnAppTokenThatIsNotXappWithoutEchoingIt(String value) {
        var e = assertThrows(ConfigException.class, () -> Config.fromEnvironment(env(value, SIGNING_SECRET)));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(
                e.problems().get(0).startsWith("SLACK_APP_TOKEN must be an app-level token starting with xapp-"),
                e.getMessage());
        assertFalse(e.getMessage().contains(value), e.getMessage());
    }

    @Test
    void toStringNeverContainsTheAppTokenOrTheRandomSecret() {
        var config = Config.fromEnvironment(env(APP_TOKEN, null));
        var text = config.toString();
        assertFalse(text.contains(APP_TOKEN), text);
        assertFalse(text.contains(config.slackSigningSecret().reveal()), text);
    }
}
