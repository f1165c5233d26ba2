package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.revocation.Caller;
import cloud.pinata.revokebot.revocation.Ports.Messenger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Runs the work that follows an ack on the bot's bounded executor; a crash is logged and told to the user. */
public final class Jobs {
    private static final Logger log = LoggerFactory.getLogger(Jobs.class);

    private final Executor executor;
    private final Messenger messenger;

    public Jobs(Executor executor, Messenger messenger) {
        this.executor = executor;
        this.messenger = messenger;
    }

    /** Tells {@code caller} alone (response_url, else chat.postEphemeral); for answers that cannot go in the ack. */
    public void tell(Caller caller, String mrkdwn) {
        messenger.tell(caller, mrkdwn);
    }

    /** False when the executor is full: the caller must say so in the ack instead. */
    public boolean submit(Caller caller, String what, Runnable work) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException | Error e) {
                    log.error("{} failed for user {} in channel {}", what, caller.userId(), caller.channelId(), e);
                    messenger.tell(caller, ":boom: Something went wrong inside the bot while handling this ("
                            + what + "). It has been logged. Nothing was revoked unless a result message says so.");
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            log.warn("Executor full; refused {} for user {}", what, caller.userId());
            return false;
        }
    }
}
