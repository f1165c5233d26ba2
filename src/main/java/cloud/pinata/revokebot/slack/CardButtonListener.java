package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.revocation.Caller;
import cloud.pinata.revokebot.revocation.Click;
import cloud.pinata.revokebot.revocation.Messages;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.handler.builtin.BlockActionHandler;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.function.Consumer;

/** A click on the card's Revoke or Cancel button: acknowledge at once, decide on the executor. */
public final class CardButtonListener implements BlockActionHandler {
    private static final Logger log = LoggerFactory.getLogger(CardButtonListener.class);

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
        var p = req.getPayload();
        var teamId = p.getTeam() == null ? null : p.getTeam().getId();
        var channelId = p.getChannel() == null ? null : p.getChannel().getId();
        var channelName = p.getChannel() == null ? null : p.getChannel().getName();
        var userId = p.getUser() == null ? null : p.getUser().getId();
        var value = p.getActions() == null || p.getActions().isEmpty() ? null : p.getActions().get(0).getValue();
        var messageTs = p.getContainer() == null ? null : p.getContainer().getMessageTs();
        var clicker = new Caller(teamId, channelId, channelName, userId, p.getResponseUrl());
        var click = new Click(clicker, value, messageTs);
        if (!jobs.submit(clicker, what, () -> action.accept(click))) {
            try {
                ctx.respond(r -> r.responseType("ephemeral").replaceOriginal(false).text(Messages.busy()));
            } catch (IOException e) {
                log.warn("Could not tell {} the bot is busy", userId);
            }
        }
        return ctx.ack();
    }
}
