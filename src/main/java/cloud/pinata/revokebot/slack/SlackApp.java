package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.revocation.RevocationService;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.app_backend.SlackSignature;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.builtin.IgnoringSelfEvents;
import com.slack.api.bolt.middleware.builtin.RequestVerification;
import com.slack.api.bolt.middleware.builtin.SSLCheck;
import com.slack.api.bolt.middleware.builtin.SingleTeamAuthorization;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.auth.AuthTestResponse;
import java.util.ArrayList;
import java.util.Map;

/** Builds the Bolt app and registers every listener, in one place. */
public final class SlackApp {
    private SlackApp() {}

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
        return Map.of(
                Cards.CONFIRM_ACTION,
                new CardButtonListener("confirm", service::confirm, jobs),
                Cards.CANCEL_ACTION,
                new CardButtonListener("cancel", service::cancel, jobs));
    }

    /**
     * The Bolt app, without listeners yet (see {@link #listen}), for a token {@code auth} proved good
     * ({@link SlackAuth#await}).
     * <p>
     * The middleware list is Bolt's default one (ssl_check, signature, single-team authorization, ignoring the bot's
     * own events), built here so that Bolt neither calls {@code auth.test} again at start nor keeps re-calling it:
     * its {@code SingleTeamAuthorization} caches whatever {@code auth.test} answered, a failure too, for
     * {@code authTestCacheExpirationMillis} (10 minutes), and every request meanwhile gets 401. Given the good answer
     * and a permanent cache (-1), it keeps that answer and never caches a failure.
     */
    public static App create(Config config, Slack slack, AuthTestResponse auth) {
        var appConfig = AppConfig.builder()
                .slack(slack)
                .singleTeamBotToken(config.slackBotToken().reveal())
                .signingSecret(config.slackSigningSecret().reveal())
                // Never let SLACK_CLIENT_ID/SECRET in the environment switch Bolt to OAuth mode.
                .clientId(null)
                .clientSecret(null)
                .authTestCacheExpirationMillis(-1)
                .build();
        var middleware = new ArrayList<Middleware>();
        middleware.add(new SSLCheck(appConfig.getVerificationToken()));
        middleware.add(new RequestVerification(
                new SlackSignature.Verifier(new SlackSignature.Generator(appConfig.getSigningSecret()))));
        middleware.add(new SingleTeamAuthorization(appConfig, auth, null));
        middleware.add(
                new IgnoringSelfEvents(slack.getConfig(), appConfig.isIgnoringSelfAssistantMessageEventsEnabled()));
        var app = new App(appConfig, slack, middleware);
        // As App(AppConfig) does: no OAuth install or redirect paths.
        app.asOAuthApp(false);
        return app;
    }

    /** Registers every listener, in one place: the slash command, the message shortcut and the card's two buttons. */
    public static void listen(
            App app, RevocationService service, Jobs jobs, Map<String, CardButtonListener> cardButtons) {
        app.command(RevokeCommandListener.COMMAND, new RevokeCommandListener(service, jobs));
        app.messageShortcut(RevokeShortcutListener.CALLBACK_ID, new RevokeShortcutListener(service, jobs));
        // The Home tab: published on every opening (tab "home" only; the Messages tab opens the same event).
        app.event(com.slack.api.model.event.AppHomeOpenedEvent.class, (payload, ctx) -> {
            var event = payload.getEvent();
            var teamId = payload.getTeamId();
            if (event != null && "home".equals(event.getTab()) && event.getUser() != null && teamId != null) {
                var who = new cloud.pinata.revokebot.revocation.Caller(
                        teamId, event.getChannel(), null, event.getUser(), null);
                jobs.submit(who, "app home", () -> service.showHome(teamId, event.getUser()));
            }
            return ctx.ack();
        });
        cardButtons.forEach(app::blockAction);
    }
}
