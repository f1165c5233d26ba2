package cloud.pinata.revokebot.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.SecretDetector.HexSecret;
import cloud.pinata.revokebot.revocation.SecretDetector.SplitJwt;
import cloud.pinata.revokebot.revocation.SecretDetector.WholeJwt;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 12, finding 3: secrets split by whitespace or separators are found like whole ones, and said apart. */
class SecretDetectorTest {
    static final String JWT = CommandParserTest.JWT;
    static final String SECRET = CommandParserTest.SECRET;
    static final String KEY20 = CommandParserTest.KEY20;
    static final String KEY40 = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void aWholeJwtIsFoundWithItsPlace() {
        assertEquals(List.of(new WholeJwt(0, JWT.length())), SecretDetector.scan(JWT + " found in a ticket"));
        assertEquals(List.of(new WholeJwt(11, 11 + JWT.length())), SecretDetector.scan("PINATA_JWT=" + JWT));
    }

    @Test
    void aJwtsPayloadOrHeaderOnItsOwnIsASecretToo() {
        var parts = JWT.split("\\.");
        // The payload segment carries the key's secret: pasted alone, or beside the whole JWT, it is refused.
        assertEquals(List.of(new SplitJwt()), SecretDetector.scan("see " + parts[1] + " in the log"));
        assertEquals(
                List.of(new WholeJwt(0, JWT.length()), new SplitJwt()),
                SecretDetector.scan(JWT + " and again " + parts[1]));
        assertEquals(List.of(new SplitJwt()), SecretDetector.scan("header " + parts[0] + " only"));
        assertEquals(List.of(), SecretDetector.scan("eyJust a word in a reason"), "short: not a base64 JSON object");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{h}. {p}.{s}",
                "{h}.{p} .{s}",
                "{h}.\n{p}.{s}",
                "eyJhbG ciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{p}.{s}",
                "{h}.\u200B{p}.{s}",
                "\"{h}.\" \"{p}.{s}\"",
                "`{h}.`\n`{p}.{s}`",
                "{h}\n.{p}.{s}"
            })
    void aJwtSplitByWhitespaceInvisibleCharactersOrQuotingIsASplitJwt(String shape) {
        var parts = JWT.split("\\.");
        var text = "leaked: "
                + shape.replace("{h}", parts[0]).replace("{p}", parts[1]).replace("{s}", parts[2]);
        assertEquals(List.of(new SplitJwt()), SecretDetector.scan(text), text);
    }

    /** Split after its second dot, a JWT still reads as one whose signature is empty: found whole, the signature aside. */
    @Test
    void aJwtSplitAfterItsSecondDotIsFoundAsAJwt() {
        var at = JWT.lastIndexOf('.') + 1;
        assertEquals(
                List.of(new WholeJwt(0, at)), SecretDetector.scan(JWT.substring(0, at) + "\n" + JWT.substring(at)));
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 40, 24, 44, 20, 36})
    void a64HexSecretSplitInTwoIsAHexSecret(int at) {
        var text = KEY20 + " " + SECRET.substring(0, at) + " " + SECRET.substring(at) + " pasted by mistake";
        assertEquals(
                List.of(new HexSecret(2)), SecretDetector.scan(SECRET.substring(0, at) + " " + SECRET.substring(at)));
        assertFalse(SecretDetector.scan(text).isEmpty(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", " - ", ":", "_", "` `", "\t|\t", "\u00A0", ".", ", "})
    void a64HexSecretSplitByACommonSeparatorIsAHexSecret(String separator) {
        var text = SECRET.substring(0, 32) + separator + SECRET.substring(32);
        assertEquals(List.of(new HexSecret(2)), SecretDetector.scan(text), text);
    }

    @Test
    void a64HexSecretInFourPiecesIsAHexSecret() {
        var text = String.join(
                " ", SECRET.substring(0, 16), SECRET.substring(16, 32), SECRET.substring(32, 48), SECRET.substring(48));
        assertEquals(List.of(new HexSecret(4)), SecretDetector.scan(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"20,20,20,4", "4,20,20,20", "20,4,20,20", "20,20,24", "1,20,20,20,3", "40,20,4"})
    void aSecretSplitIntoKeyIdSizedPiecesAndAShortOneIsStillASecret(String lengths) {
        var text = pieces(SECRET, lengths, " ");
        var found = SecretDetector.scan(text);
        assertEquals(1, found.size(), text + ": " + found);
        assertEquals("API secret", found.get(0).kind(), text);
        assertEquals(
                secretSpan(text),
                SecretDetector.scanWithPlaces(text).secretCharacters(),
                "every piece is marked: " + text);
    }

    @Test
    void aKeyIdWrittenNextToASplitSecretIsLeftOutOfTheSecret() {
        for (var text : List.of(
                KEY20 + " " + pieces(SECRET, "20,20,20,4", " "),
                pieces(SECRET, "20,44", " ") + " " + KEY20,
                pieces(SECRET, "20,44", "\n") + "\n" + KEY20)) {
            var key = text.indexOf(KEY20);
            var markedInKey =
                    SecretDetector.scanWithPlaces(text).secretCharacters().get(key, key + KEY20.length());
            assertTrue(markedInKey.isEmpty(), "the key id is not part of the secret: " + text);
            assertEquals(1, SecretDetector.scan(text).size(), "one secret: " + text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n> ", " • ", "*", "~", "=", "` `", ") (", "&", "\n- "})
    void aSecretSplitByFormattingQuotingOrAssignmentIsASecret(String separator) {
        for (var lengths : List.of("20,44", "32,32", "20,20,20,4")) {
            var text = "SECRET=" + pieces(SECRET, lengths, separator);
            assertEquals(1, SecretDetector.scan(text).size(), text);
        }
    }

    @Test
    void threeKeyIdsAndAReasonAreNoSecretUnlessTheyAddUpToOne() {
        var keys = String.join(" ", KEY20, "1111111111aaaaaaaaaa", "2222222222bbbbbbbbbb");
        assertEquals(List.of(), SecretDetector.scan(keys + " found in a bad deed"), "60 + 1 + 3 + 4: not 64");
        // Fails closed: a 4-hex word right after three key ids is exactly what a split secret looks like.
        assertEquals(1, SecretDetector.scan(keys + " dead keys").size());
    }

    /**
     * A long run of {@code eyJ} without a JWT's dots is read once, not once per {@code eyJ} (a regular expression
     * retried from each of them costs the square of the run: minutes for a 40,000-character message). The timeout
     * only guards against that hang; it is no speed target.
     */
    @Test
    void aLongRunOfJwtHeadersIsReadInOnePass() {
        var blob = "eyJ".repeat(13_000) + " " + "a1b2c3d4e5f6a7b8c9d0 ".repeat(50);
        var found = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20), () -> SecretDetector.scan(blob));
        assertEquals(List.of(new SplitJwt()), found, "a JWT-like segment, no whole JWT");
    }

    /** {@code secret} cut into pieces of the given lengths, joined by {@code separator}. */
    static String pieces(String secret, String lengths, String separator) {
        var out = new java.util.ArrayList<String>();
        int at = 0;
        for (var n : lengths.split(",")) {
            var length = Integer.parseInt(n);
            out.add(secret.substring(at, at + length));
            at += length;
        }
        return String.join(separator, out);
    }

    /** The characters from the first to the last hex character of {@code text}. */
    private static java.util.BitSet secretSpan(String text) {
        var span = new java.util.BitSet();
        var first = -1;
        var last = -1;
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) >= 0) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        span.set(first, last + 1);
        return span;
    }

    @Test
    void wholeSecretsAreFoundOnceEach() {
        assertEquals(List.of(new HexSecret(1)), SecretDetector.scan("secret " + SECRET));
        assertEquals(List.of(new WholeJwt(0, JWT.length()), new HexSecret(1)), SecretDetector.scan(JWT + " " + SECRET));
    }

    @Test
    void aWholeJwtAndASplitOneAreBothReported() {
        var parts = JWT.split("\\.");
        var text = JWT + " and " + parts[0] + ". " + parts[1] + "." + parts[2];
        assertEquals(List.of(new WholeJwt(0, JWT.length()), new SplitJwt()), SecretDetector.scan(text));
    }

    @Test
    void aBulkCommandOfTwentyCharacterKeyIdsIsNoSecret() {
        var keys = String.join(
                " ",
                KEY20,
                "1111111111aaaaaaaaaa",
                "2222222222bbbbbbbbbb",
                "3333333333cccccccccc",
                "4444444444dddddddddd");
        assertEquals(List.of(), SecretDetector.scan(keys + " .env leaked from the build cache"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a bad deed, a faded cafe",
                "commit 3f2e9a1 and deadbeef",
                "2026-12-01 10:00:00 build 1234567",
                "ticket ABC-12345678 pasted",
                "see https://github.com/acme/site/commit/3f2e9a1b"
            })
    void textAfterAKeyIsNoSecret(String reason) {
        assertEquals(List.of(), SecretDetector.scan(KEY40 + " " + reason), reason);
        assertEquals(List.of(), SecretDetector.scan(KEY20 + " " + reason), reason);
    }

    @Test
    void aFindingNeverCarriesTheSecret() {
        var parts = JWT.split("\\.");
        for (var text : List.of(
                JWT,
                parts[0] + ". " + parts[1] + "." + parts[2],
                SECRET,
                SECRET.substring(0, 32) + " " + SECRET.substring(32))) {
            for (var finding : SecretDetector.scan(text)) {
                var shown = finding.toString() + finding.kind();
                for (int i = 0; i + 8 <= text.length(); i++) {
                    var piece = text.substring(i, i + 8);
                    assertFalse(!piece.isBlank() && shown.contains(piece), shown + " shows part of the secret");
                }
            }
        }
    }
}
