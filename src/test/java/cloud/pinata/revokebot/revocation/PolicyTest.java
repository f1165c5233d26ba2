package cloud.pinata.revokebot.revocation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The operator's rules: where the command may run, and which key is the bot's own. */
class PolicyTest {
    static final String BOT_KEY = "b07b07b07b07b07b07b0";

    private static Policy channels(String... entries) {
        return new Policy(List.of(entries), Duration.ofMinutes(10), false, Optional.empty());
    }

    private static Policy botKey(Optional<String> key) {
        return new Policy(List.of(), Duration.ofMinutes(10), false, key);
    }

    @Test
    void emptyChannelListAllowsEveryChannel() {
        var policy = channels();
        assertTrue(policy.channelAllowed("C0GENERAL", "general"));
        assertTrue(policy.channelAllowed("G0PRIVATE", null));
        assertTrue(policy.channelAllowed("D0DIRECT", "directmessage"));
    }

    @Test
    void channelIdEntryAllowsExactlyThatChannel() {
        var policy = channels("C0INCIDENT", "C0SECOPS");
        assertTrue(policy.channelAllowed("C0INCIDENT", "incident"));
        assertTrue(policy.channelAllowed("C0SECOPS", null));
        assertFalse(policy.channelAllowed("C0INCIDENT2", "incident-2"));
        assertFalse(policy.channelAllowed("C0GENERAL", "general"));
    }

    @Test
    void channelIdEntryIsNotUsedAsANamePrefix() {
        assertFalse(channels("C0INC").channelAllowed("C0OTHER", "C0INC-looks-like-the-id"));
    }

    @Test
    void namePrefixAllowsChannelsWhoseNameStartsWithIt() {
        var policy = channels("inc-", "sec");
        assertTrue(policy.channelAllowed("C0AAA", "inc-2024-05-leak"));
        assertTrue(policy.channelAllowed("C0BBB", "inc-"));
        assertTrue(policy.channelAllowed("C0CCC", "security"));
        assertFalse(policy.channelAllowed("C0DDD", "general"));
        assertFalse(policy.channelAllowed("C0EEE", "x-inc-1"), "a prefix must match at the start");
    }

    @Test
    void namePrefixNeverMatchesAChannelId() {
        // A lower-case prefix that happens to spell the start of an ID must not let that channel in.
        var policy = channels("c0inc");
        assertFalse(policy.channelAllowed("C0INC123", "general"));
        assertFalse(policy.channelAllowed("c0inc123", "general"), "the prefix is matched against names only");
    }

    @Test
    void namePrefixWithUnknownChannelNameIsRefused() {
        assertFalse(channels("inc-").channelAllowed("C0AAA", null));
    }

    @Test
    void mixedIdsAndPrefixesAllowEither() {
        var policy = channels("C0SECOPS", "inc-");
        assertTrue(policy.channelAllowed("C0SECOPS", "secops"));
        assertTrue(policy.channelAllowed("C0AAA", "inc-7"));
        assertFalse(policy.channelAllowed("C0AAA", "random"));
    }

    @Test
    void recognisesTheBotKeyWhateverItsCase() {
        var policy = botKey(Optional.of(BOT_KEY));
        assertTrue(policy.isBotKey(BOT_KEY));
        assertTrue(policy.isBotKey(BOT_KEY.toUpperCase()));
        assertFalse(policy.isBotKey("a1b2c3d4e5f6a7b8c9d0"));
        assertFalse(policy.isBotKey(BOT_KEY.substring(0, 19)), "a prefix of the bot key is another key");
    }

    @Test
    void noKeyIsTheBotKeyWhenTheBotKeyIsUnknown() {
        var policy = botKey(Optional.empty());
        assertFalse(policy.isBotKey(BOT_KEY));
        assertFalse(policy.isBotKey(""));
    }

    @Test
    void allowedChannelsCannotBeChangedAfterConstruction() {
        var entries = new java.util.ArrayList<>(List.of("C0SECOPS"));
        var policy = new Policy(entries, Duration.ofMinutes(10), false, Optional.empty());
        entries.add("inc-");
        assertFalse(policy.channelAllowed("C0AAA", "inc-1"));
    }
}
