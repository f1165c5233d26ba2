package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.revocation.Caller;
import cloud.pinata.revokebot.revocation.Command;
import cloud.pinata.revokebot.revocation.CommandParser;
import cloud.pinata.revokebot.revocation.Notice;
import cloud.pinata.revokebot.revocation.RevocationService;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.handler.builtin.SlashCommandHandler;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;

/** {@code /pinata-revoke}: parse, acknowledge at once, and hand the slow part to {@link Jobs}. */
public final class RevokeCommandListener implements SlashCommandHandler {
    public static final String COMMAND = "/pinata-revoke";

    private final RevocationService service;
    private final Jobs jobs;

    public RevokeCommandListener(RevocationService service, Jobs jobs) {
        this.service = service;
        this.jobs = jobs;
    }

    @Override
    public Response apply(SlashCommandRequest req, SlashCommandContext ctx) {
        var p = req.getPayload();
        var caller = new Caller(p.getTeamId(), p.getChannelId(), p.getChannelName(), p.getUserId(), p.getResponseUrl());
        var command = CommandParser.parse(p.getText());
        if (command instanceof Command.Revoke revoke) {
            if (!jobs.submit(caller, "revoke command", () -> service.startRevocation(caller, revoke))) {
                return ack(ctx, Notices.text(new Notice.Busy()));
            }
            return ack(ctx, Notices.checking(revoke));
        }
        if (command instanceof Command.History || command instanceof Command.Status) {
            if (!jobs.submit(caller, "query", () -> service.answerQuery(caller, command))) {
                return ack(ctx, Notices.text(new Notice.Busy()));
            }
            return ctx.ack();
        }
        var answer = command instanceof Command.SecretPasted s
                ? Notices.secretPasted(s.kind())
                : command instanceof Command.UnusableJwt u
                        ? Notices.unusableJwt(u.problem())
                        : command instanceof Command.Invalid i ? Notices.invalid(i.problem()) : Notices.usage();
        if (!jobs.submit(caller, "audit", () -> service.recordAnsweredCommand(caller, command))) {
            service.recordAnsweredCommand(caller, command);
        }
        return ack(ctx, answer);
    }

    /** The ack's own message, said explicitly to be only for the caller (the default today, but said). */
    private static Response ack(SlashCommandContext ctx, String mrkdwn) {
        return ctx.ack(r -> r.responseType("ephemeral").text(mrkdwn));
    }
}
