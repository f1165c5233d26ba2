package cloud.pinata.revokebot.revocation;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The rules an operator configures. {@code allowedChannels} holds channel IDs ({@code C…}) or name prefixes
 * ({@code inc-}); empty allows every channel. {@code botKey} is the bot's own public key, when known.
 */
public record Policy(
        List<String> allowedChannels, Duration confirmTtl, boolean requireSecondAdmin, Optional<String> botKey) {

    public Policy {
        allowedChannels = List.copyOf(allowedChannels);
    }

    public boolean channelAllowed(String channelId, String channelName) {
        if (allowedChannels.isEmpty()) {
            return true;
        }
        for (var entry : allowedChannels) {
            if (entry.equals(channelId)) {
                return true;
            }
            // IDs are upper case, prefixes lower case: a prefix never matches an ID by accident.
            if (!looksLikeChannelId(entry) && channelName != null && channelName.startsWith(entry)) {
                return true;
            }
        }
        return false;
    }

    public boolean isBotKey(String apiKey) {
        return botKey.map(apiKey::equalsIgnoreCase).orElse(false);
    }

    public static boolean looksLikeChannelId(String entry) {
        return !entry.isEmpty() && Character.isUpperCase(entry.charAt(0));
    }
}
