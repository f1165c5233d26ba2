package cloud.pinata.revokebot.slack;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.util.json.GsonFactory;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Clicks on the card's two buttons, over HTTP, parsed with one shared Gson. Bolt's {@code BlockActionRequest}
 * builds a new Gson for every click, which then reflects over the whole payload type graph again: about 1 ms of
 * CPU on the ack path, and under load the Jetty threads queue on the class loader's locks behind it (bench/README.md,
 * finding 1). The signature has been checked before this runs; the listener is the very one Bolt dispatches to
 * (Socket Mode still goes through Bolt), and every check that matters (team, channel, clicker, admin group,
 * state) is made by the revocation service on the worker, whichever way the click came in. Anything that is not
 * exactly a {@code block_actions} click on one of our action ids is left to Bolt.
 */
public final class ClickFastPath {
    private static final Gson GSON = GsonFactory.createSnakeCase();
    private static final String FIELD = "payload=";

    private final Map<String, CardButtonListener> listeners;

    public ClickFastPath(Map<String, CardButtonListener> listeners) {
        this.listeners = Map.copyOf(listeners);
    }

    /** True when the click was handed over (the caller acks it with an empty 200); false leaves the request to Bolt. */
    public boolean handle(String formBody) {
        // Slack posts interactions as a single form field; anything else is Bolt's to judge.
        if (formBody == null || !formBody.startsWith(FIELD) || formBody.indexOf('&') >= 0) {
            return false;
        }
        BlockActionPayload payload;
        try {
            var json = GSON.fromJson(
                    URLDecoder.decode(formBody.substring(FIELD.length()), StandardCharsets.UTF_8), JsonElement.class);
            // The type must be read from the JSON: BlockActionPayload.getType() always answers "block_actions".
            if (json == null
                    || !json.isJsonObject()
                    || !json.getAsJsonObject().has("type")
                    || !"block_actions"
                            .equals(json.getAsJsonObject().get("type").getAsString())) {
                return false;
            }
            payload = GSON.fromJson(json, BlockActionPayload.class);
        } catch (RuntimeException e) {
            return false;
        }
        // Bolt dispatches a click with exactly one action; the same here.
        if (payload == null
                || payload.getActions() == null
                || payload.getActions().size() != 1
                || payload.getActions().get(0) == null
                || payload.getActions().get(0).getActionId() == null
                // Every real click names its team, clicker and channel; one that does not is not Slack's.
                || payload.getTeam() == null
                || blank(payload.getTeam().getId())
                || payload.getUser() == null
                || blank(payload.getUser().getId())
                || payload.getChannel() == null
                || blank(payload.getChannel().getId())) {
            return false;
        }
        var listener = listeners.get(payload.getActions().get(0).getActionId());
        if (listener == null) {
            return false;
        }
        listener.accept(payload);
        return true;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
