package cloud.pinata.revokebot.revocation;

/** What a {@code /pinata-revoke} text means, after parsing. */
public sealed interface Command {
    /** Empty text or {@code help}. */
    record Help() implements Command { }

    /** A well-formed key (lower-cased) and an optional reason (empty string when none). */
    record Revoke(String apiKey, String reason) implements Command { }

    /** The text contains a secret (a JWT or a 64-hex API secret). The value itself is never kept. */
    record SecretPasted(String kind) implements Command { }

    /** Anything else; {@code problem} says what was wrong without echoing the input. */
    record Invalid(String problem) implements Command { }
}
