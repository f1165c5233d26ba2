package cloud.pinata.revokebot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Slack mrkdwn escaping: user text can never form a mention, a broadcast or a link. */
class MrkdwnTest {

    @Test
    void escapesTheThreeControlCharacters() {
        assertEquals("a &amp; b &lt; c &gt; d", Mrkdwn.escape("a & b < c > d"));
    }

    @Test
    void escapesAmpersandFirstSoEntitiesStayLiteral() {
        assertEquals("&amp;lt;!channel&amp;gt;", Mrkdwn.escape("&lt;!channel&gt;"));
    }

    @Test
    void leavesOrdinaryTextAlone() {
        var text = "leaked in ci-logs (build #42), *urgent* _now_ :fire: ünïcödé";
        assertEquals(text, Mrkdwn.escape(text));
    }

    @Test
    void nullBecomesEmpty() {
        assertEquals("", Mrkdwn.escape(null));
    }

    @Test
    void neutralisesBroadcastMentions() {
        assertEquals("&lt;!channel&gt;", Mrkdwn.escape("<!channel>"));
        assertEquals("&lt;!here&gt; &lt;!everyone&gt;", Mrkdwn.escape("<!here> <!everyone>"));
    }

    @Test
    void neutralisesUserAndGroupMentions() {
        assertEquals("&lt;@U123&gt;", Mrkdwn.escape("<@U123>"));
        assertEquals("&lt;!subteam^S0ADMINS&gt;", Mrkdwn.escape("<!subteam^S0ADMINS>"));
    }

    @Test
    void neutralisesDisguisedLinks() {
        assertEquals("&lt;https://evil|click&gt;", Mrkdwn.escape("<https://evil|click>"));
    }

    @Test
    void codeSpanIsEscapedAndCannotBeClosedEarly() {
        var code = Mrkdwn.code("a`<!channel>`b");
        assertEquals("`a'&lt;!channel&gt;'b`", code);
        assertEquals(2, code.chars().filter(c -> c == '`').count());
        assertFalse(code.contains("<"));
    }

    @Test
    void codeOfNullIsAnEmptySpan() {
        assertEquals("``", Mrkdwn.code(null));
    }
}
