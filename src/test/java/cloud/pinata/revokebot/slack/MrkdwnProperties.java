package cloud.pinata.revokebot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Mrkdwn} escaping as properties: for any text, no mention, link or code-span break-out survives. */
class MrkdwnProperties {

    @Property
    void escapedTextHasNoAngleBrackets(@ForAll("text") String text) {
        var escaped = Mrkdwn.escape(text);
        assertFalse(escaped.contains("<"), escaped);
        assertFalse(escaped.contains(">"), escaped);
    }

    @Property
    void unescapingGivesBackTheOriginal(@ForAll("text") String text) {
        assertEquals(text, unescape(Mrkdwn.escape(text)));
    }

    @Property
    void everyAmpersandInEscapedTextStartsOneOfTheThreeEntities(@ForAll("text") String text) {
        var escaped = Mrkdwn.escape(text);
        for (int i = escaped.indexOf('&'); i >= 0; i = escaped.indexOf('&', i + 1)) {
            var rest = escaped.substring(i);
            assertTrue(
                    rest.startsWith("&amp;") || rest.startsWith("&lt;") || rest.startsWith("&gt;"),
                    () -> "bare & at " + rest);
        }
    }

    @Property
    void escapingLeavesTextWithoutControlCharactersUnchanged(@ForAll("text") String text) {
        var plain = text.replace("&", "").replace("<", "").replace(">", "");
        assertEquals(plain, Mrkdwn.escape(plain));
    }

    @Property
    void codeSpanHasBackticksOnlyAtBothEnds(@ForAll("text") String text) {
        var code = Mrkdwn.code(text);
        assertTrue(code.length() >= 2 && code.startsWith("`") && code.endsWith("`"), code);
        var inside = code.substring(1, code.length() - 1);
        assertFalse(inside.contains("`"), code);
        assertFalse(inside.contains("<") || inside.contains(">"), code);
    }

    /** Arbitrary Unicode, and text dense in the characters that matter (including entity look-alikes). */
    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.strings().withChars("&<>`;ampltg!@#|").ofMaxLength(80),
                Arbitraries.of(
                                "&amp;",
                                "&lt;",
                                "&gt;",
                                "&amp;lt;",
                                "<!channel>",
                                "<@U0ADMIN>",
                                "<https://x|y>",
                                "`",
                                "```")
                        .list()
                        .ofMaxSize(6)
                        .map(parts -> String.join("", parts)));
    }

    /** One pass, left to right: the exact inverse of escaping {@code &}, {@code <} and {@code >}. */
    private static String unescape(String s) {
        var out = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            if (s.startsWith("&amp;", i)) {
                out.append('&');
                i += 5;
            } else if (s.startsWith("&lt;", i)) {
                out.append('<');
                i += 4;
            } else if (s.startsWith("&gt;", i)) {
                out.append('>');
                i += 4;
            } else {
                out.append(s.charAt(i++));
            }
        }
        return out.toString();
    }
}
