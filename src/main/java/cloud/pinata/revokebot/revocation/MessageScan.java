package cloud.pinata.revokebot.revocation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the message shortcut finds in a message's text (code blocks included: they are part of the text): whole
 * leaked JWTs and key ids. In free text a key id is a word of exactly 20 hex characters (every id seen in the
 * wild), so that commit hashes and dates do not start revocations; a JWT's {@code scopedKeyKey} is read as on the
 * command line. Secrets that cannot be mapped to a key (64-hex secrets, split or undecodable JWTs) are only noted.
 * Nothing here keeps the text.
 */
public final class MessageScan {
    /** The reason recorded for a request the shortcut starts: fixed text, never the message's. */
    public static final String REASON = "found in a message (message shortcut)";

    private static final Pattern KEY_ID = Pattern.compile("(?<![0-9A-Za-z_-])[0-9a-fA-F]{20}(?![0-9A-Za-z_-])");

    private MessageScan() {}

    /**
     * {@code jwt}: the first usable leaked JWT (null: none); {@code keyIds}: key ids written out, distinct, lower case;
     * {@code unusableJwt}: why a JWT found could not be used (null: none); {@code unmappedSecret}: a secret no key can
     * be read from.
     */
    public record Findings(LeakedJwt jwt, List<String> keyIds, String unusableJwt, boolean unmappedSecret) {
        public Findings {
            keyIds = List.copyOf(keyIds);
        }

        public boolean nothing() {
            return jwt == null && keyIds.isEmpty();
        }

        /** The request to start: the leaked JWT's key when there is one, else the key ids (at most {@code max}). */
        public Command.Revoke command(int max) {
            return jwt != null
                    ? Command.Revoke.leaked(jwt, REASON, false)
                    : new Command.Revoke(keyIds.subList(0, Math.min(max, keyIds.size())), REASON, false);
        }
    }

    /** {@code text} as Slack stores a message's text: {@code &}, {@code <}, {@code >} escaped. */
    public static Findings scan(String text) {
        var plain = text == null ? "" : CommandParser.unescapeSlack(text);
        LeakedJwt jwt = null;
        String unusable = null;
        var unmapped = false;
        var blanked = new StringBuilder(plain);
        var scan = SecretDetector.scanWithPlaces(plain);
        for (var f : scan.findings()) {
            if (f instanceof SecretDetector.WholeJwt whole) {
                for (int i = whole.start(); i < whole.end(); i++) {
                    blanked.setCharAt(i, '#');
                }
                var decoded = LeakedJwt.decode(plain.substring(whole.start(), whole.end()));
                if (decoded instanceof LeakedJwt.Usable usable) {
                    jwt = jwt == null ? usable.jwt() : jwt;
                } else {
                    unusable = unusable == null ? ((LeakedJwt.Unusable) decoded).problem() : unusable;
                }
            } else {
                unmapped = true;
            }
        }
        // A 20-hex word that is a piece of a secret (20 + 44, 20 + 20 + 24, …) is no key id: it would be echoed in
        // the answer and kept in the audit trail. The scan above marked every character of every secret found.
        var secret = scan.secretCharacters();
        var keys = new LinkedHashSet<String>();
        var m = KEY_ID.matcher(blanked);
        while (m.find()) {
            var inSecret = secret.nextSetBit(m.start());
            if (inSecret < 0 || inSecret >= m.end()) {
                keys.add(m.group().toLowerCase(Locale.ROOT));
            }
        }
        return new Findings(jwt, new ArrayList<>(keys), unusable, unmapped);
    }
}
