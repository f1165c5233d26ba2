package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.revocation.AuditRecord;
import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.revocation.Keys;
import java.util.List;

/**
 * Answers to {@code status} and {@code history}, shown to one person. User and Pinata text is clipped and escaped
 * here, once; {@link SlackMessenger} splits the mrkdwn across verbatim section blocks.
 */
public final class Replies {
    private static final int REASON_SHOWN = 80;

    private Replies() {}

    public static String history(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return ":scroll: The audit trail is empty.";
        }
        var sb = new StringBuilder(":scroll: *Last " + records.size() + " audit record"
                + (records.size() == 1 ? "" : "s") + "*, newest first:");
        for (var r : records) {
            sb.append("\n• ").append(Cards.date(r.at())).append(" · ").append(r.action());
            if (r.userId() != null) {
                sb.append(" by <@").append(r.userId()).append('>');
            }
            sb.append(" → *")
                    .append(Mrkdwn.clipped(r.outcome(), Cards.DETAIL_SHOWN))
                    .append('*');
            if (r.apiKey() != null) {
                sb.append(" · key ").append(Mrkdwn.code(Keys.shorten(r.apiKey())));
            }
            if (r.pinataStatus() != null) {
                sb.append(" · HTTP ").append(r.pinataStatus());
            }
            if (r.reason() != null && !r.reason().isBlank()) {
                sb.append(" · _")
                        .append(Mrkdwn.clipped(r.reason().strip(), REASON_SHOWN))
                        .append('_');
            }
        }
        return sb.toString();
    }

    /** The top-level text of {@link #history}: a sentence, without user text. */
    public static String historyFallback(List<AuditRecord> records) {
        return records.isEmpty()
                ? "The audit trail is empty."
                : "The last " + records.size() + " audit record" + (records.size() == 1 ? "" : "s")
                        + " of pinata-revoke-bot, newest first.";
    }

    /** The top-level text of {@link #status}: a sentence, without Pinata text. */
    public static String statusFallback(String apiKey, KeyLookup lookup) {
        var key = Keys.shorten(apiKey);
        if (lookup instanceof KeyLookup.Found found) {
            return "Pinata lists key " + key + " as " + (found.details().revoked() ? "revoked." : "active.");
        }
        if (lookup instanceof KeyLookup.NotListed) {
            return "Pinata does not list key " + key + " among the organisation's keys.";
        }
        return "Pinata could not be asked about key " + key + " just now.";
    }

    public static String status(String apiKey, KeyLookup lookup) {
        var key = Mrkdwn.code(Keys.shorten(apiKey));
        if (lookup instanceof KeyLookup.Found found) {
            var d = found.details();
            var state = d.revoked() ? ":no_entry_sign: *revoked*" : ":large_green_circle: *active*";
            return "Pinata key " + key + " is " + state + ".\n*Name:* " + orDash(d.name()) + "   *Created:* "
                    + orDash(d.createdAt()) + "   *Scopes:* " + orDash(d.scopes());
        }
        if (lookup instanceof KeyLookup.NotListed) {
            return "Pinata does not list " + key + " as an active key of this organisation: a typo, a key of another "
                    + "organisation, or already revoked (Pinata's list of revoked keys does not show it either).";
        }
        var reason = lookup instanceof KeyLookup.Unavailable u ? u.reason() : "unknown";
        return ":warning: I couldn't ask Pinata about " + key + " (" + Mrkdwn.clipped(reason, Cards.DETAIL_SHOWN)
                + "). Try again in a minute.";
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "—" : Mrkdwn.clipped(s, Cards.DETAIL_SHOWN);
    }
}
