package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.revocation.Caller;
import cloud.pinata.revokebot.revocation.Notice;
import cloud.pinata.revokebot.revocation.Ports.Messenger;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the work that follows an ack on the bot's bounded executor; a crash is logged and told to the user. */
public final class Jobs {
    private static final Logger log = LoggerFactory.getLogger(Jobs.class);

    private final Executor executor;
    private final Executor notices;
    private final Messenger messenger;

    /**
     * {@code notices} sends the answers that cannot go in an ack (a click refused because {@code executor} is full)
     * off the acknowledging thread; it should be bounded, and may refuse what it cannot take (logged).
     */
    public Jobs(Executor executor, Executor notices, Messenger messenger) {
        this.executor = executor;
        this.notices = notices;
        this.messenger = messenger;
    }

    /**
     * Tells {@code caller} alone (response_url, else chat.postEphemeral), in the background: the Slack call and its
     * retries never hold up the ack. Under an overload that also fills {@code notices}, the notice is dropped.
     */
    public void tell(Caller caller, Notice notice) {
        try {
            notices.execute(() -> {
                try {
                    messenger.tell(caller, notice);
                } catch (RuntimeException e) {
                    log.warn(
                            "Could not send a notice to user {}: {}",
                            caller.userId(),
                            e.getClass().getSimpleName());
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("Notice queue full; user {} was not told their click was refused", caller.userId());
        }
    }

    /** False when the executor is full: the caller must say so in the ack instead. */
    public boolean submit(Caller caller, String what, Runnable work) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException | Error e) {
                    log.error("{} failed for user {} in channel {}", what, caller.userId(), caller.channelId(), e);
                    messenger.tell(caller, new Notice.InternalError(what));
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            log.warn("Executor full; refused {} for user {}", what, caller.userId());
            return false;
        }
    }
}
