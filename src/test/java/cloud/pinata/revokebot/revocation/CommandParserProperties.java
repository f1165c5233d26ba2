package cloud.pinata.revokebot.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** docs/design.md §3 as properties of {@link CommandParser#parse}: for every input, not just the examples. */
class CommandParserProperties {
    private static final String HEX = "0123456789abcdefABCDEF";
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    /** Mirrors the secret shapes of docs/design.md §8, to keep generated reasons free of them. */
    private static final Pattern LONG_HEX_RUN = Pattern.compile("[0-9a-fA-F]{64}");

    private static final Pattern KEY_WORD = Pattern.compile("[0-9a-fA-F]{8,40}");

    @Property
    void hexKeyWithReasonParsesAsRevokeWithLowerCasedKeyAndStrippedReason(
            @ForAll("keys") String key, @ForAll("separators") String separator, @ForAll("reasons") String reason) {
        // A reason of hex words can, with the key, spell a split secret: that is SecretDetectorTest's to judge.
        net.jqwik.api.Assume.that(SecretDetector.scan(key + separator + reason).isEmpty());
        var command = assertInstanceOf(Command.Revoke.class, CommandParser.parse(key + separator + reason));
        assertEquals(key.toLowerCase(Locale.ROOT), command.apiKey());
        assertEquals(reason.strip(), command.reason());
        assertFalse(command.dryRun());
    }

    @Property
    void hexKeyAloneParsesAsRevokeWithEmptyReason(@ForAll("keys") String key, @ForAll("separators") String padding) {
        var command = assertInstanceOf(Command.Revoke.class, CommandParser.parse(padding + key + padding));
        assertEquals(key.toLowerCase(Locale.ROOT), command.apiKey());
        assertEquals("", command.reason());
    }

    @Property
    void sixtyFourHexRunAnywhereIsASecret(
            @ForAll("textBeforeHex") String before,
            @ForAll("secrets") String secret,
            @ForAll("textAfterHex") String after) {
        var command = assertInstanceOf(Command.SecretPasted.class, CommandParser.parse(before + secret + after));
        if (!(before + after).contains("eyJ")) {
            assertEquals("API secret", command.kind());
        }
    }

    @Property
    void jwtAnywhereIsASecret(
            @ForAll("anyText") String before, @ForAll("jwts") String jwt, @ForAll("anyText") String after) {
        var command = CommandParser.parse(before + jwt + after);
        // Refused, or (where the key goes) taken as a leaked JWT: never as text that could reach a card or the
        // database.
        assertTrue(
                command instanceof Command.SecretPasted
                        || command instanceof Command.UnusableJwt
                        || (command instanceof Command.Revoke r
                                && r.leakedJwt() != null
                                && !r.reason().contains(jwt)),
                command::toString);
    }

    @Property
    void jwtWithEmptyClaimsInTheReasonIsASecret(@ForAll("keys") String key, @ForAll("jwtsWithEmptyClaims") String jwt) {
        assertInstanceOf(Command.SecretPasted.class, CommandParser.parse(key + " leaked: " + jwt));
    }

    @Property
    void jwtAsTheKeyWithoutAScopedKeyKeyIsRefused(@ForAll("jwts") String jwt, @ForAll("reasons") String reason) {
        // These claims never name a scopedKeyKey (or the signature is not an HS256 one): nothing to revoke.
        var command = CommandParser.parse(jwt + " " + reason);
        assertTrue(
                command instanceof Command.UnusableJwt || command instanceof Command.SecretPasted, command::toString);
        assertFalse(command.toString().contains(jwt.substring(jwt.indexOf('.'))), command::toString);
    }

    @Property(tries = 2000)
    void neverThrowsAndInvalidNeverEchoesTheInput(@ForAll("anyTextOrNull") String text) {
        var command = CommandParser.parse(text);
        if (command instanceof Command.Invalid invalid) {
            // The problems are fixed sentences; generated text never happens to spell eight characters of one.
            for (int i = 0; i + 8 <= text.length(); i++) {
                var window = text.substring(i, i + 8);
                if (CommandParser.DRY_RUN.contains(window)) {
                    continue; // the flag's own name may be quoted back; it is not user data
                }
                assertFalse(invalid.problem().contains(window), () -> "problem echoes input: " + invalid.problem());
            }
        }
    }

    @Property
    void parseIsDeterministic(@ForAll("anyTextOrNull") String text) {
        assertEquals(CommandParser.parse(text), CommandParser.parse(text));
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withChars(HEX).ofMinLength(8).ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.strings().withChars(" \t\n\r").ofMinLength(1).ofMaxLength(4);
    }

    /**
     * Free text: anything at all, or text that looks like an incident note; never a secret, never too long, and not
     * starting with a word that is itself a key (leading keys are more keys to revoke, not the reason).
     */
    @Provide
    Arbitrary<String> reasons() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().ofMaxLength(200),
                        Arbitraries.strings()
                                .withCharRange(' ', '~')
                                .withChars("\t\n…ü😀")
                                .ofMaxLength(200),
                        Arbitraries.strings().withChars(HEX + " .`'\"xyz").ofMaxLength(200))
                .filter(r -> !r.contains("eyJ") && !LONG_HEX_RUN.matcher(r).find() && !startsWithKeyWord(r));
    }

    private static boolean startsWithKeyWord(String reason) {
        var words = reason.strip().split("\\s+", 2);
        var word = words[0];
        while (word.length() >= 2
                && "`\"'".indexOf(word.charAt(0)) >= 0
                && word.charAt(0) == word.charAt(word.length() - 1)) {
            word = word.substring(1, word.length() - 1);
        }
        return KEY_WORD.matcher(word).matches();
    }

    @Provide
    Arbitrary<String> secrets() {
        return Arbitraries.strings().withChars(HEX).ofLength(64);
    }

    /** Empty, or any text that ends in a character that is not hexadecimal. */
    @Provide
    Arbitrary<String> textBeforeHex() {
        return Arbitraries.oneOf(
                Arbitraries.just(""),
                Combinators.combine(anyText(), nonHexChar()).as((text, c) -> text + c));
    }

    /** Empty, or any text that starts with a character that is not hexadecimal. */
    @Provide
    Arbitrary<String> textAfterHex() {
        return Arbitraries.oneOf(
                Arbitraries.just(""),
                Combinators.combine(nonHexChar(), anyText()).as((c, text) -> c + text));
    }

    /** Three base64url parts shaped like Pinata's JWTs: JSON header (so {@code eyJ…}), JSON claims, signature. */
    @Provide
    Arbitrary<String> jwts() {
        var enc = Base64.getUrlEncoder().withoutPadding();
        var header = Arbitraries.of("HS256", "RS256", "ES256", "none")
                .map(alg -> enc.encodeToString(
                        ("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8)));
        var claims = Arbitraries.maps(
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12),
                        Arbitraries.strings().ofMaxLength(40))
                .ofMinSize(1)
                .ofMaxSize(5)
                .map(m -> {
                    var sb = new StringBuilder("{");
                    m.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "")
                            .append('"')
                            .append(k)
                            .append("\":\"")
                            .append(v.replace("\\", "").replace("\"", ""))
                            .append('"'));
                    return enc.encodeToString(sb.append('}').toString().getBytes(StandardCharsets.UTF_8));
                });
        var signature =
                Arbitraries.strings().withChars(BASE64URL).ofMinLength(0).ofMaxLength(86);
        return Combinators.combine(header, claims, signature).as((h, c, s) -> h + "." + c + "." + s);
    }

    /** Valid JWTs whose claims are {@code {}}: the claims part is {@code e30}, three characters. */
    @Provide
    Arbitrary<String> jwtsWithEmptyClaims() {
        return jwts().map(jwt -> jwt.substring(0, jwt.indexOf('.')) + ".e30" + jwt.substring(jwt.lastIndexOf('.')));
    }

    /**
     * Arbitrary Unicode, and text built from what the parser cares about (hex words, quotes, sub-commands,
     * {@code --dry-run}, many keys at once), so every branch and edge is reached.
     */
    @Provide
    Arbitrary<String> anyText() {
        var hexWord = Arbitraries.strings()
                .withChars(HEX)
                .ofMinLength(1)
                .ofMaxLength(70)
                .flatMap(hex -> Arbitraries.of("", "`", "'", "\"", "x", "!").map(wrap -> wrap + hex + wrap));
        var word = Arbitraries.oneOf(
                hexWord,
                hexWord,
                hexWord,
                Arbitraries.of(
                        "help",
                        "HELP",
                        "history",
                        "status",
                        "--dry-run",
                        "eyJ",
                        "eyJhbGciOiJIUzI1NiJ9",
                        ".",
                        "0",
                        "50",
                        "51"),
                Arbitraries.strings().ofMaxLength(12));
        var words = word.list()
                .ofMaxSize(25)
                .flatMap(list -> Arbitraries.strings()
                        .withChars(" \t\n")
                        .ofMinLength(1)
                        .ofMaxLength(2)
                        .map(sep -> String.join(sep, list)));
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(120),
                Arbitraries.strings().withChars(HEX + " \t\n`'\".-_eyJhlpHELP").ofMaxLength(120),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(120),
                words);
    }

    @Provide
    Arbitrary<String> anyTextOrNull() {
        return anyText().injectNull(0.02);
    }

    private static Arbitrary<Character> nonHexChar() {
        return Arbitraries.chars().filter(c -> HEX.indexOf(c) < 0);
    }
}
