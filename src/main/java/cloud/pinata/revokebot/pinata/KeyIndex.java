package cloud.pinata.revokebot.pinata;

import cloud.pinata.revokebot.pinata.RequestBudget.Priority;
import cloud.pinata.revokebot.revocation.KeyDetails;
import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.revocation.KeyState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the bot knows about the organisation's keys: public fields only (secrets never reach this class; see
 * {@link PinataApiKey}). One instance per process, shared by the card, the click, the checks after a failure, crash
 * recovery and {@code status}.
 *
 * <p>How it spends the request budget:
 * <ul>
 * <li>a <b>complete scan</b> of the legacy list (active keys, 10 a page; one request per page) at start-up and every
 *     {@code rebuildEvery}, in the background, then the V3 list of revoked keys, likewise;</li>
 * <li>before a card, a <b>front check</b>: the legacy list lists the newest key first, so a key created since the
 *     last scan is on the first pages; the check reads from page one until it meets a key it already knows (usually
 *     one request), at most once per {@code freshFor};</li>
 * <li>after a revoke call, a <b>locate</b>: the page where the key was, and its neighbours if needed, tell whether it
 *     is still active, because the list is in creation order (usually one request).</li>
 * </ul>
 * The legacy list's order is observed, not documented: every page read is checked to be newest first, and when one
 * is not, the index stops relying on the order (no front checks, no locates: it answers "unknown" instead of guessing).
 */
public final class KeyIndex {
    private static final Logger log = LoggerFactory.getLogger(KeyIndex.class);
    static final int PAGE = 10;
    /** Reads of one locate before it gives up (the key has moved far, or the list is changing fast). */
    private static final int LOCATE_READS = 6;

    private final PinataClient client;
    private final Clock clock;
    private final Duration freshFor;
    private final int maxPages;

    /** One front check at a time; the others wait and then find the index fresh. */
    private final Object frontLock = new Object();

    private Map<String, Entry> active = new LinkedHashMap<>();
    private final Map<String, Entry> revoked = new HashMap<>();
    private Instant completeAt;
    private Instant frontCheckedAt;
    private boolean ordered = true;
    private boolean v3Available = true;
    private String notReadyReason = "the bot has not read the organisation's keys yet";

    /** One key as last seen; {@code offset} is its position in the legacy list then. */
    record Entry(String key, String name, Instant createdAt, String createdAtText, String scopes, int offset) {
        KeyDetails details(boolean isRevoked) {
            return new KeyDetails(name, createdAtText, scopes, isRevoked);
        }

        Entry at(int newOffset) {
            return new Entry(key, name, createdAt, createdAtText, scopes, newOffset);
        }
    }

    public KeyIndex(PinataClient client, Clock clock, Duration freshFor, int maxPages) {
        this.client = client;
        this.clock = clock;
        this.freshFor = freshFor;
        this.maxPages = maxPages;
    }

    /** A complete scan of the active keys, then of the revoked ones (V3). Replaces what the index knew. */
    public void rebuild(Priority priority) throws PinataException {
        var started = clock.instant();
        var scan = scanActive(priority, e -> false);
        synchronized (this) {
            var scanned = new LinkedHashMap<String, Entry>();
            scan.entries().forEach(e -> scanned.put(lower(e.key()), e));
            active = scanned;
            ordered = scan.newestFirst();
            completeAt = clock.instant();
            // Keys created while the scan ran are on the first page now: the next card checks the front again.
            frontCheckedAt = started;
            notifyAll();
        }
        if (!scan.newestFirst()) {
            log.warn("Pinata's key list is not newest first: the index will not trust page order and reports "
                    + "key states it cannot prove as unknown");
        }
        scanRevoked(priority);
        synchronized (this) {
            attempted = true;
        }
        log.info("Key index: {} active and {} revoked keys", activeCount(), revokedCount());
    }

    /** What a scan of the active list found, in list order. */
    private record Scan(List<Entry> entries, boolean newestFirst) {}

    /**
     * Reads the active list from the top until {@code stop} accepts a key or the list ends. Consecutive pages
     * overlap by one key: when a page holds no key seen before, keys were removed meanwhile and the list moved up,
     * so the scan steps back a page instead of skipping the keys that moved past it.
     */
    private Scan scanActive(Priority priority, java.util.function.Predicate<Entry> stop) throws PinataException {
        var out = new ArrayList<Entry>();
        var seen = new java.util.HashSet<String>();
        var sorted = true;
        var offset = 0;
        var backups = 0;
        for (int pages = 0; ; pages++) {
            if (pages >= maxPages) {
                throw new PinataException(
                        200,
                        null,
                        "the organisation has more keys than the bot reads (" + maxPages + " pages)",
                        true,
                        -1,
                        null);
            }
            var page = client.listApiKeys(offset, priority);
            var entries = new ArrayList<Entry>();
            page.keys().forEach(k -> Optional.ofNullable(entry(k, -1)).ifPresent(entries::add));
            sorted &= newestFirst(entries);
            if (offset > 0 && !entries.isEmpty() && entries.stream().noneMatch(e -> seen.contains(lower(e.key())))) {
                if (++backups > 5) {
                    throw new PinataException(
                            200, null, "Pinata's key list kept changing while the bot read it", true, -1, null);
                }
                offset = Math.max(0, offset - (PAGE - 1));
                continue;
            }
            for (var e : entries) {
                if (seen.add(lower(e.key()))) {
                    var placed = e.at(out.size());
                    out.add(placed);
                    if (stop.test(placed)) {
                        return new Scan(out, sorted);
                    }
                }
            }
            // Never trust count alone (it may count the page): an empty or short page is the end.
            if (page.keys().size() < PAGE) {
                return new Scan(out, sorted);
            }
            offset += page.keys().size() - 1;
        }
    }

    /** The V3 list of revoked keys: positive evidence for "already revoked". Optional: older set-ups lack it. */
    private void scanRevoked(Priority priority) {
        if (!v3Available) {
            return;
        }
        var found = new HashMap<String, Entry>();
        var offset = 0;
        try {
            for (int pages = 0; pages < maxPages; pages++) {
                var page = client.listRevokedKeys(offset, null, priority);
                for (var k : page.keys()) {
                    var e = entry(k, -1);
                    if (e != null && k.revoked()) {
                        found.put(lower(e.key()), e);
                    }
                }
                offset += page.keys().size();
                if (page.keys().size() < PAGE) {
                    synchronized (this) {
                        // Revocation is permanent: what an earlier scan or a by-name search saw stays true.
                        revoked.putAll(found);
                    }
                    return;
                }
            }
        } catch (PinataException e) {
            if (e.status() == 404 || e.status() == 403) {
                synchronized (this) {
                    v3Available = false;
                }
                log.warn(
                        "Pinata's V3 key list is not available to the bot's key ({}): 'already revoked' cannot be "
                                + "told apart from a mistyped key",
                        e.getMessage());
            } else {
                log.warn("Reading Pinata's revoked keys failed: {}", e.getMessage());
            }
        }
    }

    /** Remembers why the index is not complete, for the card's "details unavailable (…)". */
    public synchronized void buildFailed(String reason) {
        notReadyReason = reason;
        attempted = true;
    }

    /** The first build (active and revoked keys) has ended, well or not. */
    public synchronized boolean attempted() {
        return attempted;
    }

    private boolean attempted;

    /** Waits up to {@code timeout} for the first complete scan; true once there is one. */
    public synchronized boolean awaitComplete(Duration timeout) throws InterruptedException {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (completeAt == null) {
            var left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    public synchronized boolean isComplete() {
        return completeAt != null;
    }

    /**
     * The evidence before a card: {@code Found} (active, or revoked per the V3 list), {@code NotListed} (a complete
     * and fresh listing does not show it active) or {@code Unavailable} (the listing could not be read).
     */
    public Map<String, KeyLookup> evidence(List<String> apiKeys, Duration waitForFirstScan)
            throws InterruptedException {
        var out = new LinkedHashMap<String, KeyLookup>();
        if (!awaitComplete(waitForFirstScan)) {
            String why;
            synchronized (this) {
                why = notReadyReason;
            }
            apiKeys.forEach(k -> out.put(k, new KeyLookup.Unavailable(why)));
            return out;
        }
        String stale = null;
        try {
            refreshFront();
        } catch (PinataException e) {
            log.warn("Key index front check failed: {}", e.getMessage());
            stale = Messages.lookupFailure(e);
        }
        synchronized (this) {
            for (var k : apiKeys) {
                var a = active.get(lower(k));
                var r = revoked.get(lower(k));
                if (r != null) {
                    out.put(k, new KeyLookup.Found(r.details(true)));
                } else if (a != null) {
                    out.put(k, new KeyLookup.Found(a.details(false)));
                } else if (stale != null) {
                    // Not in the last complete listing, and newer keys could not be read: it may be brand new.
                    out.put(k, new KeyLookup.Unavailable(stale));
                } else {
                    out.put(k, new KeyLookup.NotListed());
                }
            }
        }
        return out;
    }

    /** Reads from the newest key on until a key the index already knows; at most once per {@code freshFor}. */
    private void refreshFront() throws PinataException {
        refreshFront(false);
    }

    /** {@code force}: read now whatever the last check's age (evidence for a claim must be read, not remembered). */
    private void refreshFront(boolean force) throws PinataException {
        synchronized (frontLock) {
            Map<String, Entry> known;
            synchronized (this) {
                if (!force && frontCheckedAt != null && clock.instant().isBefore(frontCheckedAt.plus(freshFor))) {
                    return;
                }
                if (!ordered) {
                    throw new PinataException(
                            200, null, "Pinata's key list is not in the order the bot relies on", true, -1, null);
                }
                known = Map.copyOf(active);
            }
            var checkedAt = clock.instant();
            var scan = scanActive(Priority.URGENT, e -> known.containsKey(lower(e.key())));
            var fresh = scan.entries().stream()
                    .filter(e -> !known.containsKey(lower(e.key())))
                    .toList();
            synchronized (this) {
                if (!scan.newestFirst()) {
                    ordered = false;
                }
                if (!fresh.isEmpty()) {
                    var merged = new LinkedHashMap<String, Entry>();
                    fresh.forEach(e -> merged.put(lower(e.key()), e));
                    active.values().forEach(e -> merged.putIfAbsent(lower(e.key()), e.at(e.offset() + fresh.size())));
                    active = merged;
                }
                frontCheckedAt = checkedAt;
            }
        }
    }

    /**
     * The key's state now, read from Pinata: the part of the active list where the key would be, or the V3 list of
     * revoked keys by the key's name. {@code known} is what was stored about the key before (may be null).
     */
    public KeyState stateNow(String apiKey, KeyDetails known) {
        synchronized (this) {
            if (revoked.containsKey(lower(apiKey))) {
                return new KeyState.ListedRevoked();
            }
        }
        var entry = entryFor(apiKey);
        String why;
        if (entry.isEmpty() && known != null && isComplete()) {
            // Not in the index: revoked since the last complete scan, or created after it. The front check finds the
            // latter; what is still missing after it is not active (a complete, fresh listing does not show it).
            try {
                refreshFront(true);
                entry = entryFor(apiKey);
                if (entry.isEmpty()) {
                    return new KeyState.NotActive();
                }
            } catch (PinataException e) {
                log.warn("Key index front check failed: {}", e.getMessage());
            }
        }
        if (entry.isPresent() && entry.get().createdAt() != null && isOrdered()) {
            try {
                var located = locate(entry.get());
                if (located.isPresent()) {
                    return located.get();
                }
                why = "the key's place in Pinata's list kept moving";
            } catch (PinataException e) {
                log.warn("Checking key {} failed: {}", apiKey, e.getMessage());
                why = Messages.lookupFailure(e);
            }
        } else {
            why = !isComplete()
                    ? notReadyReason()
                    : entry.isEmpty()
                            ? "no listing showed this key active"
                            : "Pinata's key list is not in creation order";
        }
        var name = entry.map(Entry::name).orElse(known != null ? known.name() : null);
        if (name != null && !name.isBlank() && v3Available()) {
            try {
                if (listedRevokedByName(apiKey, name)) {
                    return new KeyState.ListedRevoked();
                }
            } catch (PinataException e) {
                log.warn("Checking key {} in Pinata's revoked keys failed: {}", apiKey, e.getMessage());
            }
        }
        return new KeyState.Unknown(why);
    }

    private synchronized Optional<Entry> entryFor(String apiKey) {
        return Optional.ofNullable(active.get(lower(apiKey)));
    }

    private synchronized boolean isOrdered() {
        return ordered;
    }

    private synchronized String notReadyReason() {
        return notReadyReason;
    }

    private synchronized boolean v3Available() {
        return v3Available;
    }

    private boolean listedRevokedByName(String apiKey, String name) throws PinataException {
        var offset = 0;
        for (int pages = 0; pages < 3; pages++) {
            var page = client.listRevokedKeys(offset, name, Priority.URGENT);
            for (var k : page.keys()) {
                if (k.revoked() && k.key() != null && k.key().equalsIgnoreCase(apiKey)) {
                    var e = entry(k, -1);
                    synchronized (this) {
                        revoked.put(lower(apiKey), e);
                        removeActive(apiKey);
                    }
                    return true;
                }
            }
            offset += page.keys().size();
            if (page.keys().size() < PAGE) {
                return false;
            }
        }
        return false;
    }

    /**
     * Reads pages around the key's last known place. The list is newest first, so a page whose first key is newer
     * than the key and whose last key is older (or that begins or ends the list) settles it. Empty when too far.
     */
    private Optional<KeyState> locate(Entry e) throws PinataException {
        var c = e.createdAt();
        var offset = Math.max(0, e.offset() - PAGE / 2);
        for (int reads = 0; reads < LOCATE_READS; reads++) {
            var page = client.listApiKeys(offset, Priority.URGENT);
            var keys = new ArrayList<Entry>();
            for (var k : page.keys()) {
                var entry = entry(k, offset + keys.size());
                if (entry != null) {
                    keys.add(entry);
                }
            }
            if (!newestFirst(keys)) {
                synchronized (this) {
                    ordered = false;
                }
                return Optional.empty();
            }
            for (var k : keys) {
                if (k.key().equalsIgnoreCase(e.key())) {
                    synchronized (this) {
                        if (active.containsKey(lower(e.key()))) {
                            active.put(lower(e.key()), k);
                        }
                    }
                    return Optional.of(new KeyState.StillActive());
                }
            }
            if (keys.isEmpty()) {
                if (offset == 0) {
                    return Optional.of(gone(e));
                }
                offset = Math.max(0, offset - PAGE);
                continue;
            }
            var first = keys.get(0).createdAt();
            var last = keys.get(keys.size() - 1).createdAt();
            var nothingNewerMissed = offset == 0 || first.isAfter(c);
            var nothingOlderMissed = page.keys().size() < PAGE || last.isBefore(c);
            if (nothingNewerMissed && nothingOlderMissed) {
                return Optional.of(gone(e));
            }
            // Step by one key less than a page: the next read then shares a key with this one, so a key that
            // would sit between two pages is still bracketed by a newer and an older neighbour.
            offset = !nothingNewerMissed
                    ? Math.max(0, offset - (PAGE - 1))
                    : offset + page.keys().size() - 1;
        }
        return Optional.empty();
    }

    private synchronized KeyState gone(Entry e) {
        removeActive(e.key());
        return new KeyState.NotActive();
    }

    /** Takes a key out of the active list; the keys after it move up one place, as they do in Pinata's list. */
    private synchronized Entry removeActive(String apiKey) {
        var removed = active.remove(lower(apiKey));
        if (removed != null && removed.offset() >= 0) {
            var shifted = new LinkedHashMap<String, Entry>();
            active.forEach((k, e) -> shifted.put(k, e.offset() > removed.offset() ? e.at(e.offset() - 1) : e));
            active = shifted;
        }
        return removed;
    }

    /** Every key has a creation time and none is newer than the one before it (a page of one key included). */
    private static boolean newestFirst(List<Entry> keys) {
        for (int i = 0; i < keys.size(); i++) {
            var b = keys.get(i).createdAt();
            if (b == null || (i > 0 && b.isAfter(keys.get(i - 1).createdAt()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A listing showed the key gone from the active list: it leaves the index. It is not added to the revoked keys:
     * only Pinata's V3 list may support "already revoked".
     */
    public synchronized void learnRevoked(String apiKey, KeyDetails details) {
        removeActive(apiKey);
    }

    public synchronized int activeCount() {
        return active.size();
    }

    public synchronized int revokedCount() {
        return revoked.size();
    }

    private static Entry entry(PinataApiKey k, int offset) {
        if (k.key() == null || k.key().isBlank()) {
            return null;
        }
        Instant at = null;
        try {
            at = k.createdAt() == null ? null : Instant.parse(k.createdAt());
        } catch (DateTimeParseException ignored) {
            // An unreadable date only costs the locate: the index then says "unknown" for this key.
        }
        return new Entry(k.key(), k.name(), at, k.createdAt(), PinataKeyService.summarize(k.scopes()), offset);
    }

    private static String lower(String key) {
        return key.toLowerCase(Locale.ROOT);
    }

    /** Safe, short texts for a failed read; they end up on cards. */
    static final class Messages {
        private Messages() {}

        static String lookupFailure(PinataException e) {
            if (e.status() == 0) {
                return "Pinata did not answer";
            }
            if (e.status() == 429) {
                return "Pinata is rate-limiting the bot";
            }
            if (e.status() == 200) {
                return e.getMessage() == null ? "Pinata's answer could not be read" : e.getMessage();
            }
            return "Pinata answered HTTP " + e.status() + (e.reason() == null ? "" : " " + e.reason());
        }
    }
}
