package cloud.pinata.revokebot.slack;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import cloud.pinata.revokebot.revocation.Home;
import cloud.pinata.revokebot.revocation.Keys;
import cloud.pinata.revokebot.revocation.RevocationRequest;
import com.slack.api.model.block.LayoutBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The App Home tab ({@code views.publish}, a view of at most 100 blocks). Links to cards are
 * {@code https://slack.com/archives/<channel>/p<ts without the dot>}: Slack's own message-link form, built without a
 * Web API call ({@code chat.getPermalink} would cost one Tier-3 call per card on every opening of the tab) and
 * opening only for people who may read the channel. No user or Pinata text but escaped, clipped key names.
 */
public final class HomeTab {
    /** "Each view can contain up to 100 blocks" (https://docs.slack.dev/surfaces/app-home). */
    static final int MAX_BLOCKS = 100;

    private HomeTab() {}

    public static List<LayoutBlock> blocks(Home home) {
        var blocks = new ArrayList<LayoutBlock>();
        blocks.add(header(h -> h.text(plainText("Pinata Revoke"))));
        blocks.add(section(
                s -> s.text(Mrkdwn.text("Revokes leaked Pinata API keys after an admin confirms on a card in the "
                        + "channel. Run `/pinata-revoke &lt;key or leaked JWT&gt; [reason]` in an incident channel, or use "
                        + "*More actions → Revoke leaked Pinata key* on the message that holds the leak. Only members of the "
                        + "admin user group can request and confirm; everyone else can ask one of them."))));
        if (!home.admin()) {
            return blocks;
        }
        blocks.add(divider());
        var pending = new StringBuilder("*Waiting for a decision*");
        if (home.pending().isEmpty()) {
            pending.append("\n_Nothing waits in the channels shown here._");
        }
        for (var r : home.pending()) {
            pending.append("\n• ")
                    .append(what(r))
                    .append(", requested by <@")
                    .append(r.requesterId())
                    .append("> in <#")
                    .append(r.channelId())
                    .append(">, expires ")
                    .append(Cards.date(r.expiresAt()))
                    .append(" · <")
                    .append(link(r))
                    .append("|open the card>");
        }
        // Pending work elsewhere is counted, never described: the admin may not be in that channel.
        if (home.pendingElsewhere() > 0) {
            pending.append("\n")
                    .append(home.pendingElsewhere())
                    .append(home.pendingElsewhere() == 1 ? " more request waits" : " more requests wait")
                    .append(" in channels you have not used the bot in; they are not shown here.");
        }
        blocks.addAll(Mrkdwn.sections(pending.toString(), 40));
        blocks.add(divider());
        var outcomes = new StringBuilder("*Latest outcomes*");
        if (home.outcomes().isEmpty()) {
            outcomes.append("\n_None yet in the channels shown here._");
        }
        for (var r : home.outcomes()) {
            outcomes.append("\n• ")
                    .append(Cards.fallback(r))
                    .append(" <#")
                    .append(r.channelId())
                    .append(">")
                    .append(r.cardTs() == null ? "" : " · <" + link(r) + "|card>");
        }
        blocks.addAll(Mrkdwn.sections(outcomes.toString(), 40));
        blocks.add(
                context(
                        c -> c.elements(
                                List.of(
                                        Mrkdwn.text(
                                                "Shown: requests in channels where you have requested or "
                                                        + "decided one, the only channels the bot knows you can read. Ask in the channel for the others.")))));
        return blocks.size() > MAX_BLOCKS ? blocks.subList(0, MAX_BLOCKS) : blocks;
    }

    private static String what(RevocationRequest r) {
        var key = Mrkdwn.code(Keys.shorten(r.apiKey()));
        return r.isBulk()
                ? r.keys().size() + " Pinata API keys"
                : r.fromLeakedJwt() ? "key of a leaked JWT " + key : "key " + key;
    }

    static String link(RevocationRequest r) {
        return "https://slack.com/archives/" + r.channelId() + "/p" + r.cardTs().replace(".", "");
    }
}
