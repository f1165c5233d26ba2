package cloud.pinata.revokebot.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict fake's judge: each documented rule refuses what breaks it, and accepts what keeps it. */
class BlockKitTest {
    private static final String OK_BUTTON =
            "{\"type\":\"button\",\"action_id\":\"a\",\"text\":{\"type\":\"plain_text\",\"text\":\"Go\"},\"value\":\"v\"}";

    private static List<String> blocks(String json) {
        return BlockKit.check(BlockKit.Kind.WEB_API, "A full sentence.", json);
    }

    private static String section(String text) {
        return "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":" + quote(text) + ",\"verbatim\":true}}]";
    }

    private static String quote(String s) {
        return new com.google.gson.JsonPrimitive(s).toString();
    }

    private static void refused(String why, List<String> errors) {
        assertFalse(errors.isEmpty(), why + ": accepted");
    }

    @Test
    void acceptsAWellFormedCard() {
        var card = "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*Revoke?*\",\"verbatim\":true}},"
                + "{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\",\"text\":\"by <@U1>\"}]},"
                + "{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"Title\",\"emoji\":true}},"
                + "{\"type\":\"divider\"},"
                + "{\"type\":\"actions\",\"block_id\":\"b\",\"elements\":[" + OK_BUTTON
                + ",{\"type\":\"button\",\"action_id\":\"c\","
                + "\"style\":\"danger\",\"text\":{\"type\":\"plain_text\",\"text\":\"Revoke\"},\"confirm\":{"
                + "\"title\":{\"type\":\"plain_text\",\"text\":\"Sure?\"},\"text\":{\"type\":\"plain_text\",\"text\":\"It stops.\"},"
                + "\"confirm\":{\"type\":\"plain_text\",\"text\":\"Yes\"},\"deny\":{\"type\":\"plain_text\",\"text\":\"No\"},\"style\":\"danger\"}}]}]";
        assertEquals(List.of(), blocks(card));
        assertEquals(List.of(), blocks(section("x".repeat(3000))), "exactly 3000 is allowed");
    }

    @Test
    void refusesASectionOver3000Characters() {
        var errors = blocks(section("x".repeat(3001)));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("/blocks/0/text/text"), errors.toString());
    }

    @Test
    void refusesMoreThan50Blocks() {
        var many = new StringBuilder("[");
        for (int i = 0; i < 51; i++) {
            many.append(i == 0 ? "" : ",").append("{\"type\":\"divider\"}");
        }
        refused("51 blocks", blocks(many.append("]").toString()));
    }

    @Test
    void refusesAMessageWithoutTopLevelText() {
        refused("no text", BlockKit.check(BlockKit.Kind.WEB_API, null, section("x")));
        refused("blank text", BlockKit.check(BlockKit.Kind.WEB_API, " ", null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "11 fields|{\"type\":\"section\",\"fields\":[F,F,F,F,F,F,F,F,F,F,F]}",
                "field over 2000|{\"type\":\"section\",\"fields\":[LONGFIELD]}",
                "section without text or fields|{\"type\":\"section\"}",
                "11 context elements|{\"type\":\"context\",\"elements\":[F,F,F,F,F,F,F,F,F,F,F]}",
                "empty context|{\"type\":\"context\",\"elements\":[]}",
                "mrkdwn header|{\"type\":\"header\",\"text\":F}",
                "header over 150|{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"X151\"}}",
                "mrkdwn button text|{\"type\":\"actions\",\"elements\":[{\"type\":\"button\",\"action_id\":\"a\",\"text\":F}]}",
                "button text over 75|{\"type\":\"actions\",\"elements\":[{\"type\":\"button\",\"action_id\":\"a\",\"text\":{\"type\":\"plain_text\",\"text\":\"X76\"}}]}",
                "button value over 2000|{\"type\":\"actions\",\"elements\":[{\"type\":\"button\",\"action_id\":\"a\",\"value\":\"X2001\",\"text\":{\"type\":\"plain_text\",\"text\":\"b\"}}]}",
                "button style|{\"type\":\"actions\",\"elements\":[{\"type\":\"button\",\"action_id\":\"a\",\"style\":\"red\",\"text\":{\"type\":\"plain_text\",\"text\":\"b\"}}]}",
                "repeated action_id|{\"type\":\"actions\",\"elements\":[BUTTON,BUTTON]}",
                "unknown block type|{\"type\":\"table\"}",
                "unknown field|{\"type\":\"divider\",\"colour\":\"red\"}",
                "emoji on mrkdwn|{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"x\",\"emoji\":true}}",
                "verbatim on plain_text|{\"type\":\"section\",\"text\":{\"type\":\"plain_text\",\"text\":\"x\",\"verbatim\":true}}",
                "empty text|{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"\"}}",
                "confirm title mrkdwn|CONFIRM(F,P,P,P)",
                "confirm title over 100|CONFIRM(X101,P,P,P)",
                "confirm text over 300|CONFIRM(P,X301,P,P)",
                "confirm label over 30|CONFIRM(P,P,X31,P)",
                "deny label over 30|CONFIRM(P,P,P,X31)",
                "confirm without deny|CONFIRM(P,P,P,-)",
            })
    void refusesWhatBreaksARule(String rule, String block) {
        var json = "[" + expand(block) + "]";
        refused(rule, blocks(json));
    }

    /** The same block with every limit kept is accepted: the refusals above are about the one rule each breaks. */
    @Test
    void acceptsEachLimitExactly() {
        for (var block : List.of(
                "{\"type\":\"section\",\"fields\":[F,F,F,F,F,F,F,F,F,F]}",
                "{\"type\":\"context\",\"elements\":[F,F,F,F,F,F,F,F,F,F]}",
                "{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"X150\"}}",
                "{\"type\":\"actions\",\"elements\":[{\"type\":\"button\",\"action_id\":\"a\",\"value\":\"X2000\",\"text\":{\"type\":\"plain_text\",\"text\":\"X75\"}}]}",
                "CONFIRM(X100,X300,X30,X30)")) {
            assertEquals(List.of(), blocks("[" + expand(block) + "]"), block);
        }
    }

    @Test
    void responseUrlPostsMustSayEphemeralAndNotReplaceTheOriginal() {
        var blocksJson = section("x");
        refused(
                "no response_type",
                BlockKit.checkJson(
                        BlockKit.Kind.RESPONSE_URL,
                        "{\"text\":\"A sentence.\",\"replace_original\":false,\"blocks\":" + blocksJson + "}"));
        refused(
                "replace_original missing",
                BlockKit.checkJson(
                        BlockKit.Kind.RESPONSE_URL,
                        "{\"text\":\"A sentence.\",\"response_type\":\"ephemeral\",\"blocks\":" + blocksJson + "}"));
        assertEquals(
                List.of(),
                BlockKit.checkJson(
                        BlockKit.Kind.RESPONSE_URL,
                        "{\"text\":\"A sentence.\",\"response_type\":\"ephemeral\",\"replace_original\":false,\"blocks\":"
                                + blocksJson + "}"));
    }

    @Test
    void findsMrkdwnThatSlackWouldAutoParse() {
        var json = "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"hi @channel\"}},"
                + "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"hi @channel\",\"verbatim\":true}}]";
        assertEquals(1, BlockKit.mrkdwnWithoutVerbatim(json, "@channel").size());
    }

    /** F: a small mrkdwn text object; P: a small plain_text one; Xn: n characters; CONFIRM(title,text,confirm,deny). */
    private static String expand(String block) {
        var s = block;
        if (s.startsWith("CONFIRM(")) {
            var parts = s.substring("CONFIRM(".length(), s.length() - 1).split(",");
            var names = new String[] {"title", "text", "confirm", "deny"};
            var sb = new StringBuilder(
                    "{\"type\":\"actions\",\"elements\":[{\"type\":\"button\",\"action_id\":\"a\",\"text\":P,\"confirm\":{");
            var first = true;
            for (int i = 0; i < 4; i++) {
                if (parts[i].equals("-")) {
                    continue;
                }
                var value =
                        parts[i].startsWith("X") ? "{\"type\":\"plain_text\",\"text\":\"" + parts[i] + "\"}" : parts[i];
                sb.append(first ? "" : ",")
                        .append('"')
                        .append(names[i])
                        .append("\":")
                        .append(value);
                first = false;
            }
            s = sb.append("}}]}").toString();
        }
        s = s.replace("LONGFIELD", "{\"type\":\"mrkdwn\",\"text\":\"X2001\"}")
                .replace("BUTTON", OK_BUTTON)
                .replace("F", "{\"type\":\"mrkdwn\",\"text\":\"f\"}")
                .replace(":P", ":{\"type\":\"plain_text\",\"text\":\"p\"}")
                .replace("\"text\":P", "\"text\":{\"type\":\"plain_text\",\"text\":\"p\"}");
        var m = java.util.regex.Pattern.compile("\"X(\\d+)\"").matcher(s);
        var out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, "\"" + "x".repeat(Integer.parseInt(m.group(1))) + "\"");
        }
        m.appendTail(out);
        return out.toString();
    }

    @org.junit.jupiter.api.Test
    void aHomeViewIsAHomeOfAtMost100Blocks() {
        var block = "{\"type\":\"divider\"}";
        var hundred =
                "{\"type\":\"home\",\"blocks\":[" + String.join(",", java.util.Collections.nCopies(100, block)) + "]}";
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), BlockKit.checkView(hundred));
        var more =
                "{\"type\":\"home\",\"blocks\":[" + String.join(",", java.util.Collections.nCopies(101, block)) + "]}";
        org.junit.jupiter.api.Assertions.assertFalse(BlockKit.checkView(more).isEmpty());
        org.junit.jupiter.api.Assertions.assertFalse(
                BlockKit.checkView("{\"type\":\"modal\",\"blocks\":[]}").isEmpty());
        org.junit.jupiter.api.Assertions.assertFalse(
                BlockKit.checkView(
                                "{\"type\":\"home\",\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\""
                                        + "x".repeat(3001) + "\"}}]}")
                        .isEmpty(),
                "a block breaks the same rules as in a message");
    }
}
