package cloud.pinata.revokebot.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/design.md §3: what {@code /pinata-revoke} accepts, refuses, and never echoes. */
class CommandParserTest {
    static final String KEY20 = "a1b2c3d4e5f6a7b8c9d0";
    static final String JWT =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzY29wZWRLZXlLZXkiOiJhYmMifQ.c2lnbmF0dXJlLW5vdC1jaGVja2Vk";
    static final String SECRET = "5ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e7aaaa";

    private static Command.Revoke revoke(String text) {
        return assertInstanceOf(Command.Revoke.class, CommandParser.parse(text), text);
    }

    private static Command.Invalid invalid(String text) {
        return assertInstanceOf(Command.Invalid.class, CommandParser.parse(text), text);
    }

    private static Command.SecretPasted secretPasted(String text) {
        return assertInstanceOf(Command.SecretPasted.class, CommandParser.parse(text), text);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "   \t \n", "help", "HELP", "  Help  "})
    void emptyWhitespaceAndHelpAskForUsage(String text) {
        assertInstanceOf(Command.Help.class, CommandParser.parse(text));
    }

    @Test
    void helpFollowedByMoreTextIsNotHelp() {
        assertFalse(CommandParser.parse("help me") instanceof Command.Help);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 14, 20, 32, 40})
    void acceptsHexKeysOfEveryAllowedLength(int length) {
        var key = "0123456789abcdef".repeat(3).substring(0, length);
        var command = revoke(key);
        assertEquals(key, command.apiKey());
        assertEquals("", command.reason());
    }

    @Test
    void lowerCasesAnUpperCaseKey() {
        assertEquals(KEY20, revoke(KEY20.toUpperCase()).apiKey());
        assertEquals(KEY20, revoke("A1b2C3d4E5f6A7b8C9d0").apiKey());
    }

    @Test
    void refusesSevenHexCharactersAsTooShort() {
        var command = invalid("a1b2c3d");
        assertTrue(command.problem().contains("at least 8"), command.problem());
    }

    @ParameterizedTest
    @ValueSource(chars = {'0', '9', 'a', 'f', 'A', 'F'})
    void shortRunsOfEachEdgeHexDigitAreTooShortNotNonHex(char digit) {
        var command = invalid(String.valueOf(digit).repeat(7));
        assertTrue(command.problem().contains("at least 8"), command.problem());
        assertTrue(invalid(String.valueOf(digit).repeat(41)).problem().contains("at most 40"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"``", "\"\"", "''"})
    void anEmptyQuotedKeyIsTooShort(String quotes) {
        var command = invalid(quotes + " leaked");
        assertTrue(command.problem().contains("at least 8"), command.problem());
    }

    @Test
    void refusesFortyOneHexCharactersAsTooLong() {
        var command = invalid("a".repeat(41));
        assertTrue(command.problem().contains("at most 40"), command.problem());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "`a1b2c3d4e5f6a7b8c9d0`",
                "\"a1b2c3d4e5f6a7b8c9d0\"",
                "'a1b2c3d4e5f6a7b8c9d0'",
                "``a1b2c3d4e5f6a7b8c9d0``"
            })
    void acceptsKeyWrappedInBackticksOrQuotes(String wrapped) {
        assertEquals(KEY20, revoke(wrapped + " leaked").apiKey());
    }

    @Test
    void refusesKeyWithMismatchedWrapping() {
        invalid("`a1b2c3d4e5f6a7b8c9d0\"");
    }

    @Test
    void keepsTheRestOfTheTextAsStrippedReason() {
        var command = revoke("  " + KEY20 + "   pushed to  github.com/acme/app  \t ");
        assertEquals(KEY20, command.apiKey());
        assertEquals("pushed to  github.com/acme/app", command.reason());
    }

    @Test
    void keepsReasonTextVerbatimForLaterEscaping() {
        // Escaping is the card's job; the parser must not lose characters the audit trail should record.
        assertEquals(
                "<!channel> & <https://evil|click>",
                revoke(KEY20 + " <!channel> & <https://evil|click>").reason());
    }

    @Test
    void acceptsReasonOfExactlyTheMaximumLength() {
        var reason = "r".repeat(CommandParser.MAX_REASON_LENGTH);
        assertEquals(reason, revoke(KEY20 + " " + reason).reason());
    }

    @Test
    void refusesReasonLongerThanTheMaximum() {
        var reason = "leakedinlogs".repeat(42); // 504 characters
        var command = invalid(KEY20 + " " + reason);
        assertTrue(command.problem().contains("500"), command.problem());
        assertFalse(command.problem().contains("leakedinlogs"), "the reason is echoed");
        assertFalse(command.problem().contains(KEY20), "the key is echoed");
    }

    /** A JWT where the key goes that cannot be used: refused with its reason, never quoted. */
    @Test
    void refusesUnusableJwtPastedAsKey() {
        // JWT's signature is 28 characters, not an HS256 one: cut in the paste, its rest could be in the reason.
        for (var text : List.of(JWT, JWT + " found in a gist", "`" + JWT + "`")) {
            var command = assertInstanceOf(Command.UnusableJwt.class, CommandParser.parse(text), text);
            assertTrue(command.problem().contains("signature"), command.problem());
        }
        var noKey = TestJwtShapes.pinata("{\"iat\":1}");
        assertTrue(assertInstanceOf(Command.UnusableJwt.class, CommandParser.parse(noKey + " leaked"))
                .problem()
                .contains("scopedKeyKey"));
        var badKey = TestJwtShapes.pinata("{\"scopedKeyKey\":\"not-hex!\"}");
        assertTrue(assertInstanceOf(Command.UnusableJwt.class, CommandParser.parse(badKey))
                .problem()
                .contains("not a Pinata key id"));
        var rs256 = TestJwtShapes.withHeader("{\"alg\":\"RS256\"}", "{\"scopedKeyKey\":\"" + KEY20 + "\"}");
        assertTrue(assertInstanceOf(Command.UnusableJwt.class, CommandParser.parse(rs256))
                .problem()
                .contains("HS256"));
        var notJson = TestJwtShapes.withPayloadPart("bm90IGpzb24");
        assertTrue(assertInstanceOf(Command.UnusableJwt.class, CommandParser.parse(notJson))
                .problem()
                .contains("does not decode"));
    }

    /** A whole Pinata JWT where the key goes is leaked-JWT input: its scopedKeyKey is the key; the rest is the reason. */
    @Test
    void takesAWholeLeakedJwtAsItsKey() {
        var jwt = TestJwtShapes.pinata(
                "{\"scopedKeyKey\":\"" + KEY20.toUpperCase() + "\",\"scopedKeySecret\":\"" + "ab".repeat(32) + "\"}");
        for (var text : List.of(
                jwt + " found in a gist",
                "`" + jwt + "` found in a gist",
                "PINATA_JWT=" + jwt + " found in a gist",
                "PINATA_JWT=\"" + jwt + "\" found in a gist")) {
            var command = assertInstanceOf(Command.Revoke.class, CommandParser.parse(text), text);
            assertEquals(List.of(KEY20), command.apiKeys());
            assertEquals("found in a gist", command.reason());
            assertEquals(jwt, command.leakedJwt().reveal());
            assertEquals(LeakedJwt.sha256(jwt), command.leakedJwt().fingerprint());
            assertFalse(command.toString().contains(jwt.split("\\.")[1]), command::toString);
            assertFalse(command.dryRun());
        }
        var dry = assertInstanceOf(Command.Revoke.class, CommandParser.parse("--dry-run " + jwt));
        assertTrue(dry.dryRun());
        assertEquals(KEY20, dry.apiKey());
    }

    /** The rule and SecretDetector do not fight: only a whole JWT as the key word passes; every other finding refuses. */
    @Test
    void onlyTheWholeJwtAsTheKeyWordPasses() {
        var jwt = TestJwtShapes.pinata("{\"scopedKeyKey\":\"" + KEY20 + "\"}");
        var parts = jwt.split("\\.");
        assertEquals("JWT", secretPasted(KEY20 + " its jwt was " + jwt).kind(), "a JWT in the reason");
        assertEquals("JWT", secretPasted(jwt + " and again " + jwt).kind(), "a second JWT in the reason");
        assertEquals(
                "JWT", secretPasted(parts[0] + ". " + parts[1] + "." + parts[2]).kind(), "a split JWT");
        assertEquals(
                "JWT",
                secretPasted(parts[0] + "." + parts[1] + ".\n" + parts[2] + " leaked")
                        .kind(),
                "split after its second dot");
        secretPasted(jwt + " secret " + SECRET); // a hex secret in the reason (the JWT is named first)
        assertEquals("API secret", secretPasted(SECRET).kind(), "a 64-hex secret stays refused");
        assertEquals("JWT", secretPasted("status " + jwt).kind(), "not where a key to revoke goes");
        assertEquals("JWT", secretPasted("xx" + jwt + " leaked").kind(), "glued to other text");
    }

    @Test
    void refusesJwtShapedTokenEvenWithoutEyjHeader() {
        // Three dot-separated base64url parts is the shape of a JWT whatever its header looks like.
        assertEquals("JWT", secretPasted("abcdefgh.ijklmnop.qrstuvwx").kind());
    }

    @Test
    void refusesJwtHiddenInTheReason() {
        assertEquals(
                "JWT",
                secretPasted(KEY20 + " its jwt was " + JWT + " in the log").kind());
    }

    @Test
    void refusesApiSecretPastedAsKey() {
        assertEquals("API secret", secretPasted(SECRET).kind());
        assertEquals("API secret", secretPasted(SECRET.toUpperCase()).kind());
    }

    @Test
    void refusesApiSecretHiddenInTheReason() {
        assertEquals(
                "API secret",
                secretPasted(KEY20 + " secret was " + SECRET + ", rotate it").kind());
        assertEquals("API secret", secretPasted(KEY20 + " secret=" + SECRET).kind());
    }

    @Test
    void aSecretWithACharacterLostOrAddedIsStillASecret() {
        assertEquals("API secret", secretPasted("a".repeat(63)).kind());
        assertEquals("API secret", secretPasted("a".repeat(65)).kind());
        assertEquals(
                "API secret", secretPasted(KEY20 + " build " + "b".repeat(65)).kind(), "in the reason too");
        assertEquals(
                "API secret", secretPasted(KEY20 + " " + "0" + "c".repeat(63)).kind());
    }

    @Test
    void hexRunsBetweenKeyAndSecretLengthsAreOverlongKeysNotSecrets() {
        var command = invalid("a".repeat(47));
        assertTrue(command.problem().contains("at most 40"), command.problem());
    }

    @Test
    void dryRunAfterTheKeyIsRefusedNotTakenAsAReason() {
        assertTrue(invalid(KEY20 + " --dry-run").problem().contains("first"));
    }

    @Test
    void shortHexWordsInTheReasonStayReasonNotBulkKeys() {
        var command = revoke(KEY20 + " 20240501 deadbeef leaked");
        assertEquals(List.of(KEY20), command.apiKeys());
        assertEquals("20240501 deadbeef leaked", command.reason());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a1b2c3d4e5f6g7h8",
                "a1b2-c3d4-e5f6",
                "0xa1b2c3d4e5",
                "a1b2c3d4e5f6a7b8c9d0!",
                "<@U123>",
                "ünïcödé12"
            })
    void refusesNonHexCharacters(String text) {
        var command = invalid(text);
        assertTrue(command.problem().contains("hexadecimal characters only"), command.problem());
    }

    @Test
    void describesNonAsciiDigitsAsNonHexRatherThanAsTooLong() {
        var command = invalid("\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17\uFF18\uFF19");
        assertTrue(command.problem().contains("hexadecimal characters only"), command.problem());
    }

    @Test
    void refusesKeySplitBySpaces() {
        invalid("a1b2 c3d4e5f6a7b8c9d0");
    }

    // --- bulk: at most MAX_KEYS keys ----------------------------------------------------------------------------

    /** {@code n} distinct 20-hex keys, in order. */
    private static List<String> keys(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> String.format("%020x", 0xfeed0000L + i))
                .toList();
    }

    @Test
    void theDocumentedMaximumIsTwentyKeys() {
        assertEquals(20, CommandParser.MAX_KEYS);
    }

    @Test
    void acceptsExactlyTheMaximumNumberOfKeysInTheOrderGiven() {
        var keys = keys(CommandParser.MAX_KEYS);
        var command = revoke(String.join(" ", keys) + " leaked in CI");
        assertEquals(keys, command.apiKeys());
        assertEquals("leaked in CI", command.reason());
        assertFalse(command.dryRun());
    }

    @Test
    void refusesOneKeyMoreThanTheMaximum() {
        var command = invalid(String.join(" ", keys(CommandParser.MAX_KEYS + 1)) + " leaked in CI");
        assertTrue(command.problem().contains("at most " + CommandParser.MAX_KEYS + " keys"), command.problem());
    }

    @Test
    void duplicateKeysCountOnceTowardsTheMaximum() {
        var keys = keys(CommandParser.MAX_KEYS);
        var command = revoke(String.join(" ", keys) + " " + keys.get(0).toUpperCase() + " twice");
        assertEquals(keys, command.apiKeys());
        assertEquals("twice", command.reason());
    }

    // --- history [N] ---------------------------------------------------------------------------------------------

    private static int historyLimit(String text) {
        return assertInstanceOf(Command.History.class, CommandParser.parse(text), text)
                .limit();
    }

    @ParameterizedTest
    @ValueSource(strings = {"history", "HISTORY", "History", "  history  "})
    void historyWithoutANumberShowsTheDefaultTen(String text) {
        assertEquals(CommandParser.DEFAULT_HISTORY, historyLimit(text));
        assertEquals(10, CommandParser.DEFAULT_HISTORY);
    }

    @ParameterizedTest
    @CsvSource({
        "history 1,1",
        "history 7,7",
        "history 20,20",
        "history 50,50",
        "HISTORY 3,3",
        "'history \t 12  ',12",
        "history 007,7"
    })
    void historyTakesANumberFromOneToFifty(String text, int limit) {
        assertEquals(limit, historyLimit(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "history 0",
                "history 51",
                "history 999",
                "history 1000",
                "history -1",
                "history 5 6",
                "history ten",
                "history 1.5",
                "history " + KEY20
            })
    void historyRefusesAnythingButANumberFromOneToFifty(String text) {
        var command = invalid(text);
        assertTrue(
                command.problem().contains("`history` takes a number from 1 to " + CommandParser.MAX_HISTORY),
                command.problem());
        assertEquals(50, CommandParser.MAX_HISTORY);
    }

    @Test
    void historyIsAWordNotAPrefix() {
        invalid("historyX 5");
        invalid("histor 5");
    }

    // --- status <key> --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "status " + KEY20,
                "STATUS " + KEY20,
                "Status " + KEY20,
                "status `" + KEY20 + "`",
                "status \"" + KEY20 + "\"",
                "  status   " + KEY20 + "  "
            })
    void statusTakesOneKeyInAnyCaseAndWrapping(String text) {
        var command = assertInstanceOf(Command.Status.class, CommandParser.parse(text), text);
        assertEquals(KEY20, command.apiKey());
    }

    @Test
    void statusLowerCasesTheKey() {
        var command = assertInstanceOf(Command.Status.class, CommandParser.parse("status " + KEY20.toUpperCase()));
        assertEquals(KEY20, command.apiKey());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "status",
                "status   ",
                "status a1b2c3d",
                "status " + KEY20 + " extra words",
                "status " + KEY20 + " " + KEY20,
                "status zzzzzzzzzz",
                "status --dry-run"
            })
    void statusRefusesAnythingButOneKey(String text) {
        var command = invalid(text);
        assertTrue(command.problem().contains("`status` takes one key"), command.problem());
    }

    @Test
    void statusNeverKeepsAPastedSecret() {
        secretPasted("status " + SECRET);
        secretPasted("status " + JWT);
    }

    // --- --dry-run <key…> [reason…] ------------------------------------------------------------------------------

    @Test
    void aPlainRevokeIsNotADryRun() {
        assertFalse(revoke(KEY20 + " leaked").dryRun());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--dry-run", "--DRY-RUN", "--Dry-Run"})
    void dryRunBeforeTheKeyMarksTheRevokeAsADryRun(String flag) {
        var command = revoke(flag + " " + KEY20.toUpperCase() + "   incident drill ");
        assertTrue(command.dryRun());
        assertEquals(List.of(KEY20), command.apiKeys());
        assertEquals("incident drill", command.reason());
    }

    @Test
    void dryRunWithAKeyAloneHasAnEmptyReason() {
        var command = revoke("--dry-run `" + KEY20 + "`");
        assertTrue(command.dryRun());
        assertEquals(KEY20, command.apiKey());
        assertEquals("", command.reason());
    }

    @Test
    void dryRunAppliesToEveryKeyOfABulkCommand() {
        var keys = keys(3);
        var command = revoke("--dry-run " + String.join(" ", keys) + " drill");
        assertTrue(command.dryRun());
        assertEquals(keys, command.apiKeys());
        assertEquals("drill", command.reason());
    }

    @Test
    void dryRunHonoursTheKeyLimitToo() {
        assertTrue(revoke("--dry-run " + String.join(" ", keys(CommandParser.MAX_KEYS)))
                .dryRun());
        assertTrue(invalid("--dry-run " + String.join(" ", keys(CommandParser.MAX_KEYS + 1)))
                .problem()
                .contains("at most"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--dry-run", "--dry-run   ", "--DRY-RUN"})
    void dryRunWithoutAKeyIsRefused(String text) {
        var command = invalid(text);
        assertTrue(command.problem().contains("needs a key after it"), command.problem());
    }

    @Test
    void dryRunFollowedByANonKeyIsRefusedAsABadKey() {
        assertTrue(invalid("--dry-run zzzzqqqq drill").problem().contains("hexadecimal characters only"));
        assertTrue(invalid("--dry-run --dry-run " + KEY20).problem().contains("hexadecimal characters only"));
    }

    @Test
    void dryRunRepeatedAfterTheKeyIsRefused() {
        assertTrue(invalid("--dry-run " + KEY20 + " --dry-run").problem().contains("first"));
        assertTrue(invalid(KEY20 + " `--DRY-RUN` drill").problem().contains("first"));
    }

    @Test
    void dryRunWithAJwtAsTheKeyIsASecret() {
        assertEquals("JWT", secretPasted("--dry-run abc.def.ghi").kind());
    }

    @Test
    void dryRunSpelledDifferentlyIsNotAFlag() {
        invalid("--dryrun " + KEY20);
        invalid("-dry-run " + KEY20);
    }

    @Test
    void invalidProblemNeverEchoesTheInput() {
        var inputs = List.of(
                "zzzzqqqq",
                "a1b2c3d",
                "f".repeat(41),
                "a".repeat(47),
                "hunter2hunter2",
                "<!channel>",
                "`quoted-not-hex`",
                KEY20 + " " + "echoecho".repeat(70));
        for (var input : inputs) {
            var command = invalid(input);
            var token = input.split(" ")[0].replace("`", "");
            assertFalse(command.problem().contains(token), () -> "echoed: " + command.problem());
            assertFalse(command.toString().contains(token), () -> "echoed in toString: " + command);
            assertFalse(command.problem().contains("echoecho"), () -> "echoed reason: " + command.problem());
        }
    }

    @Test
    void secretPastedNeverCarriesTheSecret() {
        for (var input : List.of(KEY20 + " " + JWT, SECRET, KEY20 + " " + SECRET, JWT)) {
            var command = CommandParser.parse(input);
            assertTrue(
                    command instanceof Command.SecretPasted || command instanceof Command.UnusableJwt,
                    command::toString);
            assertFalse(command.toString().contains(SECRET), command::toString);
            for (var part : JWT.split("\\.")) {
                assertFalse(command.toString().contains(part), command::toString);
            }
            assertFalse(command.toString().contains(KEY20), command::toString);
        }
    }

    @Test
    void decodesSlacksEscapingOfTheReasonOnce() {
        // Typed: a & b <tag> &lt;  — sent by Slack as below.
        var command = (Command.Revoke) CommandParser.parse(KEY20 + " a &amp; b &lt;tag&gt; &amp;lt;");
        assertEquals("a & b <tag> &lt;", command.reason());
    }

    @Test
    void leavesOtherEntitiesAndBareAmpersandsAlone() {
        assertEquals("&quot; &#60; & x", CommandParser.unescapeSlack("&quot; &#60; & x"));
        assertEquals("&", CommandParser.unescapeSlack("&amp;"));
    }

    @Test
    void countsTheReasonLimitOnTheDecodedText() {
        // 500 typed ampersands arrive as 2,500 characters; the limit is on what was typed.
        var command = CommandParser.parse(KEY20 + " " + "&amp;".repeat(CommandParser.MAX_REASON_LENGTH));
        assertEquals(
                "&".repeat(CommandParser.MAX_REASON_LENGTH),
                assertInstanceOf(Command.Revoke.class, command).reason());
    }

    @Test
    void refusesAKeyTypedInsideAngleBrackets() {
        // Typed "<key>" out of habit: the brackets arrive escaped and are not hex, so the key is refused as typed.
        assertInstanceOf(Command.Invalid.class, CommandParser.parse("&lt;" + KEY20 + "&gt;"));
    }

    @Test
    void aJwtWithASpaceAfterItsFirstDotIsRefusedAsASecretNotTakenAsTheReason() {
        var parts = JWT.split("\\.");
        assertEquals(
                "JWT",
                secretPasted(KEY20 + " " + parts[0] + ". " + parts[1] + "." + parts[2])
                        .kind());
        assertEquals(
                "JWT",
                secretPasted(parts[0] + ". " + parts[1] + "." + parts[2] + " leaked")
                        .kind());
    }

    @Test
    void a64HexSecretSplit32Plus32IsRefusedAsASecretNotTwoKeys() {
        assertEquals(
                "API secret",
                secretPasted(SECRET.substring(0, 32) + " " + SECRET.substring(32) + " leaked")
                        .kind());
        assertEquals(
                "API secret",
                secretPasted(KEY20 + " leaked " + SECRET.substring(0, 32) + "\n" + SECRET.substring(32))
                        .kind());
    }

    @Test
    void aBulkCommandOfTwentyCharacterKeysStillRevokesThemAll() {
        var keys = List.of(KEY20, "1111111111aaaaaaaaaa", "2222222222bbbbbbbbbb", "3333333333cccccccccc");
        assertEquals(keys, revoke(String.join(" ", keys) + " leaked").apiKeys());
    }
}
