package cloud.pinata.revokebot.revocation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Turns the text after {@code /pinata-revoke} into a {@link Command}, following docs/design.md §3. */
public final class CommandParser {
    public static final int MAX_REASON_LENGTH = 500;
    public static final int DEFAULT_HISTORY = 10;
    public static final int MAX_HISTORY = 50;
    public static final String DRY_RUN = "--dry-run";
    public static final int MAX_KEYS = 20;

    private static final Pattern KEY = Pattern.compile("[0-9a-fA-F]{8,40}");
    private static final Pattern JWT_SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    /** Further keys of a bulk command: a real key's length, so a date or short commit id in the reason stays text. */
    private static final Pattern BULK_KEY = Pattern.compile("[0-9a-fA-F]{14,40}");

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private CommandParser() {}

    /** {@code text} as Slack sends it: with {@code &}, {@code <} and {@code >} escaped (see {@link #unescapeSlack}). */
    public static Command parse(String text) {
        // Decoded once, here: from now on the reason is what the person typed (its 500 characters, the audit trail),
        // and rendering escapes it once again for Slack.
        var trimmed = text == null ? "" : unescapeSlack(text).strip();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("help")) {
            return new Command.Help();
        }
        // Secrets are refused wherever they appear, whole or split by spaces and separators, so none can reach the
        // card, the database or a log (SecretDetector says what it found and where, never the value).
        // The one exception (a leaked JWT may be given instead of the key): exactly one finding, a whole JWT, and it
        // is the key's word itself. A split JWT, a second JWT, a JWT in the reason, any hex secret: still refused.
        var secrets = SecretDetector.scan(trimmed);
        var jwtIsTheKey = jwtIsTheKey(trimmed, secrets);
        if (!secrets.isEmpty() && !jwtIsTheKey) {
            return new Command.SecretPasted(secrets.get(0).kind());
        }
        var parts = WHITESPACE.split(trimmed, 2);
        var first = parts[0].toLowerCase(Locale.ROOT);
        var rest = parts.length > 1 ? parts[1].strip() : "";
        if (first.equals("history")) {
            return history(rest);
        }
        if (first.equals("status")) {
            var key = unwrap(rest);
            return KEY.matcher(key).matches()
                    ? new Command.Status(key.toLowerCase(Locale.ROOT))
                    : new Command.Invalid("`status` takes one key, for example `status a1b2c3d4e5f6a7b8c9d0`");
        }
        var dryRun = first.equals(DRY_RUN);
        if (dryRun) {
            if (rest.isEmpty()) {
                return new Command.Invalid("`" + DRY_RUN + "` needs a key after it");
            }
            parts = WHITESPACE.split(rest, 2);
        }
        var token = unwrap(parts[0]);
        if (jwtIsTheKey) {
            var reason = parts.length > 1 ? parts[1].strip() : "";
            if (reason.length() > MAX_REASON_LENGTH) {
                return new Command.Invalid("the reason is longer than " + MAX_REASON_LENGTH + " characters");
            }
            var decoded = LeakedJwt.decode(jwtCore(token));
            if (decoded instanceof LeakedJwt.Unusable unusable) {
                return new Command.UnusableJwt(unusable.problem());
            }
            return Command.Revoke.leaked(((LeakedJwt.Usable) decoded).jwt(), reason, dryRun);
        }
        if (JWT_SHAPE.matcher(token).matches()) {
            return new Command.SecretPasted("JWT");
        }
        if (!KEY.matcher(token).matches()) {
            return new Command.Invalid(describe(token));
        }
        // Leading words that are keys are the keys (bulk); the first word that is not starts the reason.
        var keys = new LinkedHashSet<String>();
        keys.add(token.toLowerCase(Locale.ROOT));
        var reason = parts.length > 1 ? parts[1].strip() : "";
        while (!reason.isEmpty()) {
            var next = WHITESPACE.split(reason, 2);
            var candidate = unwrap(next[0]);
            if (candidate.equalsIgnoreCase(DRY_RUN)) {
                return new Command.Invalid("put `" + DRY_RUN + "` first, before the key");
            }
            if (!BULK_KEY.matcher(candidate).matches()) {
                break;
            }
            keys.add(candidate.toLowerCase(Locale.ROOT));
            reason = next.length > 1 ? next[1].strip() : "";
        }
        if (keys.size() > MAX_KEYS) {
            return new Command.Invalid("one command revokes at most " + MAX_KEYS + " keys");
        }
        if (reason.length() > MAX_REASON_LENGTH) {
            return new Command.Invalid("the reason is longer than " + MAX_REASON_LENGTH + " characters");
        }
        return new Command.Revoke(List.copyOf(keys), reason, dryRun);
    }

    /**
     * Undoes the escaping Slack applies to a slash command's text: {@code &amp;}, {@code &lt;}, {@code &gt;} become
     * {@code &}, {@code <}, {@code >}, in one left-to-right pass (so {@code &amp;lt;} is the typed {@code &lt;}).
     * Nothing else is an entity here. See https://docs.slack.dev/messaging/formatting-message-text#escaping
     */
    public static String unescapeSlack(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        var out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            if (text.startsWith("&amp;", i)) {
                out.append('&');
                i += 5;
            } else if (text.startsWith("&lt;", i)) {
                out.append('<');
                i += 4;
            } else if (text.startsWith("&gt;", i)) {
                out.append('>');
                i += 4;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    private static Command history(String rest) {
        if (rest.isEmpty()) {
            return new Command.History(DEFAULT_HISTORY);
        }
        if (rest.matches("\\d{1,3}")) {
            var n = Integer.parseInt(rest);
            if (n >= 1 && n <= MAX_HISTORY) {
                return new Command.History(n);
            }
        }
        return new Command.Invalid("`history` takes a number from 1 to " + MAX_HISTORY);
    }

    /**
     * Whether the only secret in {@code text} is a whole JWT that is the word where the key goes (first, or after
     * {@code --dry-run}), possibly quoted or as {@code PINATA_JWT=…}: then it is leaked-JWT input, not a refusal.
     */
    private static boolean jwtIsTheKey(String text, List<SecretDetector.Finding> secrets) {
        if (secrets.size() != 1 || !(secrets.get(0) instanceof SecretDetector.WholeJwt jwt)) {
            return false;
        }
        var words = WHITESPACE.split(text, 3);
        var at = 0;
        var word = words[0];
        if (word.equalsIgnoreCase(DRY_RUN)) {
            if (words.length < 2) {
                return false;
            }
            at = text.indexOf(words[1], DRY_RUN.length());
            word = words[1];
        }
        if (jwt.start() < at || jwt.end() > at + word.length()) {
            return false;
        }
        var core = jwtCore(unwrap(word));
        return LeakedJwt.looksLikeJwt(core) && core.equals(text.substring(jwt.start(), jwt.end()));
    }

    /** {@code PINATA_JWT=eyJ…} or {@code JWT: "eyJ…"} as copied from an env file: the JWT itself. */
    private static String jwtCore(String word) {
        return unwrap(ENV_PREFIX.matcher(word).replaceFirst(""));
    }

    private static final Pattern ENV_PREFIX = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,63}[=:]");

    /** People paste keys in backticks or quotes; accept that. */
    private static String unwrap(String token) {
        var t = token;
        while (t.length() >= 2 && isQuote(t.charAt(0)) && t.charAt(0) == t.charAt(t.length() - 1)) {
            t = t.substring(1, t.length() - 1);
        }
        return t;
    }

    private static boolean isQuote(char c) {
        return c == '`' || c == '"' || c == '\'';
    }

    private static String describe(String token) {
        if (token.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return token.length() < 8
                    ? "a key has at least 8 hexadecimal characters"
                    : "a key has at most 40 hexadecimal characters";
        }
        return "a key is made of hexadecimal characters only (0-9, a-f)";
    }
}
