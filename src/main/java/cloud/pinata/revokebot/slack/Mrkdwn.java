package cloud.pinata.revokebot.slack;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Escaping for Slack mrkdwn: {@code &}, {@code <} and {@code >} are the only control characters, and escaping them
 * stops user text from forming mentions ({@code <!channel>}, {@code <@U…>}) or links.
 * See https://docs.slack.dev/messaging/formatting-message-text#escaping
 * <p>
 * Input arrives already decoded ({@code CommandParser} undoes Slack's escaping once), so each piece of user or
 * Pinata text is escaped here exactly once, and only inside text objects built by {@link #text}, which say
 * {@code verbatim: true}: without it Slack auto-links a typed {@code @channel}, {@code #channel} or URL.
 */
public final class Mrkdwn {
    /** A section's text: "Maximum length for the text in this field is 3000 characters" (section block reference). */
    public static final int SECTION_LIMIT = 3000;

    private Mrkdwn() {}

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        var out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Escaped text that cannot break out of an inline code span. */
    public static String code(String text) {
        return "`" + escape(text).replace('`', '\'') + "`";
    }

    /** User or Pinata text cut to at most {@code max} code points (with "…"), then escaped: its length is bounded. */
    public static String clipped(String text, int max) {
        if (text == null) {
            return "";
        }
        if (text.codePointCount(0, text.length()) > max) {
            text = text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
        }
        return escape(text);
    }

    /**
     * A mrkdwn text object with {@code verbatim: true}: Slack does not auto-parse it, so only the bot's own explicit
     * {@code <@U…>}, {@code <!date…>} and {@code <!subteam^…>} sequences become mentions or dates.
     * See https://docs.slack.dev/reference/block-kit/composition-objects/text-object
     */
    public static MarkdownTextObject text(String mrkdwn) {
        return MarkdownTextObject.builder().text(mrkdwn).verbatim(true).build();
    }

    /**
     * Mrkdwn of any length as section blocks of at most {@link #SECTION_LIMIT} characters each, split between lines
     * (or, for one over-long line, where no escape, control sequence or character pair is cut), at most
     * {@code maxBlocks} of them; what would not fit ends with a line saying so.
     */
    public static List<LayoutBlock> sections(String mrkdwn, int maxBlocks) {
        var chunks = new ArrayList<String>();
        var current = new StringBuilder();
        for (var line : mrkdwn.split("\n", -1)) {
            for (var piece : pieces(line)) {
                if (current.length() > 0 && current.length() + 1 + piece.length() > SECTION_LIMIT) {
                    chunks.add(current.toString());
                    current.setLength(0);
                }
                if (current.length() > 0) {
                    current.append('\n');
                }
                current.append(piece);
            }
        }
        if (!current.toString().isBlank()) {
            chunks.add(current.toString());
        }
        if (chunks.size() > maxBlocks) {
            var shown = new ArrayList<>(chunks.subList(0, maxBlocks - 1));
            shown.add("_…and more, not shown: a Slack message holds at most " + maxBlocks + " parts._");
            chunks = shown;
        }
        var blocks = new ArrayList<LayoutBlock>();
        for (var chunk : chunks) {
            if (!chunk.isBlank()) {
                blocks.add(SectionBlock.builder().text(text(chunk)).build());
            }
        }
        return blocks;
    }

    /** One line as pieces of at most {@link #SECTION_LIMIT}; nearly always the line itself. */
    private static List<String> pieces(String line) {
        var out = new ArrayList<String>();
        var rest = line;
        while (rest.length() > SECTION_LIMIT) {
            int cut = safeCut(rest, SECTION_LIMIT);
            out.add(rest.substring(0, cut));
            rest = rest.substring(cut);
        }
        out.add(rest);
        return out;
    }

    /** The last position at or before {@code max} that is outside an entity, a {@code <…>} sequence and a surrogate pair. */
    private static int safeCut(String s, int max) {
        int cut = max;
        int amp = s.lastIndexOf('&', cut - 1);
        if (amp >= 0 && amp > cut - 6 && s.indexOf(';', amp) >= cut) {
            cut = amp;
        }
        int open = s.lastIndexOf('<', cut - 1);
        if (open >= 0 && s.indexOf('>', open) >= cut && open > 0) {
            cut = open;
        }
        if (Character.isLowSurrogate(s.charAt(cut))) {
            cut--;
        }
        return cut > 0 ? cut : max;
    }
}
