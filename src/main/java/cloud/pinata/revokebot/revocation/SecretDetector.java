package cloud.pinata.revokebot.revocation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds the secrets in a command's text (docs/design.md §3): JWTs and 64-hex API secrets, whole or split by
 * whitespace and common separators. It says what it found and where, never the value: a {@link Finding} holds only
 * positions, so no secret can reach a log through it.
 *
 * <p>A whole JWT ({@link WholeJwt}) is told apart from the others on purpose: a later feature may accept a whole
 * leaked JWT as the key to revoke, and can then allow exactly that finding at the key's position while every other
 * finding (a split JWT, a JWT in the reason, a hex secret) still refuses the command. The rules do not fight: this
 * class only finds; {@link CommandParser} decides.
 */
public final class SecretDetector {
    /** What was found, without the secret itself. */
    public sealed interface Finding permits WholeJwt, SplitJwt, HexSecret {
        /** The word the user is told ("JWT", "API secret"). */
        String kind();
    }

    /** A JWT written in one piece at {@code [start, end)} of the text. */
    public record WholeJwt(int start, int end) implements Finding {
        @Override
        public String kind() {
            return "JWT";
        }
    }

    /** A JWT that appears only once whitespace and quoting are taken out: pasted across lines or with spaces. */
    public record SplitJwt() implements Finding {
        @Override
        public String kind() {
            return "JWT";
        }
    }

    /** A 64-hex API secret (or 48+ hex), in one piece or split into hex words of {@code pieces} parts. */
    public record HexSecret(int pieces) implements Finding {
        @Override
        public String kind() {
            return "API secret";
        }
    }

    /** A JWT anywhere: the header always starts with {@code eyJ} (base64url of <code>{"</code>). */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]*");
    /**
     * A piece of a JWT on its own: base64url of a JSON object ({@code eyJ}) long enough to carry a claim. A Pinata
     * JWT's payload holds the key's secret, so its segment alone is a secret too.
     */
    private static final Pattern JWT_PART = Pattern.compile("eyJ[A-Za-z0-9_-]{16,}");
    /** Far longer than any key id (40 at most): a secret, or one with a character lost or added in the paste. */
    static final int SECRET_HEX = 48;

    private static final Pattern WHOLE_HEX =
            Pattern.compile("(?<![0-9a-fA-F])[0-9a-fA-F]{" + SECRET_HEX + ",}(?![0-9a-fA-F])");
    /** Taken out before looking for a split JWT: whitespace, invisible characters and quoting (never base64url or '.'). */
    private static final Pattern JWT_NOISE =
            Pattern.compile("[\\s\\p{Z}\\u200B-\\u200D\\u2060\\uFEFF\\u00AD\"'`\\\\>]+");
    /** What may stand between the pieces of a split hex secret. */
    private static final String HEX_SEPARATORS = "-_:.,;|/\\\"'`+";
    /** A hex word this short is text ("a bad deed"), not part of a secret. */
    static final int MIN_PIECE = 8;
    /** Every Pinata key id seen in the wild is 20 hex characters: a run of those is a bulk command, not a secret. */
    static final int KEY_ID_LENGTH = 20;

    private SecretDetector() {}

    /** Every secret in {@code text}, whole ones first; empty when there is none. */
    public static List<Finding> scan(String text) {
        var found = new ArrayList<Finding>();
        var rest = new StringBuilder(text);
        var jwt = JWT.matcher(text);
        while (jwt.find()) {
            found.add(new WholeJwt(jwt.start(), jwt.end()));
            blank(rest, jwt.start(), jwt.end());
        }
        var hex = WHOLE_HEX.matcher(text);
        while (hex.find()) {
            found.add(new HexSecret(1));
            blank(rest, hex.start(), hex.end());
        }
        // What is left, with the whole secrets blanked out, may still hide split ones.
        if (JWT.matcher(JWT_NOISE.matcher(rest).replaceAll("")).find()
                || JWT_PART.matcher(rest).find()) {
            found.add(new SplitJwt());
        }
        splitHex(rest, found);
        return List.copyOf(found);
    }

    /**
     * Hex words of {@link #MIN_PIECE}+ characters that follow one another with only whitespace or separators between
     * them, {@link #SECRET_HEX}+ characters together, are a split secret, unless every one of them is a 20-character
     * key id (a bulk command). Any other character ends the run.
     */
    private static void splitHex(CharSequence text, List<Finding> found) {
        int total = 0;
        int pieces = 0;
        boolean allKeyIds = true;
        int i = 0;
        while (i <= text.length()) {
            if (i < text.length() && isSeparator(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && !isSeparator(text.charAt(i))) {
                i++;
            }
            boolean hexWord = i > start && isHexWord(text, start, i) && i - start >= MIN_PIECE;
            if (hexWord) {
                total += i - start;
                pieces++;
                allKeyIds &= i - start == KEY_ID_LENGTH;
            }
            if (!hexWord || i >= text.length()) {
                if (pieces > 1 && total >= SECRET_HEX && !allKeyIds) {
                    found.add(new HexSecret(pieces));
                }
                total = 0;
                pieces = 0;
                allKeyIds = true;
            }
            if (i >= text.length()) {
                break;
            }
        }
    }

    private static boolean isSeparator(char c) {
        return Character.isWhitespace(c)
                || Character.isSpaceChar(c)
                || HEX_SEPARATORS.indexOf(c) >= 0
                || c == '\u200B'
                || c == '\u200C'
                || c == '\u200D'
                || c == '\u2060'
                || c == '\uFEFF'
                || c == '\u00AD';
    }

    private static boolean isHexWord(CharSequence text, int start, int end) {
        for (int i = start; i < end; i++) {
            var c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static void blank(StringBuilder text, int start, int end) {
        for (int i = start; i < end; i++) {
            // A character that is neither a separator nor hex: the blanked secret also ends any run around it.
            text.setCharAt(i, '#');
        }
    }
}
