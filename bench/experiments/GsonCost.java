import com.google.gson.Gson;
import com.slack.api.SlackConfig;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse;
import com.slack.api.util.json.GsonFactory;

/**
 * What the Slack SDK does per Web API response (a new Gson from GsonFactory, then fromJson) versus one Gson reused.
 * Run against the bot's jar: java -cp target/pinata-revoke-bot.jar:bench/out-exp GsonCost   (see bench/README.md)
 */
public class GsonCost {
    static final String POST = "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000001\"}";
    static final String UPDATE = "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000001\"}";
    static final String GROUP = "{\"ok\":true,\"users\":[\"U0ADMIN1\",\"U0ADMIN2\"]}";

    public static void main(String[] args) {
        var config = new SlackConfig();
        config.setPrettyResponseLoggingEnabled(false);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        for (int pass = 0; pass < 3; pass++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                GsonFactory.createSnakeCase(config).fromJson(POST, ChatPostMessageResponse.class);
                GsonFactory.createSnakeCase(config).fromJson(UPDATE, ChatUpdateResponse.class);
                GsonFactory.createSnakeCase(config).fromJson(GROUP, UsergroupsUsersListResponse.class);
            }
            long t1 = System.nanoTime();
            Gson shared = GsonFactory.createSnakeCase(config);
            for (int i = 0; i < rounds; i++) {
                shared.fromJson(POST, ChatPostMessageResponse.class);
                shared.fromJson(UPDATE, ChatUpdateResponse.class);
                shared.fromJson(GROUP, UsergroupsUsersListResponse.class);
            }
            long t2 = System.nanoTime();
            System.out.printf("pass %d: new Gson per response %.3f ms/response, one shared Gson %.4f ms/response%n", pass + 1,
                    (t1 - t0) / 1e6 / (3.0 * rounds), (t2 - t1) / 1e6 / (3.0 * rounds));
        }
    }
}
