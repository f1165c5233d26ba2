package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.revocation.AuditEvent;
import cloud.pinata.revokebot.revocation.Command;
import cloud.pinata.revokebot.revocation.Keys;
import cloud.pinata.revokebot.revocation.Notice;
import cloud.pinata.revokebot.revocation.Policy;
import cloud.pinata.revokebot.revocation.RevocationRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every sentence the bot says to one person (and the notes it posts in a channel), in Slack mrkdwn. Only fixed
 * text, IDs and validated keys go in. A literal {@code <} or {@code >} is written {@code &lt;} / {@code &gt;}: raw,
 * Slack reads it as a control sequence.
 */
public final class Notices implements Notice.Renderer<String> {
    /** Renders any {@link Notice} as mrkdwn. */
    public static final Notices TEXT = new Notices();

    /** Slack's answers when the workspace's plan has no user groups (a free workspace says either). */
    public static final Set<String> PAID_PLAN_ONLY = Set.of("plan_upgrade_required", "paid_teams_only");

    private Notices() {}

    public static String text(Notice notice) {
        return notice.render(TEXT);
    }

    // --- answered in the acknowledgement ---------------------------------------------------------------------

    public static String usage() {
        return """
                *Usage:* `/pinata-revoke &lt;key&gt; [reason…]`
                Revokes a leaked Pinata API key after an admin confirms on a card in this channel.
                • `&lt;key&gt;`: the key's *public* id, 8–40 hex characters (for example `a1b2c3d4e5f6a7b8c9d0`), or the *leaked JWT* itself if that is all you have: the bot reads the key from it, never shows or stores it, and checks after the revoke that Pinata refuses it. Never paste a key's 64-hex secret.
                • `[reason…]`: optional; shown on the card and kept in the audit trail.
                *Also:*
                • `/pinata-revoke --dry-run &lt;key&gt; [reason…]`: every check and the card, but confirming revokes nothing.
                • `/pinata-revoke status &lt;key&gt;`: what Pinata says about a key right now.
                • `/pinata-revoke history [N]`: the last N audit records of this channel (default 10, at most 50), only for you.
                • `/pinata-revoke help`: this text.
                Only members of the configured admin user groups can request, confirm, or use `status` and `history`.""";
    }

    public static String invalid(String problem) {
        return ":warning: That doesn't look like a Pinata API key: " + problem + ".\n\n" + usage();
    }

    public static String secretPasted(String kind) {
        return ":rotating_light: That looks like a *" + kind
                + "*, which is a secret. I did not store, log or send it anywhere.\n"
                + "Treat it as leaked: revoke its key with `/pinata-revoke &lt;public key&gt;` and create a new one. "
                + "If you pasted it anywhere else, delete that message too.";
    }

    public static String unusableJwt(String problem) {
        return ":rotating_light: That looks like a leaked Pinata *JWT*, but " + problem
                + ", so I cannot tell which key "
                + "to revoke. I did not store, log or send it anywhere.\n"
                + "Treat it as leaked: paste the whole JWT in one piece (`/pinata-revoke eyJ… [reason]`), or revoke its key "
                + "with `/pinata-revoke &lt;public key&gt;`. If you pasted it anywhere else, delete that message too.";
    }

    public static String checking(Command.Revoke command) {
        var what = command.leakedJwt() != null
                ? "the key of the leaked JWT, `" + Keys.shorten(command.apiKey()) + "`"
                : command.apiKeys().size() == 1
                        ? "`" + Keys.shorten(command.apiKey()) + "`"
                        : command.apiKeys().size() + " keys";
        return ":mag: Checking your request to revoke " + what + (command.dryRun() ? " (dry run)" : "") + "…";
    }

    // --- the domain's notices --------------------------------------------------------------------------------

    @Override
    public String channelNotAllowed(List<String> allowedChannels) {
        var where = allowedChannels.stream()
                .map(e -> Policy.looksLikeChannelId(e) ? "<#" + e + ">" : "`#" + e + "…`")
                .collect(Collectors.joining(", "));
        return ":no_entry: `/pinata-revoke` is not enabled in this channel. Use it in: " + where + ".";
    }

    @Override
    public String notAdmin() {
        return ":no_entry: Only members of the Pinata admin user group can revoke keys. "
                + "Ask one of them to run the command or confirm the card.";
    }

    @Override
    public String adminCheckFailed(String error) {
        var code = AuditEvent.safeCode(error);
        if (PAID_PLAN_ONLY.contains(error)) {
            return ":warning: I couldn't verify that you are in the admin user group: this Slack workspace's plan has no "
                    + "user groups (Slack said `" + code + "`), so nobody can be let through. Whoever runs the bot: "
                    + "user groups need a paid Slack plan; see the README's Troubleshooting.";
        }
        return ":warning: I couldn't verify that you are in the admin user group (Slack said `" + code
                + "`), so I'm not letting this through. Try again in a minute; if it keeps happening, ask whoever runs "
                + "the bot to check the `usergroups:read` scope and `ADMIN_USERGROUPS`.";
    }

    @Override
    public String selfKey() {
        return ":no_entry: That is the bot's own Pinata key; revoking it would switch the bot off. "
                + "If it leaked, rotate it in the Pinata dashboard and update `PINATA_ADMIN_JWT`.";
    }

    @Override
    public String alreadyRevoked(List<String> apiKeys) {
        return ":information_source: Pinata already lists " + shown(apiKeys) + " as revoked. Nothing to do.";
    }

    /**
     * Refused before the card: no complete, fresh listing shows these keys active (Pinata would answer 200 to any
     * string, so a revoke call could prove nothing). Says which ones Pinata's V3 list shows as revoked.
     */
    @Override
    public String notActiveKeys(List<String> notActive, List<String> revoked) {
        var sb = new StringBuilder();
        if (!notActive.isEmpty()) {
            // In full: a shortened id would hide the typo.
            sb.append(":mag: ")
                    .append(notActive.stream().map(k -> "`" + k + "`").collect(Collectors.joining(", ")))
                    .append(notActive.size() == 1 ? " is" : " are")
                    .append(
                            " not an active key of this Pinata organisation. Is it a typo, a key of another organisation, ")
                    .append("or a key that is already revoked? Check the public key id (20 hex characters in the ")
                    .append("Pinata dashboard under API Keys) and run the command again. Nothing was sent to Pinata.");
        }
        if (!revoked.isEmpty()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(":information_source: Pinata already lists ")
                    .append(shown(revoked))
                    .append(" as revoked.");
        }
        return sb.toString();
    }

    @Override
    public String cardNotPosted(String error, boolean directMessage) {
        if ("channel_not_found".equals(error) && directMessage) {
            // No bot can post into a conversation between users, and nobody can invite it there.
            return ":warning: I can't post the confirmation card in a direct message between people. "
                    + "Run `/pinata-revoke` in a channel (for example the incident channel) instead. Nothing was revoked.";
        }
        if ("not_in_channel".equals(error) || "channel_not_found".equals(error)) {
            return ":warning: I can't post in this channel (Slack said `" + error + "`). "
                    + "Invite me with `/invite @pinata-revoke` and run the command again. Nothing was revoked.";
        }
        return ":warning: I couldn't post the confirmation card (Slack said `" + AuditEvent.safeCode(error)
                + "`). Nothing was revoked; please try again.";
    }

    @Override
    public String unknownRequest() {
        return ":question: I don't recognise this request. It may come from another workspace or channel, or be damaged. "
                + "Nothing was changed; run `/pinata-revoke` again if needed.";
    }

    @Override
    public String alreadyDecided(RevocationRequest r) {
        var who = r.decidedBy() == null ? "" : " by <@" + r.decidedBy() + ">";
        return switch (r.state()) {
            case REVOKING -> ":hourglass_flowing_sand: This request is already being handled" + who + ".";
            case REVOKED -> ":white_check_mark: This key was already revoked" + who + ".";
            case FAILED ->
                ":x: This request already ended (the revocation failed). Run `/pinata-revoke` again to retry.";
            case CANCELLED -> ":no_entry_sign: This request was already cancelled" + who + ".";
            case DRY_RUN_CONFIRMED -> ":test_tube: This dry run was already confirmed" + who + "; nothing was revoked.";
            case EXPIRED ->
                ":hourglass: This request has expired. Run `/pinata-revoke` again if the key still needs revoking.";
            case PENDING -> ":hourglass_flowing_sand: This request is still waiting for a decision.";
        };
    }

    @Override
    public String expired() {
        return ":hourglass: This request has expired, so nothing was revoked. Run `/pinata-revoke` again if the key still needs revoking.";
    }

    @Override
    public String secondAdminRequired() {
        return ":busts_in_silhouette: Two-person rule: another admin must confirm the revocation you requested.";
    }

    @Override
    public String staleCard() {
        return ":warning: That is an old copy of this request's card. Nothing was changed; use the buttons on the current "
                + "card in this channel.";
    }

    @Override
    public String waitingOnPinata(String apiKey, Duration delay, boolean rateLimited) {
        var why = rateLimited ? "Pinata's rate limit (Pinata asked the bot to wait)" : "Pinata, which did not answer";
        return ":hourglass_flowing_sand: Revoking `" + Keys.shorten(apiKey) + "` is waiting on " + why
                + ": next try in " + Math.max(1, delay.toSeconds()) + " s. Nothing to do yet; the result follows here.";
    }

    @Override
    public String lateRevoked(String apiKey) {
        return ":white_check_mark: Update on `" + Keys.shorten(apiKey) + "`: Pinata's answer arrived after the request "
                + "was settled, and Pinata no longer lists the key as active. It *is* revoked.";
    }

    @Override
    public String busy() {
        return ":warning: The bot is overloaded right now and did not start your request. Please try again in a minute.";
    }

    @Override
    public String internalError(String what) {
        return ":boom: Something went wrong inside the bot while handling this (" + what
                + "). It has been logged. Nothing was revoked unless a result message says so.";
    }

    private static String shown(List<String> keys) {
        return keys.stream().map(k -> "`" + Keys.shorten(k) + "`").collect(Collectors.joining(", "));
    }

    @Override
    public String nothingInMessage(String unusableJwt, boolean unmappedSecret) {
        if (unusableJwt != null) {
            return ":rotating_light: This message holds what looks like a leaked Pinata *JWT*, but " + unusableJwt
                    + ", so I cannot tell which key to revoke. Delete the message, and revoke the key with "
                    + "`/pinata-revoke &lt;public key&gt;`.";
        }
        if (unmappedSecret) {
            return ":rotating_light: This message holds what looks like a Pinata *API secret*, which cannot be mapped to "
                    + "its key. Delete the message, and revoke the key with `/pinata-revoke &lt;public key&gt;`.";
        }
        return ":mag: I found no Pinata key or JWT in this message (a key id is 20 hexadecimal characters; a JWT "
                + "starts with `eyJ`). Nothing was done.";
    }

    @Override
    public String deleteTheMessage(boolean holdsASecret) {
        return ":wastebasket: The card is in the message's thread. "
                + (holdsASecret
                        ? "The message *still holds the secret*: delete it (or ask its author to). "
                        : "If the message holds a secret, delete it (or ask its author to). ")
                + "The bot cannot delete another person's message, and deleting does not un-leak it: the revoke does.";
    }
}
