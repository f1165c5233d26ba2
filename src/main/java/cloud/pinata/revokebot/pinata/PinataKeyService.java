package cloud.pinata.revokebot.pinata;

import cloud.pinata.revokebot.retry.RetryPolicy;
import cloud.pinata.revokebot.revocation.KeyDetails;
import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.revocation.Ports.KeyService;
import cloud.pinata.revokebot.revocation.RevokeOutcome;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

/** The domain's view of Pinata: safe retries, outcome classification by status, and a state check when in doubt. */
public final class PinataKeyService implements KeyService {
    private static final Logger log = LoggerFactory.getLogger(PinataKeyService.class);
    /** Look-ups are best effort: stop paging after this many keys rather than keep a responder waiting. */
    private static final int MAX_LISTED_KEYS = 1000;

    private final PinataClient client;
    private final RetryPolicy retry;
    private final RetryPolicy.Sleeper sleeper;

    public PinataKeyService(PinataClient client, RetryPolicy retry, RetryPolicy.Sleeper sleeper) {
        this.client = client;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    @Override
    public KeyLookup lookup(String apiKey) {
        return lookupAll(List.of(apiKey)).get(apiKey);
    }

    @Override
    public Map<String, KeyLookup> lookupAll(List<String> apiKeys) {
        var wanted = new LinkedHashMap<String, String>();
        apiKeys.forEach(k -> wanted.put(k.toLowerCase(Locale.ROOT), k));
        var found = new HashMap<String, KeyLookup>();
        KeyLookup rest;
        var offset = 0;
        try {
            while (true) {
                if (offset >= MAX_LISTED_KEYS) {
                    rest = new KeyLookup.Unavailable("the organisation has more keys than the bot looks through");
                    break;
                }
                var page = client.listApiKeys(offset);
                for (var k : page.keys()) {
                    var asked = k.key() == null ? null : wanted.get(k.key().toLowerCase(Locale.ROOT));
                    if (asked != null) {
                        found.put(asked, new KeyLookup.Found(new KeyDetails(k.name(), k.createdAt(), summarize(k.scopes()), k.revoked())));
                    }
                }
                offset += page.keys().size();
                if (found.size() == wanted.size() || page.keys().isEmpty() || (page.count() != null && offset >= page.count())) {
                    rest = new KeyLookup.NotListed();
                    break;
                }
            }
        } catch (PinataException e) {
            log.warn("Key look-up failed: {}", e.getMessage());
            rest = new KeyLookup.Unavailable(e.status() == 0 ? "Pinata did not answer" : "Pinata answered HTTP " + e.status());
        } catch (RuntimeException e) {
            // Best effort by design: a surprise in Pinata's answer must not block the revocation flow.
            log.warn("Key look-up failed unexpectedly: {}", e.getClass().getSimpleName());
            rest = new KeyLookup.Unavailable("Pinata's answer could not be read");
        }
        var out = new LinkedHashMap<String, KeyLookup>();
        for (var k : apiKeys) {
            out.put(k, found.getOrDefault(k, rest));
        }
        return out;
    }

    @Override
    public RevokeOutcome revoke(String apiKey) {
        var start = System.nanoTime();
        var ambiguous = false;
        PinataException last = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            try {
                client.revokeApiKey(apiKey);
                return new RevokeOutcome.Revoked(200, RevokeOutcome.Verification.UNVERIFIED);
            } catch (PinataException e) {
                last = e;
                log.warn("Revoke attempt {} failed: {}", attempt, e.getMessage());
                if (!e.retryable()) {
                    break;
                }
                // A 429 was refused before any work; a timeout, reset or 5xx may have revoked the key.
                ambiguous |= e.requestSent() && e.status() != 429;
                if (attempt == retry.maxAttempts()) {
                    break;
                }
                var delay = retry.delayAfter(attempt, e.retryAfterSeconds());
                var elapsed = Duration.ofNanos(System.nanoTime() - start);
                if (elapsed.plus(delay).compareTo(retry.deadline()) > 0) {
                    break;
                }
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        var outcome = classify(last);
        // A timed-out or 5xx attempt may have revoked the key: read its state rather than guess.
        if (ambiguous || outcome instanceof RevokeOutcome.Unavailable) {
            var lookup = lookup(apiKey);
            if (lookup instanceof KeyLookup.Found found && found.details().revoked()) {
                return new RevokeOutcome.Revoked(outcome.status(), RevokeOutcome.Verification.VERIFIED);
            }
            if (outcome instanceof RevokeOutcome.Unavailable u) {
                var state = lookup instanceof KeyLookup.Found ? RevokeOutcome.Unavailable.STILL_ACTIVE
                        : "the key's state could not be confirmed";
                return new RevokeOutcome.Unavailable(u.status(), u.detail() + "; " + state);
            }
        }
        return outcome;
    }

    private static RevokeOutcome classify(PinataException e) {
        var status = e.status();
        if (status == 401) {
            return new RevokeOutcome.Refused(RevokeOutcome.Reason.BOT_CREDENTIAL_INVALID, status, e.reason());
        }
        if (status == 403) {
            return new RevokeOutcome.Refused(RevokeOutcome.Reason.BOT_NOT_ALLOWED, status, e.reason());
        }
        if (status == 404) {
            return new RevokeOutcome.Refused(RevokeOutcome.Reason.KEY_NOT_FOUND, status, e.reason());
        }
        if (status >= 400 && status < 500 && status != 429) {
            return new RevokeOutcome.Refused(RevokeOutcome.Reason.REJECTED, status, e.reason());
        }
        var detail = status == 0 ? "no answer from Pinata" : status == 429 ? "rate limited by Pinata" : "server error at Pinata";
        return new RevokeOutcome.Unavailable(status, detail);
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
