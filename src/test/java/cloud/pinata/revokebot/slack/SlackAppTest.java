package cloud.pinata.revokebot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.support.BotHarness;
import com.slack.api.methods.response.auth.AuthTestResponse;
import org.junit.jupiter.api.Test;

/** The Bolt app never asks auth.test itself: start-up did (SlackAuth), and its good answer is kept for good. */
class SlackAppTest {

    @Test
    void boltStartsWithoutCallingAuthTestAndKeepsTheGoodAnswerPermanently() throws Exception {
        try (var h = new BotHarness()) {
            var config = Config.fromEnvironment(h.environment());
            var good = new AuthTestResponse();
            good.setOk(true);
            good.setTeamId("T0TEAM");
            good.setUserId("UBOT");

            var app = SlackApp.create(config, SlackApp.client(h.slack.apiUrl()), good);
            app.start();

            assertTrue(h.slack.calls("auth.test").isEmpty(), "Bolt called auth.test: " + h.slack.calls());
            // Negative: Bolt's SingleTeamAuthorization never re-asks, so it can never cache a failed answer
            // (its default, 10 minutes, would answer every request 401 after one failed re-check).
            assertEquals(-1, app.config().getAuthTestCacheExpirationMillis());
            app.stop();
        }
    }
}
