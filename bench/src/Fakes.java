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
    private static final byte[] NOT_FOUND = "{\"error\":{\"reason\":\"OBJECT_NOT_FOUND\",\"details\":\"no route\"}}".getBytes(StandardCharsets.UTF_8);
    /** Three decoy keys (none of the benchmark's), one page: the look-up parses them and finds nothing. */
    private static final byte[] KEY_LIST;

    static {
        var sb = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                sb.append(',');
            }
            var k = String.format("dec0%016x", i);
            sb.append("{\"id\":\"id-").append(k).append("\",\"name\":\"decoy-").append(i).append("\",\"key\":\"").append(k)
                    .append("\",\"secret\":\"").append("5".repeat(64))
                    .append("\",\"max_uses\":null,\"uses\":3,\"user_id\":\"u1\",\"scopes\":{\"endpoints\":{\"pinning\":{\"pinFileToIPFS\":true,\"unpin\":false}},\"admin\":false}")
                    .append(",\"revoked\":false,\"createdAt\":\"2024-05-01T10:00:00.000Z\",\"updatedAt\":\"2024-05-01T10:00:00.000Z\"}");
        }
        sb.append("],\"count\":3}");
        KEY_LIST = sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    Fakes(int threads) throws IOException {
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
            var now = System.nanoTime();
            if (path.startsWith("/respond/")) {
                count("respond");
                if (body.contains("overloaded")) {
                    busyReplies.increment();
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
                    var form = form(body, "channel", "blocks");
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
                        r.resultNs = now;
                        checkDone(r);
                    }
                    reply(ex, 200, "application/json; charset=utf-8",
                            ("{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"" + messageTs + "\"}").getBytes(StandardCharsets.UTF_8));
                }
                case "chat.update" -> {
                    var form = form(body, "channel", "ts");
                    var r = form[0] == null ? null : byChannel.get(form[0]);
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

    private void pinata(HttpExchange ex) throws IOException {
        try (ex) {
            var path = ex.getRequestURI().getPath();
            var body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var now = System.nanoTime();
            if (ex.getRequestMethod().equals("PUT") && path.equals("/users/revokeApiKey")) {
                count("pinata PUT revokeApiKey");
                var key = Json.stringField(body, "apiKey");
                var r = key == null ? null : byKey.get(key.toLowerCase());
                if (r == null) {
                    unmatched.increment();
                } else {
                    r.putNs = now;
                }
                reply(ex, 200, "application/json", REVOKED);
            } else if (ex.getRequestMethod().equals("GET") && path.equals("/users/apiKeys")) {
                count("pinata GET apiKeys");
                reply(ex, 200, "application/json", KEY_LIST);
            } else {
                count("pinata other");
                reply(ex, 404, "application/json", NOT_FOUND);
            }
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
