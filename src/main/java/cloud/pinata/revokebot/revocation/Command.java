package cloud.pinata.revokebot.revocation;

/** What a {@code /pinata-revoke} text means, after parsing. */
public sealed interface Command {
    /** Empty text or {@code help}. */
    record Help() implements Command { }

    /** A well-formed key (lower-cased), an optional reason (empty string when none), and whether it is a dry run. */
    record Revoke(String apiKey, String reason, boolean dryRun) implements Command {
        public Revoke(String apiKey, String reason) {
            this(apiKey, reason, false);
        }
    }

    /** {@code history [N]}: the newest N audit records (admins only). */
    record History(int limit) implements Command { }

    /** {@code status <key>}: what Pinata says about a key now (admins only). */
    record Status(String apiKey) implements Command { }

    /** The text contains a secret (a JWT or a 64-hex API secret). The value itself is never kept. */
    record SecretPasted(String kind) implements Command { }

    /** Anything else; {@code problem} says what was wrong without echoing the input. */
    record Invalid(String problem) implements Command { }
}
