package cloud.pinata.revokebot.slack;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.impl.MethodsClientImpl;
import com.slack.api.util.json.GsonFactory;
import java.io.IOException;
import okhttp3.FormBody;

/**
 * The SDK's Web API client, parsing every response with one shared Gson. The stock client builds a new Gson per
 * response, which bench/ measured at about 40% of the bot's CPU under load (see bench/README.md, finding 1).
 * Only the bot's own calls (card, updates, ephemerals, user groups) go through it; the SDK's stats are off.
 */
final class SharedGsonMethodsClient extends MethodsClientImpl {
    private final Gson gson;
    private final Slack slack;

    SharedGsonMethodsClient(Slack slack, String token) {
        super(slack.getHttpClient(), token);
        this.slack = slack;
        this.gson = GsonFactory.createSnakeCase(slack.getConfig());
        setEndpointUrlPrefix(slack.getConfig().getMethodsEndpointUrlPrefix());
    }

    @Override
    protected <T extends SlackApiTextResponse> T postFormWithTokenAndParseResponse(
            FormBody.Builder form, String methodName, String token, Class<T> clazz)
            throws IOException, SlackApiException {
        try (var response = runPostFormWithToken(form, methodName, token)) {
            var body = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                throw new SlackApiException(slack.getConfig(), response, body);
            }
            return gson.fromJson(body, clazz);
        }
    }
}
