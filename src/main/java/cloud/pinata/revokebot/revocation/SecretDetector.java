package cloud.pinata.revokebot.revocation;

import java.util.ArrayList;
import java.util.BitSet;
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
    /**
     * What may stand between the pieces of a split hex secret: punctuation, quoting, Slack's formatting ({@code *},
     * {@code ~}, {@code >} for a quote), list bullets, brackets, and {@code =} of {@code NAME=value}. Never {@code #}:
     * {@link #blank} uses it to end runs.
     */
    private static final String HEX_SEPARATORS = "-_:.,;|/\\\"'`+=*~<>()[]{}&\u2022";
    /** A hex word this short is text ("a bad deed"), not part of a secret. */
    static final int MIN_PIECE = 8;
    /** A Pinata API secret: exactly this many hex characters. */
    static final int API_SECRET_HEX = 64;
    /** Every Pinata key id seen in the wild is 20 hex characters: a run of those is a bulk command, not a secret. */
    static final int KEY_ID_LENGTH = 20;

    private SecretDetector() {}

    /** Every secret in {@code text}, whole ones first; empty when there is none. */
    public static List<Finding> scan(String text) {
        return scanWithPlaces(text).findings();
    }

    /**
     * What {@link #scan} finds, and which characters of the text belong to a secret: whole JWTs, whole hex secrets
     * and every hex word of a split one (a split JWT has no place in the text, so it marks nothing). For callers that
     * must not read a piece of a secret as something else (a key id).
     */
    public record Scan(List<Finding> findings, BitSet secretCharacters) {}

    /** The same single pass as {@link #scan}, with the secrets' places. */
    public static Scan scanWithPlaces(String text) {
        var covered = new BitSet(text.length());
        return new Scan(scan(text, covered), covered);
    }

    private static List<Finding> scan(String text, BitSet covered) {
        var found = new ArrayList<Finding>();
        var rest = new StringBuilder(text);
        for (int at = JwtShape.next(text, 0); at >= 0; ) {
            var end = JwtShape.end(text, at);
            found.add(new WholeJwt(at, end));
            covered.set(at, end);
            blank(rest, at, end);
            at = JwtShape.next(text, end);
        }
        var hex = WHOLE_HEX.matcher(text);
        while (hex.find()) {
            found.add(new HexSecret(1));
            covered.set(hex.start(), hex.end());
            blank(rest, hex.start(), hex.end());
        }
        // What is left, with the whole secrets blanked out, may still hide split ones.
        if (JwtShape.next(JWT_NOISE.matcher(rest).replaceAll(""), 0) >= 0
                || JWT_PART.matcher(rest).find()) {
            found.add(new SplitJwt());
        }
        splitHex(rest, found, covered);
        return List.copyOf(found);
    }

    /**
     * Split hex secrets, in each chain of hex words that follow one another with only whitespace or separators
     * between them (any other character ends the chain):
     *
     * <ul>
     *   <li>words of {@link #MIN_PIECE}+ characters, {@link #SECRET_HEX}+ together, unless every one of them is a
     *       20-character key id (a bulk command);
     *   <li>consecutive words of exactly {@link #API_SECRET_HEX} characters together, one of them {@link #MIN_PIECE}+
     *       long, whatever the others' lengths: a secret split 20 + 20 + 20 + 4 would otherwise pass as three key ids
     *       and a short word.
     * </ul>
     *
     * Every hex word of a secret found is marked in {@code covered}.
     */
    private static void splitHex(CharSequence text, List<Finding> found, BitSet covered) {
        var chain = new ArrayList<int[]>();
        int i = 0;
        while (true) {
            while (i < text.length() && isSeparator(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < text.length() && !isSeparator(text.charAt(i))) {
                i++;
            }
            if (i > start && isHexWord(text, start, i)) {
                chain.add(new int[] {start, i});
            } else {
                secretsIn(chain, found, covered);
                chain.clear();
            }
            if (i >= text.length()) {
                secretsIn(chain, found, covered);
                return;
            }
        }
    }

    /**
     * The two rules of {@link #splitHex} on one chain of hex words ({@code [start, end)} each). Exact windows first:
     * a key id written next to a secret split 20 + 44 stays a key id; a run of pieces with no exact window (a
     * character lost or added in the paste) is a secret as a whole.
     */
    private static void secretsIn(List<int[]> chain, List<Finding> found, BitSet covered) {
        // Exactly one secret's length in consecutive words: a window sliding over the chain (lengths are positive).
        var inWindow = new BitSet(chain.size());
        int first = 0;
        int sum = 0;
        for (int last = 0; last < chain.size(); last++) {
            sum += chain.get(last)[1] - chain.get(last)[0];
            while (sum > API_SECRET_HEX) {
                sum -= chain.get(first)[1] - chain.get(first)[0];
                first++;
            }
            if (sum == API_SECRET_HEX && last > first && hasPiece(chain, first, last)) {
                found.add(new HexSecret(last - first + 1));
                covered.set(chain.get(first)[0], chain.get(last)[1]);
                inWindow.set(first, last + 1);
                first = last + 1;
                sum = 0;
            }
        }
        int from = -1;
        int total = 0;
        boolean allKeyIds = true;
        for (int k = 0; k <= chain.size(); k++) {
            var length = k < chain.size() ? chain.get(k)[1] - chain.get(k)[0] : 0;
            if (length >= MIN_PIECE) {
                from = from < 0 ? k : from;
                total += length;
                allKeyIds &= length == KEY_ID_LENGTH;
                continue;
            }
            var windowInRun = from >= 0 ? inWindow.nextSetBit(from) : -1;
            var alreadyFound = windowInRun >= 0 && windowInRun < k;
            if (from >= 0 && k - from > 1 && total >= SECRET_HEX && !allKeyIds && !alreadyFound) {
                found.add(new HexSecret(k - from));
                covered.set(chain.get(from)[0], chain.get(k - 1)[1]);
            }
            from = -1;
            total = 0;
            allKeyIds = true;
        }
    }

    private static boolean hasPiece(List<int[]> chain, int first, int last) {
        for (int k = first; k <= last; k++) {
            if (chain.get(k)[1] - chain.get(k)[0] >= MIN_PIECE) {
                return true;
            }
        }
        return false;
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
