import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Fake Slack Web API (+ response_url endpoint) and fake Pinata on loopback, answering at once.
 * They record only what the benchmark needs: when each request's card, PUT, final update and result arrived.
 */
final class Fakes implements AutoCloseable {
    static final String TEAM = "T0BENCH";
    static final String BOT_TOKEN = "xoxb-bench-bot-token";
    static final String ADMIN_GROUP = "S0BENCHADM";
    static final String ADMIN = "U0ADMIN1";

    /** One /pinata-revoke request and everything that happened to it, keyed by its own channel id and key. */
    static final class Req {
        final int seq;
        final String channel;
        final String key;
        volatile long cmdSentNs;
        volatile long cardNs;
        volatile String requestId;
        volatile String cardTs;
        volatile long clickSentNs;
        volatile long putNs;
        volatile long finalUpdateNs;
        volatile long resultNs;
        volatile long doneNs;
        /** Realistic mode: the last card update that is not "Revoking…" (its blocks), the result and a refusal. */
        volatile long finalCardNs;
        volatile String finalCardBlocks;
        volatile String resultText;
        volatile long refusedNs;
        volatile String refusedText;
        final AtomicInteger puts = new AtomicInteger();

        Req(int seq, String channel, String key) {
            this.seq = seq;
            this.channel = channel;
            this.key = key;
        }
    }

    final Map<String, Req> byChannel = new ConcurrentHashMap<>();
    final Map<String, Req> byKey = new ConcurrentHashMap<>();
    /** Cards posted and not yet clicked by the benchmark. */
    final ConcurrentLinkedQueue<Req> readyCards = new ConcurrentLinkedQueue<>();
    final AtomicInteger cardsPosted = new AtomicInteger();
    final AtomicInteger confirmsDone = new AtomicInteger();
    final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    final LongAdder busyReplies = new LongAdder();
    final LongAdder unmatched = new LongAdder();
    final List<String> samples = new ArrayList<>();
    private final AtomicLong ts = new AtomicLong();

    private final HttpServer slack;
    private final HttpServer pinata;
    private final ExecutorService pool;

    private static final byte[] AUTH_TEST = ("{\"ok\":true,\"url\":\"https://bench.slack.com/\",\"team\":\"Bench\","
            + "\"user\":\"pinata-revoke\",\"team_id\":\"" + TEAM + "\",\"user_id\":\"UBOT\",\"bot_id\":\"BBOT\"}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] GROUP = ("{\"ok\":true,\"users\":[\"" + ADMIN + "\",\"U0ADMIN2\"]}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] EPHEMERAL = "{\"ok\":true,\"message_ts\":\"1700000001.000001\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] INVALID_AUTH = "{\"ok\":false,\"error\":\"invalid_auth\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] UNKNOWN = "{\"ok\":false,\"error\":\"unknown_method\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OK_TEXT = "ok".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REVOKED = "\"Revoked\"".getBytes(StandardCharsets.UTF_8);
    private static final String JSON_UTF8 = "application/json; charset=utf-8";
    private static final byte[] HTML_404 = "<!DOCTYPE html><html><head><title>404</title></head><body>Not Found</body></html>"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] RATE_LIMITED = "{\"error\":{\"reason\":\"RATE_LIMITED\",\"details\":\"Too many requests\"}}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] INVALID_CREDENTIALS = ("{\"error\":{\"reason\":\"INVALID_CREDENTIALS\","
            + "\"details\":\"Invalid/expired credentials\"}}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] BAD_REQUEST = "{\"error\":{\"reason\":\"INVALID_REQUEST\",\"details\":\"apiKey is required\"}}"
            .getBytes(StandardCharsets.UTF_8);
    /** How the fakes behave: answer delays, Pinata's rate limit per rolling minute (0 = none), request log. */
    record Options(long slackDelayMs, long pinataDelayMs, int pinataRateLimit, boolean logPinata) {
        static final Options INSTANT = new Options(0, 0, 0, false);
    }

    final Options options;
    final PinataOrg org = new PinataOrg();
    /** Every Pinata request, when {@code options.logPinata}: arrival time, route label, status. */
    final ConcurrentLinkedQueue<PinataCall> pinataLog = new ConcurrentLinkedQueue<>();
    final AtomicLong pinataRequests = new AtomicLong();
    final Map<String, LongAdder> rateLimited = new ConcurrentHashMap<>();
    final LongAdder refusals = new LongAdder();
    private final java.util.ArrayDeque<Long> window = new java.util.ArrayDeque<>();

    record PinataCall(long ns, String route, int status) { }

    Fakes(int threads) throws IOException {
        this(threads, Options.INSTANT);
    }

    Fakes(int threads, Options options) throws IOException {
        this.options = options;
        pool = Executors.newFixedThreadPool(threads, r -> {
            var t = new Thread(r, "fake");
            t.setDaemon(true);
            return t;
        });
        slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        slack.createContext("/", this::slack);
        slack.setExecutor(pool);
        slack.start();
        pinata = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        pinata.createContext("/", this::pinata);
        pinata.setExecutor(pool);
        pinata.start();
    }

    String slackApiUrl() {
        return "http://127.0.0.1:" + slack.getAddress().getPort() + "/api/";
    }

    String responseUrl(String name) {
        return "http://127.0.0.1:" + slack.getAddress().getPort() + "/respond/" + name;
    }

    String pinataUrl() {
        return "http://127.0.0.1:" + pinata.getAddress().getPort();
    }

    Map<String, Long> callCounts() {
        var out = new java.util.TreeMap<String, Long>();
        calls.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private void count(String what) {
        calls.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private void sample(String text) {
        synchronized (samples) {
            if (samples.size() < 8) {
                samples.add(text.length() > 300 ? text.substring(0, 300) + "…" : text);
            }
        }
    }

    private void slack(HttpExchange ex) throws IOException {
        try (ex) {
            var path = ex.getRequestURI().getPath();
            var body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (options.slackDelayMs > 0) {
                sleep(options.slackDelayMs);
            }
            // Timed when Slack answers (after its delay): the card is in the channel by then at the latest.
            var now = System.nanoTime();
            if (path.startsWith("/respond/")) {
                count("respond");
                if (body.contains("overloaded")) {
                    busyReplies.increment();
                }
                if (body.contains("not an active key")) {
                    // The evidence rules refused the command before the card: its key is not listed active.
                    refusals.increment();
                    var name = path.substring("/respond/".length());
                    if (name.startsWith("cmd-")) {
                        var r = byChannel.get(channelOf(name.substring(4)));
                        if (r != null && r.refusedNs == 0) {
                            r.refusedText = body;
                            r.refusedNs = now;
                        }
                    }
                }
                sample("respond " + body);
                reply(ex, 200, "text/plain", OK_TEXT);
                return;
            }
            var method = path.substring(path.lastIndexOf('/') + 1);
            count(method);
            var auth = ex.getRequestHeaders().getFirst("Authorization");
            if (!("Bearer " + BOT_TOKEN).equals(auth) && !body.contains("token=" + BOT_TOKEN)) {
                reply(ex, 200, "application/json", INVALID_AUTH);
                return;
            }
            switch (method) {
                case "auth.test" -> reply(ex, 200, "application/json; charset=utf-8", AUTH_TEST);
                case "usergroups.users.list" -> reply(ex, 200, "application/json; charset=utf-8", GROUP);
                case "chat.postMessage" -> {
                    var form = form(body, "channel", "blocks", "text");
                    var channel = form[0];
                    var blocks = form[1];
                    var n = ts.incrementAndGet();
                    var messageTs = (1700000000L + n / 1_000_000) + "." + String.format("%06d", n % 1_000_000);
                    var r = channel == null ? null : byChannel.get(channel);
                    if (r == null) {
                        unmatched.increment();
                    } else if (blocks != null && blocks.contains("revoke_confirm")) {
                        var id = Json.findValue(Json.parse(blocks), "revoke_confirm");
                        if (id != null && r.cardNs == 0) {
                            r.requestId = id;
                            r.cardTs = messageTs;
                            r.cardNs = now;
                            cardsPosted.incrementAndGet();
                            readyCards.add(r);
                        }
                    } else {
                        r.resultText = form[2];
                        r.resultNs = now;
                        checkDone(r);
                    }
                    reply(ex, 200, "application/json; charset=utf-8",
                            ("{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"" + messageTs + "\"}").getBytes(StandardCharsets.UTF_8));
                }
                case "chat.update" -> {
                    var form = form(body, "channel", "ts", "blocks");
                    var r = form[0] == null ? null : byChannel.get(form[0]);
                    if (r != null && form[2] != null && !form[2].contains("hourglass_flowing_sand")) {
                        // Not the "Revoking…" card: the card's final state.
                        r.finalCardBlocks = form[2];
                        r.finalCardNs = now;
                    }
                    if (r == null) {
                        unmatched.increment();
                    } else if (r.putNs != 0) {
                        r.finalUpdateNs = now;
                        checkDone(r);
                    }
                    reply(ex, 200, "application/json; charset=utf-8",
                            ("{\"ok\":true,\"channel\":\"" + form[0] + "\",\"ts\":\"" + form[1] + "\"}").getBytes(StandardCharsets.UTF_8));
                }
                case "chat.postEphemeral" -> {
                    if (body.contains("overloaded")) {
                        busyReplies.increment();
                    }
                    if (body.contains("not+an+active+key") || body.contains("not%20an%20active%20key")) {
                        refusals.increment();
                    }
                    sample("chat.postEphemeral " + URLDecoder.decode(body, StandardCharsets.UTF_8));
                    reply(ex, 200, "application/json; charset=utf-8", EPHEMERAL);
                }
                default -> reply(ex, 200, "application/json", UNKNOWN);
            }
        } catch (RuntimeException e) {
            sample("fake slack error " + e);
            throw e;
        }
    }

    /**
     * Fake Pinata, no kinder than the real one (bench/README.md, "Fakes"): the legacy list shows active keys only, 10 a
     * page, newest first, paged by {@code offset}; the V3 list ({@code /v3/pinata/keys}, {@code /v3/api_keys}) with
     * {@code revoked=true} and {@code name}; the PUT answers 200 "Revoked" to any string and revokes only a key of the
     * organisation; an HTML 404 for other routes; optionally a delay per call and a rolling-minute rate limit (429 with
     * Retry-After: 60 and X-RateLimit-*).
     */
    private void pinata(HttpExchange ex) throws IOException {
        try (ex) {
            var uri = ex.getRequestURI();
            var path = uri.getPath();
            var method = ex.getRequestMethod();
            var body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var now = System.nanoTime();
            var route = method.equals("PUT") && path.equals("/users/revokeApiKey") ? "PUT revokeApiKey"
                    : method.equals("GET") && path.equals("/users/apiKeys") ? "GET apiKeys"
                    : method.equals("GET") && (path.equals("/v3/pinata/keys") || path.equals("/v3/api_keys"))
                    ? (uri.getRawQuery() != null && uri.getRawQuery().contains("name=") ? "GET v3 keys by name" : "GET v3 keys")
                    : method.equals("GET") && path.equals("/data/testAuthentication") ? "GET testAuthentication" : null;
            pinataRequests.incrementAndGet();
            count("pinata " + (route == null ? "other" : route));
            if (options.pinataDelayMs > 0) {
                sleep(options.pinataDelayMs);
            }
            if (route == null) {
                logPinata(now, "other", 404);
                reply(ex, 404, "text/html; charset=utf-8", HTML_404);
                return;
            }
            var limit = options.pinataRateLimit;
            if (limit > 0) {
                long remaining;
                long reset;
                synchronized (window) {
                    var cutoff = now - 60_000_000_000L;
                    while (!window.isEmpty() && window.peekFirst() <= cutoff) {
                        window.pollFirst();
                    }
                    var allowed = window.size() < limit;
                    if (allowed) {
                        window.addLast(now);
                    }
                    remaining = Math.max(0, limit - window.size());
                    var oldestAgeNs = window.isEmpty() ? 0 : now - window.peekFirst();
                    reset = System.currentTimeMillis() / 1000 + Math.max(1, (60_000_000_000L - oldestAgeNs) / 1_000_000_000L);
                    if (!allowed) {
                        remaining = -1;
                    }
                }
                var h = ex.getResponseHeaders();
                h.set("X-RateLimit-Limit", Integer.toString(limit));
                h.set("X-RateLimit-Remaining", Long.toString(Math.max(0, remaining)));
                h.set("X-RateLimit-Reset", Long.toString(reset));
                if (remaining < 0) {
                    rateLimited.computeIfAbsent(route, k -> new LongAdder()).increment();
                    h.set("Retry-After", "60");
                    logPinata(now, route, 429);
                    reply(ex, 429, JSON_UTF8, RATE_LIMITED);
                    return;
                }
            }
            var auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ")) {
                logPinata(now, route, 401);
                reply(ex, 401, JSON_UTF8, INVALID_CREDENTIALS);
                return;
            }
            switch (route) {
                case "PUT revokeApiKey" -> {
                    var key = Json.stringField(body, "apiKey");
                    if (key == null) {
                        logPinata(now, route, 400);
                        reply(ex, 400, JSON_UTF8, BAD_REQUEST);
                        return;
                    }
                    var r = byKey.get(key.toLowerCase());
                    if (r == null) {
                        unmatched.increment();
                    } else {
                        r.puts.incrementAndGet();
                        r.putNs = now;
                    }
                    org.revoke(key);
                    logPinata(now, route, 200);
                    reply(ex, 200, JSON_UTF8, REVOKED);
                }
                case "GET apiKeys" -> {
                    // The legacy route ignores revoked=true: active keys only, whatever is asked.
                    logPinata(now, route, 200);
                    reply(ex, 200, JSON_UTF8, org.page(false, query(uri, "offset"), null));
                }
                case "GET testAuthentication" -> {
                    logPinata(now, route, 200);
                    reply(ex, 200, JSON_UTF8, "{\"message\":\"Congratulations! You are communicating with the Pinata API!\"}"
                            .getBytes(StandardCharsets.UTF_8));
                }
                default -> {
                    var revoked = "true".equals(queryText(uri, "revoked"));
                    logPinata(now, route, 200);
                    reply(ex, 200, JSON_UTF8, org.page(revoked, query(uri, "offset"), queryText(uri, "name")));
                }
            }
        }
    }

    private void logPinata(long ns, String route, int status) {
        if (options.logPinata) {
            pinataLog.add(new PinataCall(ns, route, status));
        }
    }

    /** Pinata requests (any route) that arrived in [fromNs, toNs), by route; "429" counts the refused ones. */
    Map<String, Integer> pinataCallsBetween(long fromNs, long toNs) {
        var out = new java.util.TreeMap<String, Integer>();
        for (var c : pinataLog) {
            if (c.ns() >= fromNs && c.ns() < toNs) {
                out.merge(c.route(), 1, Integer::sum);
                if (c.status() == 429) {
                    out.merge("429 " + c.route(), 1, Integer::sum);
                }
            }
        }
        return out;
    }

    long lastPinataCallNs() {
        long last = 0;
        for (var c : pinataLog) {
            last = Math.max(last, c.ns());
        }
        return last;
    }

    private static int query(java.net.URI uri, String name) {
        var v = queryText(uri, name);
        try {
            return v == null ? 0 : Math.max(0, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String queryText(java.net.URI uri, String name) {
        var q = uri.getRawQuery();
        if (q == null) {
            return null;
        }
        for (var part : q.split("&")) {
            var eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equals(name)) {
                return URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The organisation's keys as Pinata holds them: active keys newest first (the legacy list's order), revoked keys
     * newest first (the V3 list with revoked=true). Keys added later are newer than every key before them.
     */
    static final class PinataOrg {
        static final int PAGE = 10;
        private static final java.time.Instant BASE = java.time.Instant.parse("2023-01-02T09:00:00Z");

        record Key(String key, String name, String createdAt, boolean admin) { }

        private final List<Key> active = new ArrayList<>();
        private final List<Key> revoked = new ArrayList<>();
        private final Map<String, Key> all = new java.util.HashMap<>();
        private long created;

        /** Adds keys, each newer than the one before; {@code keys[i] = {id, name}}. */
        synchronized void add(List<String[]> keys, boolean areRevoked, boolean admin) {
            var batch = new ArrayList<Key>(keys.size());
            for (var k : keys) {
                // 37 minutes apart: 1,000 keys span about 26 days; the format is Pinata's (ISO-8601 with millis).
                var at = BASE.plusSeconds(37 * 60 * ++created);
                var key = new Key(k[0].toLowerCase(), k[1], at.toString().replace("Z", ".000Z"), admin);
                if (all.putIfAbsent(key.key(), key) == null) {
                    batch.add(0, key);
                }
            }
            (areRevoked ? revoked : active).addAll(0, batch);
        }

        /** Pinata's PUT: a key of the organisation that is active becomes revoked; any other string changes nothing. */
        synchronized void revoke(String id) {
            var k = all.get(id.toLowerCase());
            if (k == null || !active.remove(k)) {
                return;
            }
            // Keep the revoked list newest first.
            int i = 0;
            while (i < revoked.size() && revoked.get(i).createdAt().compareTo(k.createdAt()) > 0) {
                i++;
            }
            revoked.add(i, k);
        }

        synchronized int activeCount() {
            return active.size();
        }

        synchronized int revokedCount() {
            return revoked.size();
        }

        synchronized boolean isActive(String id) {
            var k = all.get(id.toLowerCase());
            return k != null && active.contains(k);
        }

        /** Active keys, newest first (a copy). */
        synchronized List<Key> activeKeys() {
            return List.copyOf(active);
        }

        byte[] page(boolean ofRevoked, int offset, String name) {
            List<Key> listed;
            synchronized (this) {
                var from = ofRevoked ? revoked : active;
                if (name != null) {
                    var n = name.toLowerCase();
                    listed = from.stream().filter(k -> k.name() != null && k.name().toLowerCase().contains(n)).toList();
                } else {
                    listed = from;
                }
                var start = Math.min(offset, listed.size());
                var page = new ArrayList<>(listed.subList(start, Math.min(start + PAGE, listed.size())));
                var sb = new StringBuilder(4096).append("{\"keys\":[");
                for (int i = 0; i < page.size(); i++) {
                    var k = page.get(i);
                    if (i > 0) {
                        sb.append(',');
                    }
                    var scopes = k.admin() ? "{\"admin\":true}"
                            : "{\"endpoints\":{\"data\":{\"pinList\":true,\"userPinnedDataTotal\":false},"
                            + "\"pinning\":{\"pinFileToIPFS\":true,\"pinJSONToIPFS\":true,\"unpin\":false}},\"admin\":false}";
                    sb.append("{\"id\":\"").append(java.util.UUID.nameUUIDFromBytes(k.key().getBytes(StandardCharsets.UTF_8)))
                            .append("\",\"name\":\"").append(k.name()).append("\",\"key\":\"").append(k.key())
                            .append("\",\"secret\":\"").append("5e".repeat(16)).append(':').append("c1".repeat(64))
                            .append("\",\"max_uses\":null,\"uses\":17,\"user_id\":\"3f8d2a41-0b9e-4c1d-9a7e-5b6c7d8e9f00\",\"scopes\":")
                            .append(scopes).append(",\"revoked\":").append(ofRevoked)
                            .append(",\"createdAt\":\"").append(k.createdAt()).append("\",\"updatedAt\":\"")
                            .append(k.createdAt()).append("\"}");
                }
                sb.append("],\"count\":").append(listed.size()).append('}');
                return sb.toString().getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /** The channel id of command number {@code seq} (as the benchmark numbers them). */
    static String channelOf(String seq) {
        try {
            return String.format("CB%07d", Integer.parseInt(seq));
        } catch (NumberFormatException e) {
            return "";
        }
    }

    private void checkDone(Req r) {
        synchronized (r) {
            if (r.doneNs == 0 && r.putNs != 0 && r.finalUpdateNs != 0 && r.resultNs != 0) {
                r.doneNs = Math.max(r.putNs, Math.max(r.finalUpdateNs, r.resultNs));
                confirmsDone.incrementAndGet();
            }
        }
    }

    /** The values of the named form fields (URL-decoded), null when absent. */
    private static String[] form(String body, String... names) {
        var out = new String[names.length];
        int start = 0;
        while (start < body.length()) {
            var amp = body.indexOf('&', start);
            if (amp < 0) {
                amp = body.length();
            }
            var eq = body.indexOf('=', start);
            if (eq > start && eq < amp) {
                for (int i = 0; i < names.length; i++) {
                    if (out[i] == null && names[i].length() == eq - start && body.startsWith(names[i], start)) {
                        out[i] = URLDecoder.decode(body.substring(eq + 1, amp), StandardCharsets.UTF_8);
                    }
                }
            }
            start = amp + 1;
        }
        return out;
    }

    private static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        slack.stop(0);
        pinata.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
