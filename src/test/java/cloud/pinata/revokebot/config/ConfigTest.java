package cloud.pinata.revokebot.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.support.TestJwt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/design.md §9: validated once, every problem at once, no secret ever printed. */
class ConfigTest {
    static final String BOT_TOKEN = "xoxb-1111-2222-s3cr3tB0tT0k3n";
    static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String JWT = TestJwt.bot();
    static final String DB_PASSWORD = "p@ss-w0rd-db";

    private static Map<String, String> validEnv() {
        var env = new HashMap<String, String>();
        env.put("SLACK_BOT_TOKEN", BOT_TOKEN);
        env.put("SLACK_SIGNING_SECRET", SIGNING_SECRET);
        env.put("PINATA_ADMIN_JWT", JWT);
        env.put("ADMIN_USERGROUPS", "S0ADMINS, S0SECOPS");
        return env;
    }

    private static Config load(Map<String, String> env) {
        return Config.fromEnvironment(env);
    }

    private static Config with(String name, String value) {
        var env = validEnv();
        env.put(name, value);
        return load(env);
    }

    private static ConfigException failing(Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> load(env));
    }

    private static ConfigException failingWith(String name, String value) {
        var env = validEnv();
        env.put(name, value);
        return failing(env);
    }

    private static String jwtWithPayload(String json) {
        var enc = Base64.getUrlEncoder().withoutPadding();
        return enc.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + enc.encodeToString(json.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    private static void assertNoSecret(String text) {
        assertFalse(text.contains(BOT_TOKEN), () -> "bot token in: " + text);
        assertFalse(text.contains(SIGNING_SECRET), () -> "signing secret in: " + text);
        assertFalse(text.contains(JWT), () -> "JWT in: " + text);
        for (var part : JWT.split("\\.")) {
            assertFalse(text.contains(part), () -> "part of the JWT in: " + text);
        }
        assertFalse(text.contains(TestJwt.BOT_SECRET), () -> "the bot key's secret in: " + text);
        assertFalse(text.contains(DB_PASSWORD), () -> "database password in: " + text);
        assertFalse(text.contains("p%40ss-w0rd-db"), () -> "encoded database password in: " + text);
    }

    @Test
    void buildsFromValidEnvironmentWithDefaults() {
        var config = load(validEnv());
        assertEquals(BOT_TOKEN, config.slackBotToken().reveal());
        assertEquals(SIGNING_SECRET, config.slackSigningSecret().reveal());
        assertEquals(JWT, config.pinataAdminJwt().reveal());
        assertEquals(List.of("S0ADMINS", "S0SECOPS"), config.adminUsergroups());
        assertEquals(List.of(), config.allowedChannels());
        assertEquals(Duration.ofMinutes(10), config.confirmTtl());
        assertFalse(config.requireSecondAdmin());
        assertEquals(Config.DEFAULT_DATABASE_URL, config.database().jdbcUrl());
        assertEquals(3000, config.port());
        assertEquals("https://api.pinata.cloud", config.pinataApiUrl());
        assertEquals("https://slack.com/api/", config.slackApiUrl());
    }

    @Test
    void readsEveryOptionalVariable() {
        var env = validEnv();
        env.put("ALLOWED_CHANNELS", "C0INCIDENT, inc-,G0PRIVATE");
        env.put("CONFIRM_TTL", "15m");
        env.put("REQUIRE_SECOND_ADMIN", "TRUE");
        env.put("PORT", "8080");
        env.put("PINATA_API_URL", "http://localhost:9000/");
        env.put("SLACK_API_URL", "http://localhost:9001/api");
        var config = load(env);
        assertEquals(List.of("C0INCIDENT", "inc-", "G0PRIVATE"), config.allowedChannels());
        assertEquals(Duration.ofMinutes(15), config.confirmTtl());
        assertTrue(config.requireSecondAdmin());
        assertEquals(8080, config.port());
        assertEquals("http://localhost:9000", config.pinataApiUrl());
        assertEquals("http://localhost:9001/api/", config.slackApiUrl());
    }

    @Test
    void reportsAllProblemsTogetherInOneException() {
        var env = validEnv();
        env.remove("SLACK_BOT_TOKEN");
        env.put("ADMIN_USERGROUPS", "S0ADMINS,U0NOTAGROUP");
        env.put("CONFIRM_TTL", "soon");
        env.put("PORT", "http");
        env.put("REQUIRE_SECOND_ADMIN", "yes");
        var e = failing(env);
        assertEquals(5, e.problems().size(), e.problems()::toString);
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("SLACK_BOT_TOKEN is required")), e.getMessage());
        assertTrue(
                e.problems().stream().anyMatch(p -> p.contains("ADMIN_USERGROUPS") && p.contains("U0NOTAGROUP")),
                e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("CONFIRM_TTL")), e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("PORT")), e.getMessage());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("REQUIRE_SECOND_ADMIN")), e.getMessage());
        for (var p : e.problems()) {
            assertTrue(e.getMessage().contains(p), "the message lists every problem");
        }
    }

    @Test
    void reportsEveryMissingRequiredVariable() {
        var e = failing(Map.of());
        assertEquals(4, e.problems().size(), e.problems()::toString);
        for (var name : List.of("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "PINATA_ADMIN_JWT", "ADMIN_USERGROUPS")) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void blankRequiredVariableIsMissing() {
        var e = failingWith("SLACK_SIGNING_SECRET", "   ");
        assertEquals(List.of("SLACK_SIGNING_SECRET is required"), e.problems());
    }

    @Test
    void refusesAUserTokenAsBotToken() {
        var e = failingWith("SLACK_BOT_TOKEN", "xoxp-user-token-value");
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).contains("xoxb-"), e.getMessage());
        assertFalse(e.getMessage().contains("xoxp-user-token-value"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0INCIDENT", "Inc-", "#inc-", "inc incident"})
    void refusesMalformedChannelEntries(String entry) {
        var channels = entry.equals("C0INCIDENT") ? "C0INCIDENT,S0WRONG" : entry;
        var e = failingWith("ALLOWED_CHANNELS", channels);
        assertEquals(1, e.problems().size(), e.problems()::toString);
        assertTrue(e.problems().get(0).startsWith("ALLOWED_CHANNELS"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "10m, PT10M",
        "90s, PT1M30S",
        "1h, PT1H",
        "PT5M, PT5M",
        "pt5m, PT5M",
        "30s, PT30S",
        "24h, PT24H",
        " 2M , PT2M"
    })
    void acceptsShortAndIsoDurationsForConfirmTtl(String text, String expected) {
        assertEquals(Duration.parse(expected), with("CONFIRM_TTL", text).confirmTtl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"29s", "0m", "PT0S", "-PT5M", "25h", "P2D", "1441m"})
    void refusesConfirmTtlOutsideThirtySecondsToOneDay(String text) {
        var e = failingWith("CONFIRM_TTL", text);
        assertEquals(List.of("CONFIRM_TTL must be between 30s and 24h"), e.problems());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ten minutes", "10", "10 m", "10d", "5min"})
    void refusesConfirmTtlThatIsNotADuration(String text) {
        var e = failingWith("CONFIRM_TTL", text);
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).contains("is not a duration"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "65536", "port", "80.5"})
    void refusesBadPort(String text) {
        var e = failingWith("PORT", text);
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith("PORT"), e.getMessage());
    }

    @Test
    void refusesNonHttpApiUrls() {
        var env = validEnv();
        env.put("PINATA_API_URL", "ftp://api.pinata.cloud");
        env.put("SLACK_API_URL", "slack.com/api");
        var e = failing(env);
        assertEquals(
                List.of("PINATA_API_URL must be an http(s) URL", "SLACK_API_URL must be an http(s) URL"), e.problems());
    }

    @Test
    void databaseDefaultsToEmbeddedSqlite() {
        var db = load(validEnv()).database();
        assertEquals("jdbc:sqlite:./pinata-revoke-bot.db", db.jdbcUrl());
        assertTrue(db.isSqlite());
        assertEquals(Optional.empty(), db.user());
        assertEquals(Optional.empty(), db.password());
        assertEquals(
                "jdbc:sqlite:./pinata-revoke-bot.db",
                with("DATABASE_URL", " ").database().jdbcUrl());
    }

    @Test
    void acceptsJdbcSqliteUrl() {
        var db = with("DATABASE_URL", "jdbc:sqlite:/var/lib/bot/bot.db").database();
        assertEquals("jdbc:sqlite:/var/lib/bot/bot.db", db.jdbcUrl());
        assertTrue(db.isSqlite());
    }

    @Test
    void acceptsJdbcPostgresqlUrl() {
        var db = with("DATABASE_URL", "jdbc:postgresql://db.internal:5432/revokebot?sslmode=require")
                .database();
        assertEquals("jdbc:postgresql://db.internal:5432/revokebot?sslmode=require", db.jdbcUrl());
        assertFalse(db.isSqlite());
        assertEquals(Optional.empty(), db.user());
    }

    @Test
    void convertsHerokuPostgresUrlAndDecodesThePassword() {
        var db = with("DATABASE_URL", "postgres://user:p%40ss@host:5433/db").database();
        assertEquals("jdbc:postgresql://host:5433/db?sslmode=require", db.jdbcUrl());
        assertEquals(Optional.of("user"), db.user());
        assertEquals("p@ss", db.password().orElseThrow().reveal());
        assertFalse(db.isSqlite());
    }

    @Test
    void convertsPostgresUrlWithoutPortOrPasswordAndKeepsQuery() {
        var db = with("DATABASE_URL", "postgresql://bot@db.internal/revokebot?sslmode=require")
                .database();
        assertEquals("jdbc:postgresql://db.internal/revokebot?sslmode=require", db.jdbcUrl());
        assertEquals(Optional.of("bot"), db.user());
        assertEquals(Optional.empty(), db.password());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://u:p@host/db", "postgres://host", "postgres://u:p@host:5432/", "sqlite:bot.db"})
    void refusesUnsupportedOrIncompleteDatabaseUrls(String url) {
        var e = failingWith("DATABASE_URL", url);
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith("DATABASE_URL"), e.getMessage());
    }

    @Test
    void decodesBotPinataKeyFromJwtPayload() {
        assertEquals(Optional.of(TestJwt.BOT_KEY), load(validEnv()).botPinataKey());
    }

    @Test
    void lowerCasesBotPinataKey() {
        var jwt = TestJwt.forKey("B07B07B07B07B07B07B0", TestJwt.BOT_SECRET);
        assertEquals(
                Optional.of("b07b07b07b07b07b07b0"),
                with("PINATA_ADMIN_JWT", jwt).botPinataKey());
    }

    @Test
    void jwtWithoutScopedKeyKeyLeavesBotKeyUnknown() {
        var config = with("PINATA_ADMIN_JWT", jwtWithPayload("{\"userInformation\":{\"id\":\"u1\"}}"));
        assertEquals(Optional.empty(), config.botPinataKey());
        var blank = with("PINATA_ADMIN_JWT", jwtWithPayload("{\"scopedKeyKey\":\"  \"}"));
        assertEquals(Optional.empty(), blank.botPinataKey());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a1b2c3d4e5f6a7b8c9d0",
                "5ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e75ec0e7aaaa",
                "abc.def",
                "a.b.c.d",
                "eyJhbGciOiJIUzI1NiJ9..c2ln",
                "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",
                "eyJhbGciOiJIUzI1NiJ9.WzEsMl0.c2ln",
                "eyJhbGciOiJIUzI1NiJ9.!!!.c2ln"
            })
    void refusesAdminJwtThatIsNotAJwt(String value) {
        var e = failingWith("PINATA_ADMIN_JWT", value);
        assertEquals(1, e.problems().size(), e.problems()::toString);
        assertTrue(e.problems().get(0).startsWith("PINATA_ADMIN_JWT is not a JWT"), e.getMessage());
        assertFalse(e.getMessage().contains(value), "the value is echoed");
    }

    @Test
    void exceptionMessageNeverContainsSecrets() {
        var env = validEnv();
        env.put("DATABASE_URL", "postgres://user:p%40ss-w0rd-db@host:5433/db");
        env.put("ADMIN_USERGROUPS", "nope");
        env.put("PORT", "x");
        var e = failing(env);
        assertNoSecret(e.getMessage());
        assertNoSecret(e.toString());
        assertNoSecret(String.join("\n", e.problems()));

        // Secrets in malformed variables are not echoed either.
        var bad = validEnv();
        bad.put("SLACK_BOT_TOKEN", "xoxp-" + SIGNING_SECRET);
        bad.put("DATABASE_URL", "mysql://user:" + DB_PASSWORD + "@host/db");
        bad.put("PINATA_ADMIN_JWT", "not-a-jwt-" + JWT.split("\\.")[1]);
        var e2 = failing(bad);
        assertEquals(3, e2.problems().size(), e2.problems()::toString);
        assertNoSecret(e2.getMessage());
    }

    @Test
    void toStringNeverContainsSecrets() {
        var env = validEnv();
        env.put("DATABASE_URL", "postgres://user:p%40ss-w0rd-db@host:5433/db");
        var config = load(env);
        assertNoSecret(config.toString());
        assertNoSecret(config.database().toString());
        assertNoSecret(config.pinataAdminJwt().toString());
        assertTrue(config.toString().contains("[REDACTED]"), config::toString);
        assertTrue(config.database().toString().contains("host:5433/db"), config.database()::toString);
    }

    @Test
    void databaseToStringHidesCredentialsInTheJdbcQuery() {
        var db = with("DATABASE_URL", "jdbc:postgresql://host:5432/db?user=bot&password=" + DB_PASSWORD)
                .database();
        assertNoSecret(db.toString());
        assertNoSecret(with("DATABASE_URL", "jdbc:postgresql://host:5432/db?user=bot&password=" + DB_PASSWORD)
                .toString());
        assertTrue(db.toString().contains("jdbc:postgresql://host:5432/db"), db::toString);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "postgres://u:p@host/db | jdbc:postgresql://host/db?sslmode=require",
                "postgres://u:p@host/db? | jdbc:postgresql://host/db?sslmode=require",
                "postgres://u:p@host:5432/db?connectTimeout=5 | jdbc:postgresql://host:5432/db?connectTimeout=5&sslmode=require",
                "postgres://u:p@host/db?sslmode=verify-full&sslrootcert=/etc/ca.pem | jdbc:postgresql://host/db?sslmode=verify-full&sslrootcert=/etc/ca.pem",
                "postgres://u:p@host/db?SSLMODE=disable | jdbc:postgresql://host/db?SSLMODE=disable",
                "postgres://u:p@host/db?ssl=true | jdbc:postgresql://host/db?ssl=true",
                "postgres://u:p@host/db?notsslmode=x | jdbc:postgresql://host/db?notsslmode=x&sslmode=require"
            })
    void postgresUrlsRequireTlsUnlessTheyChooseOtherwise(String url, String jdbc) {
        assertEquals(jdbc, with("DATABASE_URL", url).database().jdbcUrl());
    }

    @Test
    void jdbcPostgresUrlsAreTakenAsGiven() {
        assertEquals(
                "jdbc:postgresql://host/db",
                with("DATABASE_URL", "jdbc:postgresql://host/db").database().jdbcUrl());
    }

    @Test
    void metricsTokenManagementPortAndBindAddressAreRead() {
        var env = new java.util.HashMap<>(validEnv());
        env.put("METRICS_TOKEN", "0123456789abcdef0123456789abcdef");
        env.put("MANAGEMENT_PORT", "9090");
        env.put("BIND_ADDRESS", "127.0.0.1");
        var http = Config.fromEnvironment(env).http();
        assertEquals(
                "0123456789abcdef0123456789abcdef",
                http.metricsToken().orElseThrow().reveal());
        assertEquals(java.util.OptionalInt.of(9090), http.managementPort());
        assertEquals("127.0.0.1", http.bindAddress());
        var defaults = Config.fromEnvironment(validEnv()).http();
        assertEquals(Optional.empty(), defaults.metricsToken());
        assertEquals(java.util.OptionalInt.empty(), defaults.managementPort());
        assertEquals("0.0.0.0", defaults.bindAddress());
        assertFalse(
                Config.fromEnvironment(env).toString().contains("0123456789abcdef0123456789abcdef"),
                "the token is a Secret");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "METRICS_TOKEN | short | METRICS_TOKEN must be at least",
                "METRICS_TOKEN | with a space in it 0123456789 | METRICS_TOKEN must be at least",
                "MANAGEMENT_PORT | 70000 | MANAGEMENT_PORT must be between",
                "MANAGEMENT_PORT | nine | MANAGEMENT_PORT is not a number",
                "MANAGEMENT_PORT | 3000 | MANAGEMENT_PORT must differ from PORT",
                "BIND_ADDRESS | localhost | BIND_ADDRESS must be an IP address"
            })
    void badHttpSettingsAreReported(String name, String value, String problem) {
        var env = new java.util.HashMap<>(validEnv());
        env.put("PORT", "3000");
        env.put(name, value);
        var e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> Config.fromEnvironment(env));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void poolSizeDefaultsToFourAndIsBounded() {
        assertEquals(4, load(validEnv()).database().poolSize());
        assertEquals(7, with("DATABASE_POOL_SIZE", " 7 ").database().poolSize());
        assertEquals(
                3,
                with("DATABASE_URL", "postgres://u:p@db:5432/x")
                        .database()
                        .withPoolSize(3)
                        .poolSize());
        for (var bad : List.of("1", "0", "101", "many")) {
            var e = failingWith("DATABASE_POOL_SIZE", bad);
            assertTrue(
                    e.problems()
                            .get(0)
                            .startsWith("DATABASE_POOL_SIZE must be a number of connections between 2 and 100"),
                    bad + ": " + e.problems());
        }
    }

    @Test
    void logFormatAndLevelAreValidatedHere() {
        assertEquals(4, with("LOG_LEVEL", "DEBUG").database().poolSize(), "accepted in any case");
        with("LOG_FORMAT", "json");
        with("LOG_FORMAT", "text");
        assertTrue(failingWith("LOG_LEVEL", "verbose").problems().get(0).startsWith("LOG_LEVEL must be one of"));
        assertTrue(failingWith("LOG_FORMAT", "jsno").problems().get(0).startsWith("LOG_FORMAT must be json or text"));
    }

    @Test
    void theAdminGroupToMentionIsTheFirstAdminGroupUnlessToldOtherwise() {
        assertEquals(
                java.util.Optional.of("S0ADMINS"),
                load(validEnv()).adminNotify().usergroup());
        assertEquals(
                java.util.Optional.of("S0ONCALL"),
                with("NOTIFY_USERGROUP", "S0ONCALL").adminNotify().usergroup());
        assertEquals(
                java.util.Optional.empty(),
                with("NOTIFY_ADMINS", "false").adminNotify().usergroup());
        assertEquals(
                java.util.Optional.of("S0ADMINS"),
                with("NOTIFY_ADMINS", "true").adminNotify().usergroup());
        var badSwitch = validEnv();
        badSwitch.put("NOTIFY_ADMINS", "yes");
        assertTrue(failing(badSwitch).getMessage().contains("NOTIFY_ADMINS must be true or false"));
        var badGroup = validEnv();
        badGroup.put("NOTIFY_USERGROUP", "@oncall");
        assertTrue(failing(badGroup).getMessage().contains("NOTIFY_USERGROUP must be a user group ID"));
    }
}
