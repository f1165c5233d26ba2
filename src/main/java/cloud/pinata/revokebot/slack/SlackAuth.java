package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.retry.RetryPolicy;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.auth.AuthTestResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auth.test} at start-up, until Slack answers (https://docs.slack.dev/reference/methods/auth.test).
 * Bolt's own start-up check turns any failure, a DNS error included, into "The token is invalid"; here only Slack's
 * own refusal of the token is final ({@link TokenRejected}), and anything else (network, HTTP 5xx or 429, a transient
 * {@code ok:false}) is retried with a capped backoff while {@code /health} says why the bot is not ready.
 */
public final class SlackAuth {
    private static final Logger log = LoggerFactory.getLogger(SlackAuth.class);
    /** Slack's answers that mean "this token will never work": a configuration error, not an outage. */
    static final Set<String> TOKEN_REJECTED = Set.of("invalid_auth", "not_authed", "account_inactive");

    private SlackAuth() {}

    /** The start-up backoff: the Slack calls' first delay, capped at ten times their cap (300 ms … 30 s in production). */
    public static RetryPolicy backoff(RetryPolicy slackCalls) {
        return new RetryPolicy(
                Integer.MAX_VALUE, slackCalls.baseDelay(), slackCalls.maxDelay().multipliedBy(10), Duration.ZERO);
    }

    /**
     * Calls {@code auth.test} until Slack answers ok, and returns that answer. {@code notReady} hears the reason after
     * every failed attempt (for {@code /health}); it may throw to give up (e.g. when the database failed meanwhile).
     */
    public static AuthTestResponse await(
            MethodsClient methods, RetryPolicy backoff, RetryPolicy.Sleeper sleeper, Consumer<String> notReady) {
        for (int attempt = 1; ; attempt++) {
            String cause;
            long retryAfter = -1;
            try {
                var answer = methods.authTest(r -> r);
                if (answer.isOk()) {
                    if (attempt > 1) {
                        log.info("Slack answered auth.test after {} attempts; the bot is ready", attempt);
                    }
                    return answer;
                }
                if (TOKEN_REJECTED.contains(answer.getError())) {
                    throw new TokenRejected(answer.getError());
                }
                cause = "auth.test said " + safeCode(answer.getError());
            } catch (SlackApiException e) {
                cause = "HTTP " + e.getResponse().code();
                retryAfter = RetryPolicy.retryAfterSeconds(e.getResponse().header("Retry-After"));
            } catch (IOException e) {
                cause = e.getClass().getSimpleName();
            }
            var why = "Slack unreachable: " + cause;
            // One line per failure while it is fresh, then one every 10 attempts: no stack trace, nothing secret.
            if (attempt <= 3 || attempt % 10 == 0) {
                log.warn("{} (auth.test attempt {}); retrying, /health answers 503 until Slack answers", why, attempt);
            }
            notReady.accept(why);
            try {
                sleeper.sleep(backoff.delayAfter(Math.min(attempt, 20), retryAfter));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Slack", e);
            }
        }
    }

    /** Slack refused the bot token: one line that names the fix, no stack trace. Never carries the token. */
    public static final class TokenRejected extends RuntimeException {
        TokenRejected(String error) {
            super(message(error), null, false, false);
        }

        private static String message(String error) {
            var fix = "account_inactive".equals(error)
                    ? "the app's bot user was deactivated or the app uninstalled: reinstall the app, then put its new Bot User OAuth Token (xoxb-…) in SLACK_BOT_TOKEN"
                    : "put the app's Bot User OAuth Token (xoxb-…, Slack app → Install App) in SLACK_BOT_TOKEN";
            return "Slack rejected SLACK_BOT_TOKEN (auth.test: " + error + "): " + fix + ".";
        }
    }

    /** Slack's error codes are short identifiers; anything else is not echoed (it ends up on /health). */
    private static String safeCode(String code) {
        return code != null && code.matches("[a-z0-9_.:-]{1,60}") ? code : "unknown_error";
    }
}
