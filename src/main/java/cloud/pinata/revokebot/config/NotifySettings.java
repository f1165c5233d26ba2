package cloud.pinata.revokebot.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a pending card and its reminder mention, so that nobody waits for an admin who never saw it:
 * {@code NOTIFY_USERGROUP} (a user group ID), else the first of {@code ADMIN_USERGROUPS};
 * {@code NOTIFY_ADMINS=false} mentions nobody. Empty {@link #usergroup()}: no mention.
 */
public record NotifySettings(Optional<String> usergroup) {
    private static final Pattern USERGROUP_ID = Pattern.compile("S[A-Z0-9]{2,}");

    public static NotifySettings none() {
        return new NotifySettings(Optional.empty());
    }

    static NotifySettings fromEnvironment(Map<String, String> env, List<String> adminGroups, List<String> problems) {
        var enabled = env.getOrDefault("NOTIFY_ADMINS", "").trim().toLowerCase(Locale.ROOT);
        if (!enabled.isEmpty() && !enabled.equals("true") && !enabled.equals("false")) {
            problems.add("NOTIFY_ADMINS must be true or false");
            return none();
        }
        var group = env.getOrDefault("NOTIFY_USERGROUP", "").trim();
        if (!group.isEmpty() && !USERGROUP_ID.matcher(group).matches()) {
            problems.add("NOTIFY_USERGROUP must be a user group ID (S followed by letters and digits)");
            return none();
        }
        if (enabled.equals("false")) {
            return none();
        }
        if (!group.isEmpty()) {
            return new NotifySettings(Optional.of(group));
        }
        return new NotifySettings(adminGroups.isEmpty() ? Optional.empty() : Optional.of(adminGroups.get(0)));
    }
}
