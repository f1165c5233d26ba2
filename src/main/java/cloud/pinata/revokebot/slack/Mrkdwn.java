package cloud.pinata.revokebot.slack;

/**
 * Escaping for Slack mrkdwn: {@code &}, {@code <} and {@code >} are the only control characters, and escaping them
 * stops user text from forming mentions ({@code <!channel>}, {@code <@U…>}) or links.
 * See https://docs.slack.dev/messaging/formatting-message-text#escaping
 */
public final class Mrkdwn {
    private Mrkdwn() {
    }

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
}
