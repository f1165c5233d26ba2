package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.revocation.Caller;
import cloud.pinata.revokebot.revocation.Click;
import cloud.pinata.revokebot.revocation.Notice;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.handler.builtin.BlockActionHandler;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import java.util.function.Consumer;

/** A click on the card's Revoke or Cancel button: acknowledge at once, decide on the executor. */
public final class CardButtonListener implements BlockActionHandler {
    private final String what;
    private final Consumer<Click> action;
    private final Jobs jobs;

    /** {@code action} receives the click: clicker, the button's value (the opaque request id) and the card's ts. */
    public CardButtonListener(String what, Consumer<Click> action, Jobs jobs) {
        this.what = what;
        this.action = action;
        this.jobs = jobs;
    }

    @Override
    public Response apply(BlockActionRequest req, ActionContext ctx) {
        accept(req.getPayload());
        return ctx.ack();
    }

    /**
     * The click itself, for Bolt (Socket Mode, and any click {@link ClickFastPath} leaves to Bolt) and for the HTTP
     * fast path alike: hands it to the executor, or tells the clicker the bot is busy. The caller acks.
     */
    public void accept(BlockActionPayload p) {
        var teamId = p.getTeam() == null ? null : p.getTeam().getId();
        var channelId = p.getChannel() == null ? null : p.getChannel().getId();
        var channelName = p.getChannel() == null ? null : p.getChannel().getName();
        var userId = p.getUser() == null ? null : p.getUser().getId();
        var value = p.getActions() == null || p.getActions().isEmpty()
                ? null
                : p.getActions().get(0).getValue();
        var messageTs = p.getContainer() == null ? null : p.getContainer().getMessageTs();
        var clicker = new Caller(teamId, channelId, channelName, userId, p.getResponseUrl());
        var click = new Click(clicker, value, messageTs);
        if (!jobs.submit(clicker, what, () -> action.accept(click))) {
            jobs.tell(clicker, new Notice.Busy());
        }
    }
}
