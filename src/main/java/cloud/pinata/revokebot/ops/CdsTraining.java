package cloud.pinata.revokebot.ops;

import cloud.pinata.revokebot.PinataRevokeBot;
import cloud.pinata.revokebot.config.Config;
import com.slack.api.app_backend.SlackSignature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The training run behind the class-data-sharing archive ({@code target/pinata-revoke-bot.jsa}; see README,
 * "Start-up time"). The build runs {@code java -XX:ArchiveClassesAtExit=… -jar pinata-revoke-bot.jar cds-archive}:
 * this class starts the whole bot exactly as {@code serve} does, on a free loopback port, against two stand-ins
 * that exist only for this run (a Slack Web API and a Pinata API on 127.0.0.1 answering "ok" to everything) and a
 * throw-away SQLite file, sends it a few signed requests, stops it and exits. The JVM then writes every class that
 * was loaded into the archive, so a real start maps them instead of loading, parsing and verifying ~6,600 classes.
 *
 * <p>The bot's configuration here comes from constants, not the environment (Bolt still reads a few SLACK_*
 * variables for defaults it never sends anywhere); every call goes to the stand-ins on 127.0.0.1, with JVM proxy
 * settings cleared; files go to a temporary directory that is deleted. The bot's own port is bound to 127.0.0.1 only
 * (BIND_ADDRESS) for the few seconds of the run, and answers Slack requests only when signed with a random secret.
 */
public final class CdsTraining {
    private static final String TEAM = "T0TRAIN";
    private static final String ADMIN = "U0TRAIN";
    private static final String CHANNEL = "C0TRAIN";
    private static final String TRAINING_KEY = "abcdef0123456789abcd";
    private static final String[] PROXY_PROPERTIES = {
        "http.proxyHost",
        "http.proxyPort",
        "https.proxyHost",
        "https.proxyPort",
        "http.proxyUser",
        "http.proxyPassword",
        "socksProxyHost",
        "socksProxyPort"
    };

    private final PrintStream out;

    public CdsTraining(PrintStream out) {
        this.out = out;
    }

    /** Returns the process exit status: 0 when the bot started, answered and stopped. */
    public int run() throws Exception {
        // Proxy settings (e.g. injected through JAVA_TOOL_OPTIONS on a build machine) would send the training
        // traffic, loopback URLs and all, to a proxy: this run talks to 127.0.0.1 and nothing else.
        for (var property : PROXY_PROPERTIES) {
            System.clearProperty(property);
        }
        var dir = Files.createTempDirectory("pinata-revoke-bot-cds");
        HttpServer slack = null;
        HttpServer pinata = null;
        try {
            var posted = new CountDownLatch(1);
            slack = stub(exchange -> {
                if (exchange.getRequestURI().getPath().endsWith("chat.postMessage")) {
                    posted.countDown();
                }
                return "{\"ok\":true,\"team_id\":\"" + TEAM
                        + "\",\"user_id\":\"U0BOT\",\"bot_id\":\"B0BOT\",\"team\":\"training\","
                        + "\"url\":\"https://training.invalid/\",\"users\":[\"" + ADMIN + "\"],\"channel\":\"" + CHANNEL
                        + "\","
                        + "\"ts\":\"1700000000.000100\"}";
            });
            // The key the training command names is an active key here (no listing showing it active, no card).
            pinata = stub(exchange -> exchange.getRequestURI().getPath().equals("/users/apiKeys")
                            && "offset=0".equals(exchange.getRequestURI().getQuery())
                    ? "{\"keys\":[{\"id\":\"t\",\"name\":\"training\",\"key\":\"" + TRAINING_KEY
                            + "\",\"scopes\":{\"admin\":false},\"revoked\":false,\"createdAt\":\"2026-01-01T00:00:00.000Z\"}],\"count\":1}"
                    : "{\"keys\":[],\"count\":0}");
            var secret = randomHex(32);
            var env = Map.of(
                    "SLACK_BOT_TOKEN",
                    "xoxb-0-cds-training",
                    "SLACK_SIGNING_SECRET",
                    secret,
                    "PINATA_ADMIN_JWT",
                    trainingJwt(),
                    "ADMIN_USERGROUPS",
                    "S0TRAIN",
                    "DATABASE_URL",
                    "jdbc:sqlite:" + dir.resolve("training.db"),
                    "PORT",
                    "0",
                    // A build machine's other interfaces never see the training bot.
                    "BIND_ADDRESS",
                    "127.0.0.1",
                    "SLACK_API_URL",
                    "http://127.0.0.1:" + slack.getAddress().getPort() + "/api/",
                    "PINATA_API_URL",
                    "http://127.0.0.1:" + pinata.getAddress().getPort());
            try (var bot = PinataRevokeBot.start(Config.fromEnvironment(env), Clock.systemUTC())) {
                var base = "http://127.0.0.1:" + bot.port();
                expect(200, get(base + "/health"));
                expect(200, command(base, secret, "help"));
                expect(200, command(base, secret, TRAINING_KEY + " training run"));
                if (!posted.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the training command posted no card");
                }
                var click = "{\"type\":\"block_actions\",\"team\":{\"id\":\"" + TEAM + "\"},\"user\":{\"id\":\"" + ADMIN
                        + "\",\"team_id\":\"" + TEAM + "\"},\"channel\":{\"id\":\"" + CHANNEL + "\"},"
                        + "\"container\":{\"type\":\"message\",\"message_ts\":\"1700000000.000100\",\"channel_id\":\""
                        + CHANNEL + "\"},"
                        + "\"actions\":[{\"action_id\":\"revoke_cancel\",\"block_id\":\"b\",\"value\":\""
                        + randomHex(16)
                        + "\",\"type\":\"button\",\"action_ts\":\"1700000000.000200\"}]}";
                expect(200, post(base, secret, "payload=" + URLEncoder.encode(click, StandardCharsets.UTF_8)));
                get(base + "/metrics");
            }
            out.println("cds-archive: training run complete; the JVM writes the archive as it exits");
            return 0;
        } finally {
            if (slack != null) {
                slack.stop(0);
            }
            if (pinata != null) {
                pinata.stop(0);
            }
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                out.println("cds-archive: could not remove " + dir + ": "
                        + e.getClass().getSimpleName());
            }
        }
    }

    private interface Answer {
        String body(HttpExchange exchange) throws IOException;
    }

    private static HttpServer stub(Answer answer) throws IOException {
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                var bytes = answer.body(exchange).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
        return server;
    }

    private static int command(String base, String secret, String text) throws IOException {
        return post(
                base,
                secret,
                "token=x&team_id=" + TEAM + "&channel_id=" + CHANNEL + "&user_id=" + ADMIN
                        + "&command=%2Fpinata-revoke&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
                        + "&response_url=" + URLEncoder.encode("http://127.0.0.1:9/respond", StandardCharsets.UTF_8)
                        + "&trigger_id=1.2.3");
    }

    private static int post(String base, String secret, String body) throws IOException {
        var timestamp = Long.toString(System.currentTimeMillis() / 1000);
        var connection =
                (HttpURLConnection) URI.create(base + "/slack/events").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        connection.setRequestProperty(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP, timestamp);
        connection.setRequestProperty(
                SlackSignature.HeaderNames.X_SLACK_SIGNATURE,
                new SlackSignature.Generator(secret).generate(timestamp, body));
        try (var os = connection.getOutputStream()) {
            os.write(body.getBytes(StandardCharsets.UTF_8));
        }
        return drain(connection);
    }

    private static int get(String url) throws IOException {
        return drain((HttpURLConnection) URI.create(url).toURL().openConnection());
    }

    private static int drain(HttpURLConnection connection) throws IOException {
        var status = connection.getResponseCode();
        try (var in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
        connection.disconnect();
        return status;
    }

    private static void expect(int wanted, int got) {
        if (wanted != got) {
            throw new IllegalStateException("training request answered HTTP " + got + ", expected " + wanted);
        }
    }

    /** JWT-shaped (the bot only reads its payload's scopedKeyKey); signed by nobody, accepted by nothing real. */
    private static String trainingJwt() {
        var enc = Base64.getUrlEncoder().withoutPadding();
        var header = enc.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        var payload =
                enc.encodeToString("{\"scopedKeyKey\":\"0000000000000000cd50\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".training";
    }

    private static String randomHex(int bytes) {
        var b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
