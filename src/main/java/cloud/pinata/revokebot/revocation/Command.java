package cloud.pinata.revokebot.revocation;

import java.util.List;

/** What a {@code /pinata-revoke} text means, after parsing. */
public sealed interface Command {
    /** Empty text or {@code help}. */
    record Help() implements Command {}

    /**
     * One or more well-formed keys (lower-cased, distinct, in the order given), an optional reason (empty string
     * when none), and whether it is a dry run.
     */
    record Revoke(List<String> apiKeys, String reason, boolean dryRun, LeakedJwt leakedJwt) implements Command {
        public Revoke {
            apiKeys = List.copyOf(apiKeys);
            if (apiKeys.isEmpty()) {
                throw new IllegalArgumentException("at least one key");
            }
            if (leakedJwt != null && (apiKeys.size() != 1 || !apiKeys.get(0).equals(leakedJwt.apiKey()))) {
                throw new IllegalArgumentException("a leaked JWT names exactly its own key");
            }
        }

        public Revoke(List<String> apiKeys, String reason, boolean dryRun) {
            this(apiKeys, reason, dryRun, null);
        }

        /** A leaked JWT given instead of the key: its {@code scopedKeyKey} is the key. */
        public static Revoke leaked(LeakedJwt jwt, String reason, boolean dryRun) {
            return new Revoke(List.of(jwt.apiKey()), reason, dryRun, jwt);
        }

        public Revoke(String apiKey, String reason, boolean dryRun) {
            this(List.of(apiKey), reason, dryRun);
        }

        public Revoke(String apiKey, String reason) {
            this(List.of(apiKey), reason, false);
        }

        /** The first key; the only one for a single-key request. */
        public String apiKey() {
            return apiKeys.get(0);
        }
    }

    /** {@code history [N]}: the newest N audit records (admins only). */
    record History(int limit) implements Command {}

    /** {@code status <key>}: what Pinata says about a key now (admins only). */
    record Status(String apiKey) implements Command {}

    /** The text contains a secret (a JWT or a 64-hex API secret). The value itself is never kept. */
    record SecretPasted(String kind) implements Command {}

    /**
     * A whole JWT where the key goes that cannot be used: it does not decode, names no {@code scopedKeyKey}, or was
     * cut in the paste. {@code problem} says why, without quoting any of it.
     */
    record UnusableJwt(String problem) implements Command {}

    /** Anything else; {@code problem} says what was wrong without echoing the input. */
    record Invalid(String problem) implements Command {}
}
