package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.revocation.RevocationService;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.methods.MethodsClient;

import java.util.Map;

/** Builds the Bolt app and registers every listener, in one place. */
public final class SlackApp {
    private SlackApp() {
    }

    /** A Slack client whose Web API calls go to {@code apiUrl} (Slack, or a fake in tests). */
    public static Slack client(String apiUrl) {
        var config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiUrl);
        config.setPrettyResponseLoggingEnabled(false);
        // The SDK's per-token stats call auth.test for every token it sees (the xapp- one too); we need none of it.
        config.setStatsEnabled(false);
        return Slack.getInstance(config);
    }

    /** The Web API client the bot's own calls use (one shared Gson; see {@link SharedGsonMethodsClient}). */
    public static MethodsClient methods(Slack slack, String botToken) {
        return new SharedGsonMethodsClient(slack, botToken);
    }

    /** The card's two buttons by action id: registered with Bolt, and shared with {@link ClickFastPath}. */
    public static Map<String, CardButtonListener> cardButtons(RevocationService service, Jobs jobs) {
        return Map.of(Cards.CONFIRM_ACTION, new CardButtonListener("confirm", service::confirm, jobs),
                Cards.CANCEL_ACTION, new CardButtonListener("cancel", service::cancel, jobs));
    }

    /**
     * The Bolt app, without listeners yet (see {@link #listen}); constructing it calls {@code auth.test}, so a bad
     * token fails start-up. Start-up builds it while the database is still being opened.
     */
    public static App create(Config config, Slack slack) {
        var appConfig = AppConfig.builder()
                .slack(slack)
                .singleTeamBotToken(config.slackBotToken().reveal())
                .signingSecret(config.slackSigningSecret().reveal())
                // Never let SLACK_CLIENT_ID/SECRET in the environment switch Bolt to OAuth mode.
                .clientId(null)
                .clientSecret(null)
                .build();
        return new App(appConfig);
    }

    /** Registers every listener, in one place: the slash command and the card's two buttons. */
    public static void listen(App app, RevocationService service, Jobs jobs, Map<String, CardButtonListener> cardButtons) {
        app.command(RevokeCommandListener.COMMAND, new RevokeCommandListener(service, jobs));
        cardButtons.forEach(app::blockAction);
    }
}
