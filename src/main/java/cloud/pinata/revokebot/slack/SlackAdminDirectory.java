package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.revocation.Membership;
import cloud.pinata.revokebot.revocation.Ports.AdminDirectory;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin membership from {@code usergroups.users.list}, by user ID. Any failure to ask denies (fail closed).
 * The command path may use a 30-second cache; clicks always ask Slack afresh.
 * See https://docs.slack.dev/reference/methods/usergroups.users.list
 */
public final class SlackAdminDirectory implements AdminDirectory {
    private static final Logger log = LoggerFactory.getLogger(SlackAdminDirectory.class);
    static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final MethodsClient slack;
    private final List<String> groups;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Set<String> members, Instant until) {}

    public SlackAdminDirectory(MethodsClient slack, List<String> groups, Clock clock) {
        this.slack = slack;
        this.groups = List.copyOf(groups);
        this.clock = clock;
    }

    @Override
    public Membership check(String userId, boolean fresh) {
        if (fresh && lookUp(userId, false) instanceof Membership.NotMember) {
            // Refusing from the cache is still fail-closed, and it keeps a non-admin who spams clicks from spending
            // the workspace's usergroups.users.list budget (about 20 calls a minute) that real admins need.
            return new Membership.NotMember();
        }
        return lookUp(userId, fresh);
    }

    private Membership lookUp(String userId, boolean fresh) {
        String error = null;
        for (var group : groups) {
            try {
                if (members(group, fresh).contains(userId)) {
                    return new Membership.Member();
                }
            } catch (LookupFailed e) {
                error = e.getMessage();
            }
        }
        // Not found in any group we could read; if some group could not be read, we cannot say "not a member".
        return error == null ? new Membership.NotMember() : new Membership.Unknown(error);
    }

    private Set<String> members(String group, boolean fresh) throws LookupFailed {
        var now = clock.instant();
        if (!fresh) {
            var hit = cache.get(group);
            if (hit != null && now.isBefore(hit.until())) {
                return hit.members();
            }
        }
        try {
            var response = slack.usergroupsUsersList(r -> r.usergroup(group).includeDisabled(false));
            if (!response.isOk()) {
                if (Notices.PAID_PLAN_ONLY.contains(response.getError())) {
                    // plan_upgrade_required or paid_teams_only: the same cause, and the same fix.
                    log.warn(
                            "usergroups.users.list for {} failed: {}: user groups need a paid Slack plan, so nobody can be "
                                    + "confirmed as an admin on this workspace",
                            group,
                            response.getError());
                    throw new LookupFailed(response.getError());
                }
                log.warn("usergroups.users.list for {} failed: {}", group, response.getError());
                throw new LookupFailed(response.getError() == null ? "unknown_error" : response.getError());
            }
            var members = response.getUsers() == null ? Set.<String>of() : Set.copyOf(response.getUsers());
            cache.put(group, new Cached(members, now.plus(CACHE_TTL)));
            return members;
        } catch (SlackApiException e) {
            log.warn(
                    "usergroups.users.list for {} failed: HTTP {}",
                    group,
                    e.getResponse().code());
            throw new LookupFailed(
                    e.getResponse().code() == 429
                            ? "ratelimited"
                            : "http_" + e.getResponse().code());
        } catch (IOException e) {
            log.warn(
                    "usergroups.users.list for {} failed: {}",
                    group,
                    e.getClass().getSimpleName());
            throw new LookupFailed("network_error");
        }
    }

    private static final class LookupFailed extends Exception {
        LookupFailed(String code) {
            super(code, null, false, false);
        }
    }
}
