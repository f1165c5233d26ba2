package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.revocation.Caller;
import cloud.pinata.revokebot.revocation.Notice;
import cloud.pinata.revokebot.revocation.RevocationService;
import com.slack.api.bolt.context.builtin.MessageShortcutContext;
import com.slack.api.bolt.handler.builtin.MessageShortcutHandler;
import com.slack.api.bolt.request.builtin.MessageShortcutRequest;
import com.slack.api.bolt.response.Response;

/**
 * The message shortcut "Revoke leaked Pinata key" ({@code message_action} payload: team, channel, user, the
 * message with its text and ts, a {@code response_url}): acknowledge at once with an empty 200, then, on the
 * executor, the same flow as the command, the card a reply in the message's thread. Answers to the person go
 * through the payload's {@code response_url} (ephemeral), falling back to {@code chat.postEphemeral}. The message's
 * text is handed to the domain and kept nowhere (the payload's {@code toString} holds it: never logged).
 */
public final class RevokeShortcutListener implements MessageShortcutHandler {
    /** The manifest's {@code shortcuts[].callback_id}. */
    public static final String CALLBACK_ID = "revoke_leaked_pinata_key";

    private final RevocationService service;
    private final Jobs jobs;

    public RevokeShortcutListener(RevocationService service, Jobs jobs) {
        this.service = service;
        this.jobs = jobs;
    }

    @Override
    public Response apply(MessageShortcutRequest req, MessageShortcutContext ctx) {
        var p = req.getPayload();
        var teamId = p.getTeam() == null ? null : p.getTeam().getId();
        var channelId = p.getChannel() == null ? null : p.getChannel().getId();
        var channelName = p.getChannel() == null ? null : p.getChannel().getName();
        var userId = p.getUser() == null ? null : p.getUser().getId();
        var caller = new Caller(teamId, channelId, channelName, userId, p.getResponseUrl());
        var message = p.getMessage();
        var text = message == null || message.getText() == null ? "" : message.getText();
        // A message that is itself a reply: the card joins its thread (a thread_ts must name the thread's parent).
        var thread = message != null && message.getThreadTs() != null
                ? message.getThreadTs()
                : message != null && message.getTs() != null ? message.getTs() : p.getMessageTs();
        if (teamId == null || channelId == null || userId == null) {
            return ctx.ack();
        }
        if (!jobs.submit(caller, "message shortcut", () -> service.startFromMessage(caller, text, thread))) {
            jobs.tell(caller, new Notice.Busy());
        }
        return ctx.ack();
    }
}
