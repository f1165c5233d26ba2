package cloud.pinata.revokebot.pinata;

import cloud.pinata.revokebot.retry.RetryPolicy;
import cloud.pinata.revokebot.revocation.JwtProof;
import cloud.pinata.revokebot.revocation.KeyDetails;
import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.revocation.KeyState;
import cloud.pinata.revokebot.revocation.LeakedJwt;
import cloud.pinata.revokebot.revocation.Ports.Attempts;
import cloud.pinata.revokebot.revocation.Ports.KeyService;
import cloud.pinata.revokebot.revocation.RevokeOutcome;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The domain's view of Pinata: the key index for evidence, the revoke call with safe retries inside the caller's
 * lease, and outcome classification by status (the body only names the reason).
 */
public final class PinataKeyService implements KeyService {
    private static final Logger log = LoggerFactory.getLogger(PinataKeyService.class);
    /** A wait this long is worth telling the channel about. */
    private static final Duration TELL_AFTER = Duration.ofSeconds(5);

    private final PinataClient client;
    private final KeyIndex index;
    private final RetryPolicy retry;
    private final RetryPolicy.Sleeper sleeper;
    private final Clock clock;
    private final Duration waitForIndex;

    public PinataKeyService(
            PinataClient client,
            KeyIndex index,
            RetryPolicy retry,
            RetryPolicy.Sleeper sleeper,
            Clock clock,
            Duration waitForIndex) {
        this.client = client;
        this.index = index;
        this.retry = retry;
        this.sleeper = sleeper;
        this.clock = clock;
        this.waitForIndex = waitForIndex;
    }

    public KeyIndex index() {
        return index;
    }

    @Override
    public KeyLookup lookup(String apiKey) {
        return lookupAll(List.of(apiKey)).get(apiKey);
    }

    @Override
    public Map<String, KeyLookup> lookupAll(List<String> apiKeys) {
        try {
            return index.evidence(apiKeys, waitForIndex);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            var out = new LinkedHashMap<String, KeyLookup>();
            apiKeys.forEach(k -> out.put(k, new KeyLookup.Unavailable("the bot was stopping")));
            return out;
        } catch (RuntimeException e) {
            // Best effort by design: a surprise in Pinata's answer must not block the revocation flow.
            log.warn("Key look-up failed unexpectedly: {}", e.toString());
            var out = new LinkedHashMap<String, KeyLookup>();
            apiKeys.forEach(k -> out.put(k, new KeyLookup.Unavailable("Pinata's answer could not be read")));
            return out;
        }
    }

    @Override
    public KeyState stateNow(String apiKey, KeyDetails known) {
        try {
            index.awaitComplete(waitForIndex);
            return index.stateNow(apiKey, known);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new KeyState.Unknown("the bot was stopping");
        } catch (RuntimeException e) {
            log.warn("Reading key {}'s state failed unexpectedly: {}", apiKey, e.toString());
            return new KeyState.Unknown("Pinata's answer could not be read");
        }
    }

    /**
     * The leaked JWT's one check. Pinata documents "401/403 for an invalid or revoked credential" without saying
     * which a revoked key's JWT gets (401 {@code INVALID_CREDENTIALS} or 403 {@code API_KEY_REVOKED}): both count as
     * refused. A 2xx means it still works. Anything else proves neither, and is said as "could not be checked".
     */
    @Override
    public JwtProof testCredential(LeakedJwt leaked) {
        int status;
        try {
            status = client.testAuthentication(leaked.reveal());
        } catch (PinataException e) {
            // The message names the route and the failure, never the credential.
            log.warn("Checking a leaked JWT got no answer: {}", e.getMessage());
            return JwtProof.notChecked(0, "no answer from Pinata");
        }
        if (status == 401 || status == 403) {
            return JwtProof.refused(status);
        }
        if (status / 100 == 2) {
            return JwtProof.stillAccepted(status);
        }
        return JwtProof.notChecked(
                status,
                status == 429 ? "Pinata's rate limit" : status >= 500 ? "Pinata had an error" : "an unexpected answer");
    }

    @Override
    public boolean ready() {
        return index.isComplete();
    }

    @Override
    public void learnRevoked(String apiKey, KeyDetails details) {
        index.learnRevoked(apiKey, details);
    }

    /**
     * The PUT, retried on 429 (after Pinata's Retry-After, even 60 s), 5xx and connection failures, within the policy's
     * deadline, and only while {@code attempts.stillHeld()}: a process that lost the request's lease sends nothing more.
     */
    @Override
    public RevokeOutcome revoke(String apiKey, Attempts attempts) {
        var start = clock.instant();
        var ambiguous = false;
        PinataException last = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            if (!attempts.stillHeld()) {
                return last == null
                        ? new RevokeOutcome.Unavailable(0, RevokeOutcome.Unavailable.LEASE_LOST)
                        : settle(classify(last), ambiguous, RevokeOutcome.Unavailable.LEASE_LOST);
            }
            try {
                client.revokeApiKey(apiKey, attempts::stillHeld);
                return new RevokeOutcome.Revoked(200, RevokeOutcome.Verification.UNVERIFIED);
            } catch (PinataException e) {
                if (e.isWithheld()) {
                    // The lease was lost while the budget held the call back: nothing was sent this time.
                    return last == null
                            ? new RevokeOutcome.Unavailable(0, RevokeOutcome.Unavailable.LEASE_LOST)
                            : settle(classify(last), ambiguous, RevokeOutcome.Unavailable.LEASE_LOST);
                }
                last = e;
                log.warn("Revoke attempt {} for key {} failed: {}", attempt, apiKey, e.getMessage());
                if (!e.retryable()) {
                    break;
                }
                // A 429 was refused before any work; a timeout, reset or 5xx may have revoked the key.
                ambiguous |= e.requestSent() && e.status() != 429;
                if (attempt == retry.maxAttempts()) {
                    break;
                }
                var delay = retry.delayAfter(attempt, e.retryAfterSeconds());
                var elapsed = Duration.between(start, clock.instant());
                if (elapsed.plus(delay).compareTo(retry.deadline()) > 0) {
                    break;
                }
                if (delay.compareTo(TELL_AFTER) >= 0) {
                    attempts.waiting(delay, e.status() == 429);
                }
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return settle(classify(last), ambiguous, null);
    }

    /**
     * An unavailable outcome remembers whether an attempt may have reached Pinata. A refusal after such an attempt
     * proves nothing either (the first attempt may have revoked the key): it is unclear, and the state decides.
     */
    private static RevokeOutcome settle(RevokeOutcome outcome, boolean ambiguous, String note) {
        if (ambiguous && outcome instanceof RevokeOutcome.Refused refused) {
            return new RevokeOutcome.Unavailable(
                    refused.status(),
                    "Pinata refused a retry (HTTP " + refused.status() + ") after an attempt that may have gone through"
                            + (note == null ? "" : "; " + note),
                    true);
        }
        if (outcome instanceof RevokeOutcome.Unavailable u) {
            var detail = note == null ? u.detail() : u.detail() + "; " + note;
            return new RevokeOutcome.Unavailable(u.status(), detail, ambiguous);
        }
        return outcome;
    }

    static RevokeOutcome classify(PinataException e) {
        var status = e.status();
        if (status == 401) {
            return new RevokeOutcome.Refused(RevokeOutcome.Reason.BOT_CREDENTIAL_INVALID, status, e.reason());
        }
        if (status == 403) {
            var why = "API_KEY_REVOKED".equals(e.reason())
                    ? RevokeOutcome.Reason.BOT_KEY_REVOKED
                    : RevokeOutcome.Reason.BOT_NOT_ALLOWED;
            return new RevokeOutcome.Refused(why, status, e.reason());
        }
        if (status == 404) {
            // Never seen for an unknown key; without Pinata's JSON envelope it is the web server's "no such route".
            var why = e.pinataEnvelope() ? RevokeOutcome.Reason.KEY_NOT_FOUND : RevokeOutcome.Reason.ROUTE_NOT_FOUND;
            return new RevokeOutcome.Refused(why, status, e.reason());
        }
        if (status >= 400 && status < 500 && status != 429) {
            return new RevokeOutcome.Refused(RevokeOutcome.Reason.REJECTED, status, e.reason());
        }
        var detail = status == 0
                ? "no answer from Pinata"
                : status == 429 ? "rate limited by Pinata" : "server error at Pinata";
        return new RevokeOutcome.Unavailable(status, detail, false);
    }

    /** {@code {"admin":true}} → {@code admin}; otherwise the names of the endpoints switched on. */
    static String summarize(JsonNode scopes) {
        if (scopes == null || scopes.isNull() || scopes.isMissingNode()) {
            return null;
        }
        if (scopes.path("admin").asBoolean(false)) {
            return "admin";
        }
        var enabled = new TreeSet<String>();
        collectEnabled(scopes.path("endpoints"), enabled);
        if (enabled.isEmpty()) {
            return "no endpoints";
        }
        var names = new ArrayList<>(enabled);
        var shown = String.join(", ", names.subList(0, Math.min(6, names.size())));
        return names.size() > 6 ? shown + " and " + (names.size() - 6) + " more" : shown;
    }

    private static void collectEnabled(JsonNode node, TreeSet<String> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isBoolean() && e.getValue().asBoolean()) {
                into.add(e.getKey());
            } else if (e.getValue().isObject()) {
                collectEnabled(e.getValue(), into);
            }
        }
    }
}
