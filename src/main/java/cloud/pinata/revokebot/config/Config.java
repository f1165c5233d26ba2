package cloud.pinata.revokebot.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The whole configuration, read once from the environment and validated before anything serves.
 * Secrets are {@link Secret}s, so printing this record never prints a credential.
 *
 * <p>With {@code SLACK_APP_TOKEN} set (Socket Mode) {@code SLACK_SIGNING_SECRET} may be left out; then
 * {@link #slackSigningSecret()} is a random value that exists only in this process, so no request to
 * {@code /slack/events} can ever carry a valid signature and every one gets 401.
 */
public record Config(
        Secret slackBotToken,
        Secret slackSigningSecret,
        Optional<Secret> slackAppToken,
        Secret pinataAdminJwt,
        Optional<String> botPinataKey,
        List<String> adminUsergroups,
        List<String> allowedChannels,
        Duration confirmTtl,
        boolean requireSecondAdmin,
        DatabaseSettings database,
        int port,
        String pinataApiUrl,
        String slackApiUrl,
        int pinataRateLimit,
        HttpSettings http,
        NotifySettings adminNotify) {

    /**
     * The variables whose values are secrets: never printed by the bot, and scrubbed from what {@code doctor} and
     * {@code audit} print (with the database password).
     */
    public static final java.util.List<String> SECRET_VARIABLES = java.util.List.of(
            "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "PINATA_ADMIN_JWT", "METRICS_TOKEN");

    /** The bot's share of the organisation's Pinata requests per minute (the free plan allows 60 in all). */
    public static final int DEFAULT_PINATA_RATE_LIMIT = 50;

    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    public static final String DEFAULT_DATABASE_URL = "jdbc:sqlite:./pinata-revoke-bot.db";

    private static final Pattern USERGROUP_ID = Pattern.compile("S[A-Z0-9]{2,}");
    private static final Pattern CHANNEL_ID = Pattern.compile("[CG][A-Z0-9]{2,}");
    private static final Pattern CHANNEL_PREFIX = Pattern.compile("[a-z0-9_-]{1,80}");
    private static final Duration MIN_TTL = Duration.ofSeconds(30);
    private static final Duration MAX_TTL = Duration.ofHours(24);
    private static final SecureRandom RANDOM = new SecureRandom();

    public Config {
        adminUsergroups = List.copyOf(adminUsergroups);
        allowedChannels = List.copyOf(allowedChannels);
    }

    /** Reads and validates every variable; all problems are reported together in one exception. */
    public static Config fromEnvironment(Map<String, String> env) {
        var problems = new ArrayList<String>();

        var botToken = required(env, "SLACK_BOT_TOKEN", problems);
        if (botToken != null && !botToken.startsWith("xoxb-")) {
            problems.add("SLACK_BOT_TOKEN must be a bot token starting with xoxb- (Slack app > OAuth & Permissions)");
        }
        var appToken = optional(env, "SLACK_APP_TOKEN");
        if (appToken.isPresent() && !appToken.get().startsWith("xapp-")) {
            problems.add("SLACK_APP_TOKEN must be an app-level token starting with xapp- "
                    + "(Slack app > Basic Information > App-Level Tokens, scope connections:write)");
        }
        // Socket Mode needs no signing secret. Bolt would fall back to the public constant "---"; an unknown
        // random secret keeps /slack/events refusing everything instead.
        var signingSecret =
                appToken.isPresent() && optional(env, "SLACK_SIGNING_SECRET").isEmpty()
                        ? unguessableSecret()
                        : required(env, "SLACK_SIGNING_SECRET", problems);
        var jwt = required(env, "PINATA_ADMIN_JWT", problems);
        Optional<String> botKey = Optional.empty();
        if (jwt != null) {
            var decoded = decodeJwtPayload(jwt);
            if (decoded.isEmpty()) {
                problems.add("PINATA_ADMIN_JWT is not a JWT (expected three dot-separated base64url parts; "
                        + "copy the JWT shown when the Admin key was created, not its API key or secret)");
            } else {
                botKey = decoded.flatMap(p -> Optional.ofNullable(p.get("scopedKeyKey")))
                        .map(JsonNode::asText)
                        .filter(s -> !s.isBlank())
                        .map(s -> s.toLowerCase(Locale.ROOT));
            }
        }

        var groups = csv(env.get("ADMIN_USERGROUPS"));
        if (groups.isEmpty()) {
            problems.add("ADMIN_USERGROUPS is required: comma-separated Slack user group IDs such as S0123ABCD");
        }
        for (var g : groups) {
            if (!USERGROUP_ID.matcher(g).matches()) {
                problems.add("ADMIN_USERGROUPS entry '" + printable(g)
                        + "' is not a user group ID (S followed by letters and digits)");
            }
        }

        var channels = csv(env.get("ALLOWED_CHANNELS"));
        for (var c : channels) {
            if (!CHANNEL_ID.matcher(c).matches() && !CHANNEL_PREFIX.matcher(c).matches()) {
                problems.add("ALLOWED_CHANNELS entry '" + printable(c)
                        + "' is neither a channel ID (C…/G…) nor a lowercase name prefix such as inc-");
            }
        }

        var ttl = DEFAULT_TTL;
        var ttlText = env.get("CONFIRM_TTL");
        if (ttlText != null && !ttlText.isBlank()) {
            var parsed = Durations.parse(ttlText);
            if (parsed.isEmpty()) {
                problems.add("CONFIRM_TTL '" + printable(ttlText)
                        + "' is not a duration (use 10m, 90s, 1h or ISO-8601 such as PT10M)");
            } else if (parsed.get().compareTo(MIN_TTL) < 0 || parsed.get().compareTo(MAX_TTL) > 0) {
                problems.add("CONFIRM_TTL must be between 30s and 24h");
            } else {
                ttl = parsed.get();
            }
        }

        var secondAdmin = false;
        var secondAdminText =
                env.getOrDefault("REQUIRE_SECOND_ADMIN", "").trim().toLowerCase(Locale.ROOT);
        switch (secondAdminText) {
            case "", "false" -> secondAdmin = false;
            case "true" -> secondAdmin = true;
            default -> problems.add("REQUIRE_SECOND_ADMIN must be true or false");
        }

        DatabaseSettings database = null;
        try {
            database = DatabaseSettings.fromUrl(env.get("DATABASE_URL"));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }

        if (database != null) {
            database = database.withPoolSize(poolSize(env, problems));
        }

        var port = 3000;
        var portText = env.get("PORT");
        if (portText != null && !portText.isBlank()) {
            try {
                port = Integer.parseInt(portText.trim());
                if (port < 0 || port > 65535) {
                    problems.add("PORT must be between 0 and 65535");
                }
            } catch (NumberFormatException e) {
                problems.add("PORT '" + printable(portText) + "' is not a number");
            }
        }

        var pinataUrl = url(env, "PINATA_API_URL", "https://api.pinata.cloud", problems);
        var rateLimit = DEFAULT_PINATA_RATE_LIMIT;
        var rateText = env.get("PINATA_RATE_LIMIT");
        if (rateText != null && !rateText.isBlank()) {
            try {
                rateLimit = Integer.parseInt(rateText.trim());
                if (rateLimit < 5 || rateLimit > 100_000) {
                    problems.add(
                            "PINATA_RATE_LIMIT must be between 5 and 100000 requests per minute (the free plan allows 60 "
                                    + "for the whole organisation; leave room for its other apps)");
                }
            } catch (NumberFormatException e) {
                problems.add("PINATA_RATE_LIMIT '" + printable(rateText) + "' is not a number of requests per minute");
            }
        }
        var slackUrl = url(env, "SLACK_API_URL", "https://slack.com/api/", problems);
        if (slackUrl != null && !slackUrl.endsWith("/")) {
            slackUrl = slackUrl + "/";
        }

        var http = HttpSettings.fromEnvironment(env, port, problems);
        logging(env, problems);
        var notify = NotifySettings.fromEnvironment(env, groups, problems);

        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(
                new Secret(botToken),
                new Secret(signingSecret),
                appToken.map(Secret::new),
                new Secret(jwt),
                botKey,
                groups,
                channels,
                ttl,
                secondAdmin,
                database,
                port,
                stripTrailingSlash(pinataUrl),
                slackUrl,
                rateLimit,
                http,
                notify);
    }

    /** DATABASE_POOL_SIZE: connections per process (each instance, and each doctor or audit run, takes its own). */
    private static int poolSize(Map<String, String> env, List<String> problems) {
        var text = optional(env, "DATABASE_POOL_SIZE");
        if (text.isEmpty()) {
            return DatabaseSettings.DEFAULT_POOL_SIZE;
        }
        try {
            var n = Integer.parseInt(text.get());
            if (n >= 2 && n <= 100) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("DATABASE_POOL_SIZE must be a number of connections between 2 and 100 (default "
                + DatabaseSettings.DEFAULT_POOL_SIZE + "; see README.md, \"Database connections\")");
        return DatabaseSettings.DEFAULT_POOL_SIZE;
    }

    /** LOG_FORMAT and LOG_LEVEL are read by the logging set-up (LogDefaults); here they are only validated. */
    private static void logging(Map<String, String> env, List<String> problems) {
        var format = optional(env, "LOG_FORMAT").map(s -> s.toLowerCase(Locale.ROOT));
        if (format.isPresent() && !format.get().equals("json") && !format.get().equals("text")) {
            problems.add("LOG_FORMAT must be json or text (the default)");
        }
        var level = optional(env, "LOG_LEVEL").map(s -> s.toLowerCase(Locale.ROOT));
        if (level.isPresent()
                && !List.of("error", "warn", "info", "debug", "trace").contains(level.get())) {
            problems.add("LOG_LEVEL must be one of error, warn, info (the default), debug, trace");
        }
    }

    /** The JSON payload of a JWT, or empty when the text is not shaped like one. Never logs the input. */
    static Optional<JsonNode> decodeJwtPayload(String jwt) {
        var parts = jwt.trim().split("\\.", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            return Optional.empty();
        }
        try {
            var json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            var node = new ObjectMapper().readTree(json);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String required(Map<String, String> env, String name, List<String> problems) {
        var value = env.get(name);
        if (value == null || value.isBlank()) {
            problems.add(name + " is required");
            return null;
        }
        return value.trim();
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        var value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static String unguessableSecret() {
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String url(Map<String, String> env, String name, String fallback, List<String> problems) {
        var value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            var uri = URI.create(value.trim());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                problems.add(name + " must be an http(s) URL");
                return null;
            }
            return value.trim();
        } catch (IllegalArgumentException e) {
            problems.add(name + " must be an http(s) URL");
            return null;
        }
    }

    private static List<String> csv(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Echo a non-secret value back in a config error, bounded and without control characters. */
    private static String printable(String value) {
        var cleaned = value.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned;
    }
}
