package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.revocation.Caller;
import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.revocation.Ports.CardPost;
import cloud.pinata.revokebot.revocation.Ports.Messenger;
import cloud.pinata.revokebot.revocation.RevocationRequest;
import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.webhook.WebhookPayloads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/** Slack Web API calls for the domain: the card, its updates, the result, and messages to one person. */
public final class SlackMessenger implements Messenger {
    private static final Logger log = LoggerFactory.getLogger(SlackMessenger.class);

    private final Slack slack;
    private final MethodsClient methods;

    public SlackMessenger(Slack slack, MethodsClient methods) {
        this.slack = slack;
        this.methods = methods;
    }

    @Override
    public void tell(Caller to, String mrkdwn) {
        try {
            if (to.responseUrl() != null && !to.responseUrl().isBlank()) {
                // response_url works even where the bot is not a channel member (the not_in_channel case).
                var response = slack.send(to.responseUrl(), WebhookPayloads.payload(p -> p.text(mrkdwn)));
                if (response.getCode() / 100 != 2) {
                    log.warn("response_url answered HTTP {}", response.getCode());
                }
                return;
            }
            check("chat.postEphemeral", methods.chatPostEphemeral(r -> r.channel(to.channelId()).user(to.userId()).text(mrkdwn)));
        } catch (IOException | SlackApiException e) {
            log.warn("Could not message user {}: {}", to.userId(), e.getClass().getSimpleName());
        }
    }

    @Override
    public CardPost postCard(RevocationRequest request, KeyLookup lookup) {
        try {
            var response = methods.chatPostMessage(r -> r.channel(request.channelId())
                    .text(Cards.fallback(request))
                    .blocks(Cards.pending(request, lookup))
                    .unfurlLinks(false).unfurlMedia(false));
            if (!response.isOk()) {
                log.warn("chat.postMessage for request {} failed: {}", request.id(), response.getError());
                return new CardPost.NotPosted(response.getError());
            }
            return new CardPost.Posted(response.getTs());
        } catch (IOException | SlackApiException e) {
            log.warn("chat.postMessage for request {} failed: {}", request.id(), e.getClass().getSimpleName());
            return new CardPost.NotPosted("network_error");
        }
    }

    @Override
    public void updateCard(RevocationRequest request) {
        if (request.cardTs() == null) {
            return;
        }
        try {
            check("chat.update", methods.chatUpdate(r -> r.channel(request.channelId()).ts(request.cardTs())
                    .text(Cards.fallback(request)).blocks(Cards.decided(request))));
        } catch (IOException | SlackApiException e) {
            log.warn("chat.update for request {} failed: {}", request.id(), e.getClass().getSimpleName());
        }
    }

    @Override
    public void postResult(RevocationRequest request) {
        try {
            check("chat.postMessage", methods.chatPostMessage(r -> r.channel(request.channelId())
                    .text(Cards.result(request)).unfurlLinks(false).unfurlMedia(false)));
        } catch (IOException | SlackApiException e) {
            log.warn("Result message for request {} failed: {}", request.id(), e.getClass().getSimpleName());
        }
    }

    private static void check(String method, SlackApiTextResponse response) {
        if (!response.isOk()) {
            log.warn("{} failed: {}", method, response.getError());
        }
    }
}
