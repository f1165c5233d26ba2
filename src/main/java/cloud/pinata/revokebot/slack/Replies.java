package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.revocation.AuditRecord;
import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.revocation.Keys;

import java.util.List;

/** Answers to {@code status} and {@code history}, shown to one person. User and Pinata text is escaped here. */
public final class Replies {
    private static final int REASON_SHOWN = 80;

    private Replies() {
    }

    public static String history(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return ":scroll: The audit trail is empty.";
        }
        var sb = new StringBuilder(":scroll: *Last " + records.size() + " audit record" + (records.size() == 1 ? "" : "s")
                + "*, newest first:");
        for (var r : records) {
            sb.append("\n• ").append(Cards.date(r.at())).append(" · ").append(r.action());
            if (r.userId() != null) {
                sb.append(" by <@").append(r.userId()).append('>');
            }
            sb.append(" → *").append(Mrkdwn.escape(r.outcome())).append('*');
            if (r.apiKey() != null) {
                sb.append(" · key ").append(Mrkdwn.code(Keys.shorten(r.apiKey())));
            }
            if (r.pinataStatus() != null) {
                sb.append(" · HTTP ").append(r.pinataStatus());
            }
            if (r.reason() != null && !r.reason().isBlank()) {
                var reason = r.reason().length() > REASON_SHOWN ? r.reason().substring(0, REASON_SHOWN) + "…" : r.reason();
                sb.append(" · _").append(Mrkdwn.escape(reason)).append('_');
            }
        }
        return sb.toString();
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
        return ":warning: I couldn't ask Pinata about " + key + " (" + Mrkdwn.escape(reason) + "). Try again in a minute.";
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "—" : Mrkdwn.escape(s);
    }
}
