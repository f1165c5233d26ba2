package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.retry.RetryPolicy;
import cloud.pinata.revokebot.revocation.AuditRecord;
import cloud.pinata.revokebot.revocation.Caller;
import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.revocation.Notice;
import cloud.pinata.revokebot.revocation.Ports.CardPost;
import cloud.pinata.revokebot.revocation.Ports.Messenger;
import cloud.pinata.revokebot.revocation.RevocationRequest;
import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.app_backend.interactive_components.response.ActionResponse;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.util.json.GsonFactory;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack Web API calls for the domain: the card, its updates, the result, and messages to one person.
 * Rate limits (429, honouring Retry-After), 5xx and network failures are retried within a bounded policy.
 * Every message has blocks of verbatim mrkdwn (see {@link Mrkdwn#text}) and a full-sentence top-level {@code text}.
 */
public final class SlackMessenger implements Messenger {
    private static final Logger log = LoggerFactory.getLogger(SlackMessenger.class);
    /** {@code ok:false} errors that say "try again later" rather than "you are wrong". */
    private static final Set<String> TRANSIENT =
            Set.of("ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout");

    private final Slack slack;
    private final MethodsClient methods;
    private final RetryPolicy retry;
    private final RetryPolicy.Sleeper sleeper;
    /** The SDK's own snake_case Gson, as it serialises blocks for the Web API; thread-safe, built once. */
    private static final Gson JSON = GsonFactory.createSnakeCase();

    /** One Web API call, as a lambda over the methods client. */
    @FunctionalInterface
    interface Call<T extends SlackApiTextResponse> {
        T run() throws IOException, SlackApiException;
    }

    private final Optional<String> notify;

    public SlackMessenger(Slack slack, MethodsClient methods, RetryPolicy retry, RetryPolicy.Sleeper sleeper) {
        this(slack, methods, retry, sleeper, Optional.empty());
    }

    /** {@code notify}: the user group a pending card and its reminder mention (none: empty). */
    public SlackMessenger(
            Slack slack,
            MethodsClient methods,
            RetryPolicy retry,
            RetryPolicy.Sleeper sleeper,
            Optional<String> notify) {
        this.notify = notify;
        this.slack = slack;
        this.methods = methods;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    @Override
    public void tell(Caller to, Notice notice) {
        // Notices to one person are fixed sentences (Notices), so the sentence itself is the fallback text.
        var mrkdwn = Notices.text(notice);
        tell(to, mrkdwn, Mrkdwn.sections(mrkdwn, Cards.MAX_BLOCKS));
    }

    private void tell(Caller to, String fallback, List<LayoutBlock> blocks) {
        if (to.responseUrl() != null && !to.responseUrl().isBlank()) {
            // response_url works even where the bot is not a channel member (the not_in_channel case). Said
            // explicitly: only the caller sees it, and a click's answer never replaces the card.
            var payload = ActionResponse.builder()
                    .responseType("ephemeral")
                    .replaceOriginal(false)
                    .deleteOriginal(false)
                    .text(fallback)
                    .blocks(blocks)
                    .build();
            try {
                var response = slack.send(to.responseUrl(), JSON.toJson(payload));
                if (response.getCode() / 100 == 2) {
                    return;
                }
                log.warn("response_url answered HTTP {}; trying chat.postEphemeral", response.getCode());
            } catch (IOException e) {
                log.warn(
                        "response_url failed ({}); trying chat.postEphemeral",
                        e.getClass().getSimpleName());
            }
        }
        call(
                "chat.postEphemeral",
                () -> methods.chatPostEphemeral(r -> r.channel(to.channelId())
                        .user(to.userId())
                        .text(fallback)
                        .blocks(blocks)));
    }

    @Override
    public CardPost postCard(RevocationRequest request, KeyLookup lookup) {
        var response = call(
                "chat.postMessage",
                () -> methods.chatPostMessage(r -> r.channel(request.channelId())
                        .threadTs(request.threadTs())
                        .text(Cards.fallback(request))
                        .blocks(Cards.pending(request, lookup, notify))
                        .unfurlLinks(false)
                        .unfurlMedia(false)));
        if (response == null) {
            return new CardPost.NotPosted("network_error");
        }
        return response.isOk() ? new CardPost.Posted(response.getTs()) : new CardPost.NotPosted(response.getError());
    }

    @Override
    public void updateCard(RevocationRequest request) {
        if (request.cardTs() == null) {
            return;
        }
        var updated = call(
                "chat.update",
                () -> methods.chatUpdate(r -> r.channel(request.channelId())
                        .ts(request.cardTs())
                        .text(Cards.fallback(request))
                        .blocks(Cards.decided(request))));
        if ((updated == null || !updated.isOk()) && request.state().isTerminal()) {
            // The card still shows buttons; post its final state as a new message so the outcome is not lost.
            log.warn("Card of request {} could not be updated; posting its final state as a new message", request.id());
            call(
                    "chat.postMessage",
                    () -> methods.chatPostMessage(r -> r.channel(request.channelId())
                            .text(Cards.fallback(request))
                            .blocks(Cards.decided(request))
                            .unfurlLinks(false)
                            .unfurlMedia(false)));
        }
    }

    @Override
    public void postResult(RevocationRequest request) {
        call(
                "chat.postMessage",
                () -> methods.chatPostMessage(r -> r.channel(request.channelId())
                        .threadTs(request.threadTs())
                        .text(Cards.fallback(request))
                        .blocks(Cards.resultBlocks(request))
                        .unfurlLinks(false)
                        .unfurlMedia(false)));
    }

    @Override
    public void interrupted(RevocationRequest request, java.time.Duration settleWithin) {
        if (request.cardTs() == null) {
            return;
        }
        call(
                "chat.update",
                () -> methods.chatUpdate(r -> r.channel(request.channelId())
                        .ts(request.cardTs())
                        .text(Cards.interruptedText(request, settleWithin))
                        .blocks(Cards.interrupted(request, settleWithin))));
    }

    @Override
    public void publishHome(String userId, cloud.pinata.revokebot.revocation.Home home) {
        var view = com.slack.api.model.view.View.builder()
                .type("home")
                .blocks(HomeTab.blocks(home))
                .build();
        call("views.publish", () -> methods.viewsPublish(r -> r.userId(userId).view(view)));
    }

    @Override
    public void remind(RevocationRequest request) {
        var mrkdwn = Cards.reminder(request, notify);
        call(
                "chat.postMessage",
                () -> methods.chatPostMessage(r -> r.channel(request.channelId())
                        .threadTs(request.thread())
                        .text(mrkdwn)
                        .blocks(Mrkdwn.sections(mrkdwn, Cards.MAX_BLOCKS))
                        .unfurlLinks(false)
                        .unfurlMedia(false)));
    }

    @Override
    public void postNote(RevocationRequest request, Notice notice) {
        var mrkdwn = Notices.text(notice);
        // In the card's thread when the card is known, so the channel's main view is not flooded.
        call(
                "chat.postMessage",
                () -> methods.chatPostMessage(r -> r.channel(request.channelId())
                        .threadTs(request.thread())
                        .text(mrkdwn)
                        .unfurlLinks(false)
                        .unfurlMedia(false)));
    }

    @Override
    public void showHistory(Caller to, List<AuditRecord> records) {
        tell(to, Replies.historyFallback(records), Mrkdwn.sections(Replies.history(records), Cards.MAX_BLOCKS));
    }

    @Override
    public void showStatus(Caller to, String apiKey, KeyLookup lookup) {
        tell(
                to,
                Replies.statusFallback(apiKey, lookup),
                Mrkdwn.sections(Replies.status(apiKey, lookup), Cards.MAX_BLOCKS));
    }

    /** Runs one call with retries; returns the last response (ok or not), or null when Slack never answered. */
    private <T extends SlackApiTextResponse> T call(String method, Call<T> call) {
        var start = System.nanoTime();
        T last = null;
        for (int attempt = 1; ; attempt++) {
            long retryAfter = -1;
            try {
                last = call.run();
                if (last.isOk()) {
                    return last;
                }
                if (!TRANSIENT.contains(last.getError())) {
                    log.warn("{} failed: {}", method, last.getError());
                    return last;
                }
                log.warn("{} attempt {} failed: {}", method, attempt, last.getError());
            } catch (SlackApiException e) {
                var code = e.getResponse().code();
                if (code != 429 && code < 500) {
                    log.warn("{} failed: HTTP {}", method, code);
                    return last;
                }
                retryAfter = RetryPolicy.retryAfterSeconds(e.getResponse().header("Retry-After"));
                log.warn("{} attempt {} failed: HTTP {}", method, attempt, code);
            } catch (IOException e) {
                log.warn(
                        "{} attempt {} failed: {}",
                        method,
                        attempt,
                        e.getClass().getSimpleName());
            }
            if (attempt >= retry.maxAttempts()) {
                return last;
            }
            var delay = retry.delayAfter(attempt, retryAfter);
            if (java.time.Duration.ofNanos(System.nanoTime() - start)
                            .plus(delay)
                            .compareTo(retry.deadline())
                    > 0) {
                return last;
            }
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return last;
            }
        }
    }
}
