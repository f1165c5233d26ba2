package cloud.pinata.revokebot.support;

import static cloud.pinata.revokebot.support.Eventually.await;

import cloud.pinata.revokebot.PinataRevokeBot;
import cloud.pinata.revokebot.Tuning;
import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.retry.RetryPolicy;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.app_backend.SlackSignature;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The whole bot on a free port, wired to a fake Slack, a fake Pinata and a SQLite file, driven over real HTTP
 * with requests signed the way Slack signs them.
 */
public final class BotHarness implements AutoCloseable {
    public static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    public static final String ADMINS = "S0ADMINS";
    public static final String CHANNEL = "C0INCIDENT";
    public static final String ADMIN = "U0ADMIN1";
    public static final String ADMIN2 = "U0ADMIN2";
    public static final String OUTSIDER = "U0OUTSIDER";
    /** The bearer token {@link #get} sends for {@code /metrics}; the harness sets METRICS_TOKEN to it. */
    public static final String METRICS_TOKEN = "test-metrics-token-0123456789abcdef";

    public final FakeSlack slack;
    public final FakePinata pinata;
    public final MutableClock clock = new MutableClock(Instant.now());
    private final Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger counter = new AtomicInteger();
    private final Map<String, String> env = new HashMap<>();
    private PinataRevokeBot bot;
    private int externalPort;
    private final java.util.List<PinataRevokeBot> others = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<String> ackViolations = new java.util.concurrent.CopyOnWriteArrayList<>();

    public BotHarness() throws IOException {
        slack = new FakeSlack();
        pinata = new FakePinata();
        dir = Files.createTempDirectory("revoke-bot-test");
        slack.setGroup(ADMINS, ADMIN, ADMIN2);
        env.put("SLACK_BOT_TOKEN", FakeSlack.BOT_TOKEN);
        env.put("SLACK_SIGNING_SECRET", SIGNING_SECRET);
        env.put("PINATA_ADMIN_JWT", TestJwt.bot());
        env.put("ADMIN_USERGROUPS", ADMINS);
        env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("bot.db"));
        env.put("PORT", "0");
        env.put("PINATA_API_URL", pinata.url());
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("METRICS_TOKEN", METRICS_TOKEN);
    }

    public BotHarness env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /**
     * Production tuning with back-offs and timeouts shortened, so fault scenarios take milliseconds; leases are not
     * renewed on a ticker (tests renew at each step, and take a lease away by moving the clock); the index is
     * never rebuilt in the background during a test. Waits move the harness's clock (see {@link #start()}).
     */
    public static final Tuning TUNING = new Tuning(
            Duration.ofSeconds(1),
            Duration.ofMillis(700),
            new RetryPolicy(4, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(150)),
            new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(5)),
            16,
            2_000,
            Duration.ofHours(1),
            Duration.ofMillis(1),
            Duration.ofHours(1),
            Duration.ofSeconds(10),
            Duration.ofMillis(500),
            Duration.ofHours(24),
            Duration.ofSeconds(20),
            d -> Thread.sleep(d.toMillis()));

    /** The tuning this harness starts bots with: every wait (back-off, Retry-After, rate budget) moves {@link #clock}. */
    public Tuning tuning() {
        var t = TUNING;
        return new Tuning(
                t.pinataConnectTimeout(),
                pinataReadTimeout,
                t.pinataRetry(),
                t.slackRetry(),
                t.workers(),
                t.queue(),
                t.sweepEvery(),
                t.bulkPacing(),
                t.leaseRenewEvery(),
                t.indexFreshFor(),
                t.waitForIndex(),
                t.indexRebuildEvery(),
                shutdownGrace,
                d -> {
                    clock.advance(d);
                    Thread.yield();
                });
    }

    /** How long a stopping bot waits for its workers (wall time: the JVM's own wait) before handing work over. */
    public BotHarness shutdownGrace(Duration grace) {
        shutdownGrace = grace;
        return this;
    }

    private Duration shutdownGrace = TUNING.shutdownGrace();

    /**
     * How long the bot waits for each Pinata answer (wall time: the socket's own timeout). For tests whose fake
     * Pinata never answers some calls: each such call then costs this instead of the default 700 ms. The fake answers
     * everything else in a few milliseconds, so 300 ms leaves a wide margin on a loaded machine.
     */
    public BotHarness pinataReadTimeout(Duration timeout) {
        pinataReadTimeout = timeout;
        return this;
    }

    private Duration pinataReadTimeout = TUNING.pinataReadTimeout();

    /** Starts the bot and waits until its key index has read the fake's keys, as a person would wait for start-up. */
    public BotHarness start() {
        pinata.acceptJwt(env.get("PINATA_ADMIN_JWT"));
        bot = PinataRevokeBot.start(Config.fromEnvironment(env), clock, tuning());
        await("key index built", () -> bot.pinata().index().attempted());
        pinataCallsAtStart = pinata.calls().size();
        return this;
    }

    /** Pinata calls made since {@link #start()} finished: what commands and clicks cost, without the index's build. */
    public java.util.List<FakePinata.Call> pinataCallsSinceStart() {
        var all = pinata.calls();
        return all.subList(Math.min(pinataCallsAtStart, all.size()), all.size());
    }

    private int pinataCallsAtStart;

    /** Another instance of the bot on the same database and fakes, as behind a load balancer. */
    public PinataRevokeBot startAnother() {
        var another = PinataRevokeBot.start(Config.fromEnvironment(env), clock, tuning());
        others.add(another);
        await(
                "the other instance's key index built",
                () -> another.pinata().index().attempted());
        return another;
    }

    /** Stops the bot as a deploy would and starts a new one on the same database. */
    public void restart() {
        bot.close();
        start();
    }

    public PinataRevokeBot bot() {
        return bot;
    }

    public String jdbcUrl() {
        return env.get("DATABASE_URL");
    }

    /**
     * {@code text} as the person typed it; it is sent as Slack sends it, HTML-escaped. A JSON ack must be a message
     * Slack would accept: a refused one is kept with the fake's {@link FakeSlack#violations()}.
     */
    public HttpResponse<String> command(String user, String channel, String text) {
        var ack = postSigned(
                formBody(commandFields(user, channel, text, slack.responseUrl("cmd-" + counter.incrementAndGet()))));
        checkAck(ack);
        return ack;
    }

    /** The form body of a slash command, as Slack sends it, unsigned. */
    public String bodyOf(String user, String channel, String text) {
        return formBody(commandFields(user, channel, text, slack.responseUrl("cmd-" + counter.incrementAndGet())));
    }

    /** An ack with a body is a message shown to the caller: the same Block Kit rules apply. */
    public void checkAck(HttpResponse<String> ack) {
        if (ack.statusCode() == 200 && !ack.body().isEmpty()) {
            var errors = BlockKit.checkJson(BlockKit.Kind.ACK, ack.body());
            if (errors.isEmpty()) {
                BlockKit.countSent("ack\u0000" + ack.body());
            } else {
                ackViolations.add("ack " + errors + " in " + ack.body());
            }
        }
    }

    /** Slack's unsigned certificate check: {@code ssl_check=1&token=…}, no signature headers. */
    public HttpResponse<String> sslCheck() {
        return post("ssl_check=1&token=legacy-verification-token", null, null);
    }

    /** Mrkdwn as Slack shows it, for text without control sequences: the three entities decoded, once. */
    public static String rendered(String mrkdwn) {
        return mrkdwn.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** Slack sends slash-command text HTML-escaped: {@code &}, {@code <}, {@code >} as entities, nothing else. */
    public static String slackEscaped(String typed) {
        return typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The fields of a slash command as Slack sends them: a form over HTTP, a JSON object over Socket Mode. */
    public static Map<String, String> commandFields(String user, String channel, String text, String responseUrl) {
        var fields = new LinkedHashMap<String, String>();
        fields.put("token", "legacy-verification-token");
        fields.put("team_id", FakeSlack.TEAM);
        fields.put("team_domain", "test");
        fields.put("channel_id", channel);
        fields.put("channel_name", "inc-2026-11-28");
        fields.put("user_id", user);
        fields.put("user_name", user.toLowerCase());
        fields.put("command", "/pinata-revoke");
        fields.put("text", slackEscaped(text));
        fields.put("api_app_id", "A0APP");
        fields.put("is_enterprise_install", "false");
        fields.put("response_url", responseUrl);
        fields.put("trigger_id", "1.2.3");
        return fields;
    }

    /** A click on the request's card, as Slack sends it: carrying the ts of the message the bot posted. */
    public HttpResponse<String> click(String actionId, String user, String channel, String requestId) {
        return click(actionId, user, channel, requestId, cardTsOf(requestId));
    }

    /** The ts of the card the bot posted for {@code requestId} (a fixed ts when there is none to read). */
    public String cardTsOf(String requestId) {
        var stored = bot == null || requestId == null
                ? null
                : bot.requests().find(requestId).map(r -> r.cardTs()).orElse(null);
        return stored != null ? stored : "1700000000.000001";
    }

    /** A signed block_actions payload as Slack sends for a click on the card with message ts {@code cardTs}. */
    public HttpResponse<String> click(String actionId, String user, String channel, String requestId, String cardTs) {
        return postSigned(clickBody(actionId, user, channel, requestId, cardTs));
    }

    /** The form body of a block_actions click, unsigned. */
    public String clickBody(String actionId, String user, String channel, String requestId, String cardTs) {
        return clickBody(FakeSlack.TEAM, actionId, user, channel, requestId, cardTs);
    }

    /** The same, as if sent from workspace {@code teamId}. */
    public String clickBody(
            String teamId, String actionId, String user, String channel, String requestId, String cardTs) {
        var payload = new JsonObject();
        payload.addProperty("type", "block_actions");
        var team = new JsonObject();
        team.addProperty("id", teamId);
        team.addProperty("domain", "test");
        payload.add("team", team);
        var u = new JsonObject();
        u.addProperty("id", user);
        u.addProperty("username", user.toLowerCase());
        u.addProperty("team_id", teamId);
        payload.add("user", u);
        payload.addProperty("api_app_id", "A0APP");
        payload.addProperty("token", "legacy-verification-token");
        var container = new JsonObject();
        container.addProperty("type", "message");
        container.addProperty("message_ts", cardTs);
        container.addProperty("channel_id", channel);
        container.addProperty("is_ephemeral", false);
        payload.add("container", container);
        payload.addProperty("trigger_id", "1.2.3");
        var ch = new JsonObject();
        ch.addProperty("id", channel);
        ch.addProperty("name", "inc-2026-11-28");
        payload.add("channel", ch);
        payload.addProperty("response_url", slack.responseUrl("click-" + counter.incrementAndGet()));
        var action = new JsonObject();
        action.addProperty("action_id", actionId);
        action.addProperty("block_id", "revoke_actions");
        action.addProperty("type", "button");
        if (requestId != null) {
            action.addProperty("value", requestId);
        }
        action.addProperty("action_ts", "1700000000.1");
        var actions = new JsonArray();
        actions.add(action);
        payload.add("actions", actions);
        return "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
    }

    /**
     * The message shortcut on a message, as Slack sends a {@code message_action} payload: team, channel, user, the
     * message (its text as Slack stores it, ts and, for a reply, thread_ts), a response_url and a trigger_id.
     */
    public HttpResponse<String> messageShortcut(
            String user, String channel, String messageText, String messageTs, String threadTs) {
        var payload = new JsonObject();
        payload.addProperty("type", "message_action");
        payload.addProperty("callback_id", "revoke_leaked_pinata_key");
        payload.addProperty("token", "legacy-verification-token");
        payload.addProperty("action_ts", "1700000000.2");
        payload.addProperty("trigger_id", "1.2.3");
        payload.addProperty("message_ts", messageTs);
        payload.addProperty("is_enterprise_install", false);
        var team = new JsonObject();
        team.addProperty("id", FakeSlack.TEAM);
        team.addProperty("domain", "test");
        payload.add("team", team);
        var u = new JsonObject();
        u.addProperty("id", user);
        u.addProperty("name", user.toLowerCase());
        u.addProperty("team_id", FakeSlack.TEAM);
        payload.add("user", u);
        var ch = new JsonObject();
        ch.addProperty("id", channel);
        ch.addProperty("name", "inc-2026-11-28");
        payload.add("channel", ch);
        var message = new JsonObject();
        message.addProperty("type", "message");
        message.addProperty("user", "U0AUTHOR");
        message.addProperty("ts", messageTs);
        if (threadTs != null) {
            message.addProperty("thread_ts", threadTs);
        }
        message.addProperty("text", slackEscaped(messageText));
        payload.add("message", message);
        payload.addProperty("response_url", slack.responseUrl("shortcut-" + counter.incrementAndGet()));
        return postSigned("payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8));
    }

    /** Someone opens the bot's App Home tab: an Events API {@code app_home_opened} callback, JSON, signed. */
    public HttpResponse<String> appHomeOpened(String user) {
        var event = new JsonObject();
        event.addProperty("type", "app_home_opened");
        event.addProperty("user", user);
        event.addProperty("channel", "D0HOME" + user);
        event.addProperty("tab", "home");
        event.addProperty("event_ts", "1700000000.3");
        var payload = new JsonObject();
        payload.addProperty("token", "legacy-verification-token");
        payload.addProperty("team_id", FakeSlack.TEAM);
        payload.addProperty("api_app_id", "A0APP");
        payload.add("event", event);
        payload.addProperty("type", "event_callback");
        payload.addProperty("event_id", "Ev" + counter.incrementAndGet());
        payload.addProperty("event_time", Instant.now().getEpochSecond());
        var body = payload.toString();
        var timestamp = Long.toString(Instant.now().getEpochSecond());
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.port() + "/slack/events"))
                .header("Content-Type", "application/json")
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", new SlackSignature.Generator(SIGNING_SECRET).generate(timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return send(request);
    }

    public HttpResponse<String> postSigned(String body) {
        return postSignedTo(bot, body);
    }

    /** Signs {@code body} as Slack would and posts it to one particular instance. */
    public HttpResponse<String> postSignedTo(PinataRevokeBot target, String body) {
        var timestamp = Long.toString(Instant.now().getEpochSecond());
        return post(target, body, timestamp, new SlackSignature.Generator(SIGNING_SECRET).generate(timestamp, body));
    }

    public HttpResponse<String> post(String body, String timestamp, String signature) {
        return post(bot, body, timestamp, signature);
    }

    /** Posts exactly these headers and body to one particular instance. */
    public HttpResponse<String> postTo(PinataRevokeBot target, String body, String timestamp, String signature) {
        return post(target, body, timestamp, signature);
    }

    /** Sends requests to a bot running outside this JVM (see CrashRecoveryTest) until {@link #start()}. */
    public BotHarness targetPort(int port) {
        this.externalPort = port;
        return this;
    }

    /** The environment the bot is configured with, for starting it as a separate process. */
    public Map<String, String> environment() {
        return Map.copyOf(env);
    }

    private HttpResponse<String> post(PinataRevokeBot target, String body, String timestamp, String signature) {
        var port = target != null ? target.port() : externalPort;
        var builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (timestamp != null) {
            builder.header("X-Slack-Request-Timestamp", timestamp);
        }
        if (signature != null) {
            builder.header("X-Slack-Signature", signature);
        }
        return send(builder.build());
    }

    /** A GET on the bot's port; {@code /metrics} with the harness's bearer token, as a Prometheus scrape would. */
    public HttpResponse<String> get(String path) {
        var port = bot != null ? bot.port() : externalPort;
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET();
        if (path.startsWith("/metrics")) {
            request.header("Authorization", "Bearer " + METRICS_TOKEN);
        }
        return send(request.build());
    }

    /** A GET with exactly the headers given (name, value, name, value…) on {@code port}. */
    public HttpResponse<String> get(int port, String path, String... headers) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the n-th card (1-based) and returns the request id its Revoke button carries. */
    public String awaitCardRequestId(int n) {
        var post = Eventually.awaitValue("card #" + n, () -> {
            var cards = slack.calls("chat.postMessage").stream()
                    .filter(c -> c.param("blocks") != null && c.param("blocks").contains("revoke_confirm"))
                    .toList();
            return cards.size() >= n ? cards.get(n - 1) : null;
        });
        for (var block : JsonParser.parseString(post.param("blocks")).getAsJsonArray()) {
            var o = block.getAsJsonObject();
            if (o.has("elements") && "actions".equals(o.get("type").getAsString())) {
                for (var el : o.getAsJsonArray("elements")) {
                    var e = el.getAsJsonObject();
                    if ("revoke_confirm".equals(e.get("action_id").getAsString())) {
                        var id = e.get("value").getAsString();
                        // As for a person, the card is there once the bot has recorded where it is.
                        // The card_posted audit record comes after the ts; tests that read the audit trail next need
                        // it.
                        if (bot != null) {
                            await(
                                    "card ts stored",
                                    () -> bot.requests()
                                            .find(id)
                                            .map(r -> r.cardTs() != null)
                                            .orElse(false));
                            await(
                                    "card_posted recorded",
                                    () -> bot.audit().recent(200).stream()
                                            .anyMatch(a -> id.equals(a.requestId())
                                                    && a.outcome() != null
                                                    && a.outcome().endsWith("card_posted")));
                        }
                        return id;
                    }
                }
            }
        }
        throw new AssertionError("card without a revoke_confirm button: " + post.param("blocks"));
    }

    /** The text of the ephemeral acknowledgement of a slash command. */
    public static String ackText(HttpResponse<String> ack) {
        return ack.body().isEmpty()
                ? ""
                : JsonParser.parseString(ack.body())
                        .getAsJsonObject()
                        .get("text")
                        .getAsString();
    }

    /** Every value in every row of the request and audit tables, for "this never got stored" checks. */
    public String databaseDump() {
        return tableDump("revocation_request") + tableDump("audit_log");
    }

    /** Every value of every row of one table, a line per row, in a stable order. */
    public String tableDump(String table) {
        var sb = new StringBuilder();
        try (var c = DriverManager.getConnection(jdbcUrl());
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
            var cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= cols; i++) {
                    sb.append(rs.getString(i)).append('|');
                }
                sb.append('\n');
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return sb.toString();
    }

    private static String formBody(Map<String, String> form) {
        var sb = new StringBuilder();
        form.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    /** Every ack and payload Slack would have refused in this test; see {@link #close()}. */
    public java.util.List<String> refusedBySlack() {
        var all = new java.util.ArrayList<>(ackViolations);
        all.addAll(slack.violations());
        return all;
    }

    /** Stops everything, then fails the test if any payload of it broke a Block Kit rule (the strict fake's verdict). */
    @Override
    public void close() throws IOException {
        for (var other : others) {
            other.close();
        }
        if (bot != null) {
            bot.close();
        }
        pinata.close();
        slack.close();
        var refused = refusedBySlack();
        if (!refused.isEmpty()) {
            throw new AssertionError("Slack would have refused " + refused.size() + " payload(s): " + refused);
        }
    }
}
