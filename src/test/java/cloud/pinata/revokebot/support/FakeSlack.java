package cloud.pinata.revokebot.support;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * A fake Slack Web API (and response_url endpoint) on loopback. It answers the methods the bot uses,
 * records every call, and can be told to fail a method or a user-group look-up, or to be unreachable.
 * <p>
 * It is strict as Slack is: every {@code chat.postMessage}, {@code chat.update}, {@code chat.postEphemeral} and
 * response_url payload goes through {@link BlockKit}, and one that breaks a rule gets
 * {@code {"ok":false,"error":"invalid_blocks"}} (a response_url: HTTP 400 {@code invalid_blocks}) and is kept in
 * {@link #violations()}, which {@link BotHarness#close()} requires to be empty.
 */
public final class FakeSlack implements AutoCloseable {
    public static final String TEAM = "T0TEAM";
    public static final String BOT_TOKEN = "xoxb-test-bot-token";

    /** One recorded call: the method (or {@code respond}) and its form or JSON parameters. */
    public record Call(String method, Map<String, String> params, String rawBody) {
        public String param(String name) {
            return params.get(name);
        }

        /** Every string inside the {@code blocks} parameter, decoded from JSON, one per line. */
        public String blocksText() {
            var blocks = params.get("blocks");
            if (blocks == null) {
                return "";
            }
            var sb = new StringBuilder();
            collect(JsonParser.parseString(blocks), sb);
            return sb.toString();
        }

        private static void collect(com.google.gson.JsonElement e, StringBuilder sb) {
            if (e.isJsonPrimitive()) {
                sb.append(e.getAsString()).append('\n');
            } else if (e.isJsonArray()) {
                e.getAsJsonArray().forEach(x -> collect(x, sb));
            } else if (e.isJsonObject()) {
                e.getAsJsonObject().entrySet().forEach(x -> {
                    sb.append(x.getKey()).append('=');
                    collect(x.getValue(), sb);
                });
            }
        }

        /**
         * What a person sees: every text value in the blocks, a line each (mrkdwn as sent, so still escaped), or the
         * top-level text when there are no blocks.
         */
        public String shownText() {
            var blocks = params.get("blocks");
            if (blocks == null) {
                return params.getOrDefault("text", "");
            }
            var sb = new StringBuilder();
            texts(JsonParser.parseString(blocks), sb);
            return sb.toString();
        }

        private static void texts(com.google.gson.JsonElement e, StringBuilder sb) {
            if (e.isJsonArray()) {
                e.getAsJsonArray().forEach(x -> texts(x, sb));
            } else if (e.isJsonObject()) {
                var o = e.getAsJsonObject();
                if (o.has("type")
                        && o.has("text")
                        && o.get("text").isJsonPrimitive()
                        && Set.of("mrkdwn", "plain_text").contains(o.get("type").getAsString())) {
                    sb.append(o.get("text").getAsString()).append('\n');
                }
                o.entrySet().forEach(x -> texts(x.getValue(), sb));
            }
        }

        /** Everything the bot sent, for "does this text appear anywhere" checks. */
        public String everything() {
            return method + " " + params + " " + rawBody + " " + blocksText();
        }
    }

    private final MockWebServer server = NoDelayServers.create();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> groups = new ConcurrentHashMap<>();
    private final Map<String, String> groupErrors = new ConcurrentHashMap<>();
    private final Map<String, String> methodErrors = new ConcurrentHashMap<>();
    private final Map<String, java.util.Queue<MockResponse>> scripted = new ConcurrentHashMap<>();
    private final AtomicInteger ts = new AtomicInteger();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private volatile boolean unreachable;
    private final AtomicInteger refused = new AtomicInteger();

    private volatile java.util.concurrent.CountDownLatch groupBarrier;

    public FakeSlack() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.start();
    }

    public String apiUrl() {
        return server.url("/api/").toString();
    }

    public String responseUrl(String name) {
        return server.url("/respond/" + name).toString();
    }

    public void setGroup(String groupId, String... members) {
        groups.put(groupId, List.of(members));
        groupErrors.remove(groupId);
    }

    public void failGroup(String groupId, String error) {
        groupErrors.put(groupId, error);
    }

    /**
     * The next {@code parties} user-group look-ups each wait until all of them have arrived, so that that many
     * clicks pass the admin check together and race for the request.
     */
    public void barrierOnGroupLookups(int parties) {
        groupBarrier = new java.util.concurrent.CountDownLatch(parties);
    }

    /** The next calls of {@code method} get these responses, in order (e.g. an HTTP 429), then normal answers. */
    public void script(String method, MockResponse... responses) {
        scripted.computeIfAbsent(method, m -> new java.util.concurrent.ConcurrentLinkedQueue<>())
                .addAll(List.of(responses));
    }

    public static MockResponse okFalse(String error) {
        return json("{\"ok\":false,\"error\":\"" + error + "\"}");
    }

    /** While true, every connection is dropped before an answer, as when Slack cannot be reached. */
    public void unreachable(boolean down) {
        unreachable = down;
    }

    /** How many connections were dropped while {@link #unreachable} was set. */
    public int refusedConnections() {
        return refused.get();
    }

    /** Every payload this fake refused, with the rules it broke. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** For the one test that makes the fake refuse a payload on purpose. */
    public void forgetViolations() {
        violations.clear();
    }

    public void failMethod(String method, String error) {
        methodErrors.put(method, error);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    /** What one person was shown, message by message (response_url or chat.postEphemeral): see {@link Call#shownText}. */
    public List<String> privateMessages() {
        var out = new ArrayList<String>();
        for (var c : calls) {
            if (c.method().equals("respond") || c.method().equals("chat.postEphemeral")) {
                out.add(c.shownText());
            }
        }
        return out;
    }

    private MockResponse answer(RecordedRequest request) {
        if (unreachable) {
            // The connection closes without an answer: the client sees an IOException, as on a network failure.
            // (DISCONNECT_AT_START would stop MockWebServer's accept loop for good.)
            refused.incrementAndGet();
            return new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
        }
        var path = request.getPath() == null ? "" : request.getPath();
        var body = request.getBody().readUtf8();
        if (path.startsWith("/respond/")) {
            var params = new HashMap<String, String>();
            try {
                var o = JsonParser.parseString(body).getAsJsonObject();
                if (o.has("text") && o.get("text").isJsonPrimitive()) {
                    params.put("text", o.get("text").getAsString());
                }
                if (o.has("blocks")) {
                    params.put("blocks", o.get("blocks").toString());
                }
            } catch (RuntimeException e) {
                // Recorded as sent; BlockKit reports it.
            }
            calls.add(new Call("respond", Map.copyOf(params), body));
            var errors = BlockKit.checkJson(BlockKit.Kind.RESPONSE_URL, body);
            if (!errors.isEmpty()) {
                violations.add("response_url " + errors + " in " + body);
                // A response_url answers a refused payload with an HTTP error and the code as plain text.
                return new MockResponse().setResponseCode(400).setBody("invalid_blocks");
            }
            BlockKit.countSent("respond\u0000" + body);
            return new MockResponse().setBody("ok");
        }
        var method = path.substring("/api/".length());
        var q = method.indexOf('?');
        if (q >= 0) {
            method = method.substring(0, q);
        }
        var params = parseForm(body);
        calls.add(new Call(method, params, body));
        if (!("Bearer " + BOT_TOKEN).equals(request.getHeader("Authorization"))
                && !BOT_TOKEN.equals(params.get("token"))) {
            return json("{\"ok\":false,\"error\":\"invalid_auth\"}");
        }
        if (MESSAGE_METHODS.contains(method)) {
            var errors = BlockKit.check(BlockKit.Kind.WEB_API, params.get("text"), params.get("blocks"));
            if (!errors.isEmpty()) {
                violations.add(
                        method + " " + errors + " in text=" + params.get("text") + " blocks=" + params.get("blocks"));
                // As Slack answers (https://docs.slack.dev/reference/methods/chat.postMessage#errors).
                var answer = new JsonObject();
                answer.addProperty("ok", false);
                answer.addProperty("error", "invalid_blocks");
                var list = new JsonArray();
                errors.forEach(list::add);
                answer.add("errors", list);
                return json(answer.toString());
            }
            BlockKit.countSent(method + "\u0000" + params.get("text") + "\u0000" + params.get("blocks"));
        }
        if (method.equals("views.publish")) {
            var errors = BlockKit.checkView(params.get("view"));
            if (params.get("user_id") == null || params.get("user_id").isBlank()) {
                errors.add("user_id: required");
            }
            if (!errors.isEmpty()) {
                violations.add(method + " " + errors + " in view=" + params.get("view"));
                return json("{\"ok\":false,\"error\":\"invalid_arguments\"}");
            }
        }
        var queue = scripted.get(method);
        var next = queue == null ? null : queue.poll();
        if (next != null) {
            return next;
        }
        var error = methodErrors.get(method);
        if (error != null) {
            return json("{\"ok\":false,\"error\":\"" + error + "\"}");
        }
        return switch (method) {
            case "auth.test" ->
                json("{\"ok\":true,\"url\":\"https://test.slack.com/\",\"team\":\"Test\",\"user\":\"pinata-revoke\","
                        + "\"team_id\":\"" + TEAM + "\",\"user_id\":\"UBOT\",\"bot_id\":\"BBOT\"}");
            case "usergroups.users.list" -> usergroup(params.get("usergroup"));
            case "chat.postMessage" ->
                json("{\"ok\":true,\"channel\":\"" + params.get("channel") + "\",\"ts\":\"1700000000."
                        + String.format("%06d", ts.incrementAndGet()) + "\"}");
            case "chat.update" ->
                json("{\"ok\":true,\"channel\":\"" + params.get("channel") + "\",\"ts\":\"" + params.get("ts") + "\"}");
            case "chat.postEphemeral" -> json("{\"ok\":true,\"message_ts\":\"1700000001.000001\"}");
            case "views.publish" -> json("{\"ok\":true,\"view\":{\"id\":\"V0HOME\",\"type\":\"home\"}}");
            default -> json("{\"ok\":false,\"error\":\"unknown_method\"}");
        };
    }

    private static final Set<String> MESSAGE_METHODS = Set.of("chat.postMessage", "chat.update", "chat.postEphemeral");

    private MockResponse usergroup(String group) {
        var barrier = groupBarrier;
        if (barrier != null) {
            barrier.countDown();
            try {
                barrier.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        var error = groupErrors.get(group);
        if (error != null) {
            if (error.equals("http_500")) {
                return new MockResponse().setResponseCode(500).setBody("oops");
            }
            return json("{\"ok\":false,\"error\":\"" + error + "\"}");
        }
        var members = groups.get(group);
        if (members == null) {
            return json("{\"ok\":false,\"error\":\"no_such_subteam\"}");
        }
        var array = new JsonArray();
        members.forEach(array::add);
        var o = new JsonObject();
        o.addProperty("ok", true);
        o.add("users", array);
        return json(o.toString());
    }

    private static MockResponse json(String body) {
        return new MockResponse()
                .setHeader("Content-Type", "application/json; charset=utf-8")
                .setBody(body);
    }

    static Map<String, String> parseForm(String body) {
        var out = new HashMap<String, String>();
        if (body.isEmpty() || body.startsWith("{")) {
            return out;
        }
        for (var pair : body.split("&")) {
            var eq = pair.indexOf('=');
            var k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            var v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
