package cloud.pinata.revokebot.revocation;

/** Who did something, and where: from a slash command or a button click. {@code responseUrl} may be null. */
public record Caller(String teamId, String channelId, String channelName, String userId, String responseUrl) {}
