package cloud.pinata.revokebot.revocation;

import java.util.List;

/**
 * What the App Home tab shows one person. Not an admin: what the bot does and how to ask ({@code admin} false, the
 * lists empty). An admin: the requests waiting for a decision and the latest outcomes, only in channels the bot has
 * seen this admin act in (request or decide), because it cannot cheaply check channel membership and a private
 * incident channel must not leak to an admin who is not in it; {@code pendingElsewhere} counts the pending requests
 * of other channels, without saying anything else about them.
 */
public record Home(
        boolean admin, List<RevocationRequest> pending, int pendingElsewhere, List<RevocationRequest> outcomes) {
    public static final int OUTCOMES = 10;
    public static final int PENDING_SHOWN = 20;

    public Home {
        pending = List.copyOf(pending);
        outcomes = List.copyOf(outcomes);
    }

    public static Home forNonAdmin() {
        return new Home(false, List.of(), 0, List.of());
    }

    /** The Home of admin {@code userId} from the workspace's newest requests (newest first). */
    static Home forAdmin(String userId, List<RevocationRequest> newest) {
        var channels = new java.util.HashSet<String>();
        for (var r : newest) {
            if (userId.equals(r.requesterId()) || userId.equals(r.decidedBy())) {
                channels.add(r.channelId());
            }
        }
        var pending = newest.stream()
                .filter(r -> r.state() == RequestState.PENDING && r.cardTs() != null)
                .toList();
        var shown = pending.stream()
                .filter(r -> channels.contains(r.channelId()))
                .limit(PENDING_SHOWN)
                .toList();
        var outcomes = newest.stream()
                .filter(r -> r.state().isTerminal() && channels.contains(r.channelId()))
                .limit(OUTCOMES)
                .toList();
        var elsewhere = (int)
                pending.stream().filter(r -> !channels.contains(r.channelId())).count();
        return new Home(true, shown, elsewhere, outcomes);
    }
}
