package cloud.pinata.revokebot.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.DatabaseSettings;
import cloud.pinata.revokebot.storage.Database;
import cloud.pinata.revokebot.support.FakePinata;
import cloud.pinata.revokebot.support.FakeSlack;
import cloud.pinata.revokebot.support.TestJwt;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code doctor} against a fake Slack, a fake Pinata and real databases, failing each way it can. */
class DoctorTest {
    static final String ADMINS = "S0ADMINS";
    static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

    FakeSlack slack;
    FakePinata pinata;

    @TempDir
    Path dir;

    Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        slack = new FakeSlack();
        slack.setGroup(ADMINS, "U0ADMIN1", "U0ADMIN2");
        pinata = new FakePinata();
        pinata.addKey("a1b2c3d4e5f6a7b8c9d0", "ci-deploy", false, "f".repeat(64));
        pinata.addKey("0123456789abcdef0123", "uploads", false, "e".repeat(64));
        pinata.addKey(TestJwt.BOT_KEY, "revoke-bot", false, TestJwt.BOT_SECRET, null, true);
        var db = "jdbc:sqlite:" + dir.resolve("bot.db");
        Database.open(DatabaseSettings.fromUrl(db)).close();
        env = new HashMap<>(Map.of(
                "SLACK_BOT_TOKEN",
                FakeSlack.BOT_TOKEN,
                "SLACK_SIGNING_SECRET",
                SIGNING_SECRET,
                "PINATA_ADMIN_JWT",
                TestJwt.bot(),
                "ADMIN_USERGROUPS",
                ADMINS,
                "DATABASE_URL",
                db,
                "PINATA_API_URL",
                pinata.url(),
                "SLACK_API_URL",
                slack.apiUrl()));
    }

    @AfterEach
    void stop() throws IOException {
        slack.close();
        pinata.close();
    }

    @Test
    void passesEveryCheckAndReturnsZeroWhenAllIsWell() {
        var run = Run.doctor(env);

        assertEquals(0, run.code(), run.out());
        assertFalse(run.out().contains("[FAIL]"), run.out());
        assertTrue(run.out().contains("[ OK ] configuration: parsed (1 admin group"), run.out());
        assertTrue(
                run.out().contains("[ OK ] Slack token: valid for team Test (T0TEAM) as bot user pinata-revoke (UBOT)"),
                run.out());
        assertTrue(run.out().contains("[ OK ] admin group S0ADMINS: 2 members"), run.out());
        assertTrue(run.out().contains("[ OK ] Pinata JWT: valid. Admin key: can list 3 keys"), run.out());
        assertTrue(run.out().contains("[ OK ] database: jdbc:sqlite:"), run.out());
        assertTrue(run.out().contains("no pending migrations"), run.out());
        assertTrue(
                run.out().contains("[ OK ] the bot's own key " + TestJwt.BOT_KEY + ": listed, Admin, no use limit"),
                run.out());
        assertTrue(run.out().contains("All 6 checks passed."), run.out());
        var list = pinata.calls().get(0);
        assertEquals("/users/apiKeys?offset=0", list.path());
        assertEquals("Bearer " + TestJwt.bot(), list.authorization());
        assertEquals(1, slack.calls("auth.test").size());
        assertEquals(ADMINS, slack.calls("usergroups.users.list").get(0).param("usergroup"));
    }

    @Test
    void warnsWhenTheBotsOwnKeyHasAUseLimitIsNotAdminOrIsNotListed() throws IOException {
        pinata.close();
        pinata = new FakePinata();
        pinata.addKey(TestJwt.BOT_KEY, "revoke-bot", false, TestJwt.BOT_SECRET, 500, false);
        env.put("PINATA_API_URL", pinata.url());
        var run = Run.doctor(env);
        assertEquals(0, run.code(), "a warning is not a failure: " + run.out());
        assertTrue(
                run.out().contains("[WARN] the bot's own key " + TestJwt.BOT_KEY + " is listed without admin: true"),
                run.out());
        assertTrue(run.out().contains("[WARN] the bot's own key " + TestJwt.BOT_KEY + " has max_uses 500"), run.out());
        assertTrue(run.out().contains("2 warnings above."), run.out());

        pinata.close();
        pinata = new FakePinata();
        pinata.addManyKeys(25);
        env.put("PINATA_API_URL", pinata.url());
        var missing = Run.doctor(env);
        assertTrue(
                missing.out().contains("[WARN] the bot's own key " + TestJwt.BOT_KEY + " is not among the first 25"),
                missing.out());
        assertEquals(3, pinata.calls().size(), "paged to the end of the list, no further");
    }

    @Test
    void reportsARejectedSlackToken() {
        env.put("SLACK_BOT_TOKEN", "xoxb-revoked-or-mistyped-token");

        var run = Run.doctor(env);

        assertNotEquals(0, run.code());
        assertTrue(
                run.out()
                        .contains("[FAIL] Slack token: auth.test said invalid_auth → fix: SLACK_BOT_TOKEN was "
                                + "rejected: copy the Bot User OAuth Token"),
                run.out());
    }

    @Test
    void reportsAGroupTheTokenMayNotReadAndSaysWhichScopeToAdd() {
        slack.failGroup(ADMINS, "missing_scope");

        var run = Run.doctor(env);

        assertNotEquals(0, run.code());
        assertTrue(
                run.out()
                        .contains("[FAIL] admin group S0ADMINS: usergroups.users.list said missing_scope → fix: "
                                + "add the usergroups:read bot scope"),
                run.out());
        assertTrue(run.out().contains("reinstall the app"), run.out());
        assertTrue(run.out().contains("[ OK ] Slack token"), "the token itself is fine: " + run.out());
    }

    @Test
    void reportsAGroupThatDoesNotExistAndStillChecksTheOthers() {
        env.put("ADMIN_USERGROUPS", ADMINS + ",S0NOSUCH");

        var run = Run.doctor(env);

        assertNotEquals(0, run.code());
        assertTrue(run.out().contains("[ OK ] admin group S0ADMINS: 2 members"), run.out());
        assertTrue(
                run.out()
                        .contains("[FAIL] admin group S0NOSUCH: usergroups.users.list said no_such_subteam → fix: "
                                + "check the S… id S0NOSUCH in ADMIN_USERGROUPS"),
                run.out());
        assertTrue(run.out().contains("1 of 7 checks failed."), run.out());
    }

    @Test
    void reportsThatUserGroupsNeedAPaidPlan() {
        slack.failGroup(ADMINS, "plan_upgrade_required");

        var run = Run.doctor(env);

        assertNotEquals(0, run.code());
        assertTrue(
                run.out()
                        .contains("[FAIL] admin group S0ADMINS: usergroups.users.list said plan_upgrade_required "
                                + "→ fix: user groups need a paid Slack plan"),
                run.out());
    }

    @Test
    void reportsAnEmptyAdminGroup() {
        slack.setGroup(ADMINS);

        var run = Run.doctor(env);

        assertNotEquals(0, run.code());
        assertTrue(run.out().contains("[FAIL] admin group S0ADMINS: resolvable but has no members"), run.out());
    }

    @Test
    void reportsAnInvalidOrExpiredPinataJwt() {
        pinata.failList(FakePinata.json(
                401, "{\"error\":{\"reason\":\"INVALID_CREDENTIALS\",\"details\":\"Invalid API key\"}}"));

        var run = Run.doctor(env);

        assertNotEquals(0, run.code());
        assertTrue(
                run.out()
                        .contains("[FAIL] Pinata JWT: invalid or expired (Pinata answered HTTP 401 "
                                + "INVALID_CREDENTIALS) → fix: PINATA_ADMIN_JWT was rejected"),
                run.out());
    }

    @Test
    void reportsAPinataKeyThatIsNotAnAdminKey() {
        pinata.failList(FakePinata.json(403, "{\"error\":{\"reason\":\"NO_SCOPES_FOUND\",\"details\":\"no scopes\"}}"));

        var run = Run.doctor(env);

        assertNotEquals(0, run.code());
        assertTrue(
                run.out()
                        .contains("[FAIL] Pinata JWT: not an Admin key (Pinata answered HTTP 403 NO_SCOPES_FOUND) "
                                + "→ fix: the bot needs an Admin key"),
                run.out());
    }

    @Test
    void reportsAPinataItCannotReach() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        env.put("PINATA_API_URL", "http://127.0.0.1:" + closedPort);

        var run = Run.doctor(env);

        assertNotEquals(0, run.code());
        assertTrue(
                run.out().contains("[FAIL] Pinata JWT: cannot reach Pinata at http://127.0.0.1:" + closedPort),
                run.out());
    }

    @Test
    void reportsADatabaseItCannotReach() {
        env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/x");

        var run = Run.doctor(env);

        assertNotEquals(0, run.code());
        assertTrue(
                run.out().contains("[FAIL] database: cannot connect to jdbc:postgresql://127.0.0.1:1/x: "), run.out());
        assertTrue(run.out().contains("→ fix: check DATABASE_URL, that the database server is running"), run.out());
        assertTrue(run.out().contains("[ OK ] Slack token"), "the other checks still ran: " + run.out());
    }

    @Test
    void reportsPendingMigrationsWithoutApplyingThem() {
        var db = "jdbc:sqlite:" + dir.resolve("old.db");
        Flyway.configure()
                .dataSource(db, null, null)
                .locations("classpath:db/migration/sqlite")
                .target("1")
                .load()
                .migrate();
        env.put("DATABASE_URL", db);

        var run = Run.doctor(env);

        assertNotEquals(0, run.code());
        assertTrue(
                run.out()
                        .contains("[FAIL] database: " + db + " reachable, schema at V1, not migrated: pending "
                                + "V2 (audit hash chain)"),
                run.out());
        assertTrue(run.out().contains("→ fix: start the bot once"), run.out());
        var after = Flyway.configure()
                .dataSource(db, null, null)
                .locations("classpath:db/migration/sqlite")
                .load()
                .info();
        assertEquals("1", after.current().getVersion().getVersion(), "doctor changed nothing");
    }

    /** A database that a build without V2 migrated (V1, V3, …): Flyway will not apply V2 after a later version on its own. */
    @Test
    void reportsAMigrationOlderThanTheAppliedOnesAsNeverToBeApplied() throws Exception {
        var scripts = dir.resolve("without-v2");
        Files.createDirectories(scripts);
        var source = Path.of(getClass().getResource("/db/migration/sqlite").toURI());
        try (var files = Files.list(source)) {
            for (var f : files.toList()) {
                if (!f.getFileName().toString().startsWith("V2__")) {
                    Files.copy(f, scripts.resolve(f.getFileName()));
                }
            }
        }
        try (var files = Files.list(scripts)) {
            Assumptions.assumeTrue(
                    files.anyMatch(f -> !f.getFileName().toString().startsWith("V1__")),
                    "needs a migration numbered after V2");
        }
        var db = "jdbc:sqlite:" + dir.resolve("skipped.db");
        Flyway.configure()
                .dataSource(db, null, null)
                .locations("filesystem:" + scripts)
                .load()
                .migrate();
        env.put("DATABASE_URL", db);

        var run = Run.doctor(env);

        assertNotEquals(0, run.code());
        assertTrue(
                run.out().contains("V2 (audit hash chain) is older than what is applied and was never applied"),
                run.out());
    }

    @Test
    void reportsEveryConfigurationProblemAndSkipsTheChecksThatNeedIt() {
        env.remove("SLACK_SIGNING_SECRET");
        env.put("ADMIN_USERGROUPS", "pinata-admins");

        var run = Run.doctor(env);

        assertNotEquals(0, run.code());
        assertTrue(
                run.out().contains("[FAIL] configuration: SLACK_SIGNING_SECRET is required → fix: see README.md"),
                run.out());
        assertTrue(
                run.out()
                        .contains(
                                "[FAIL] configuration: ADMIN_USERGROUPS entry 'pinata-admins' is not a user group ID"),
                run.out());
        assertTrue(run.out().contains("Other checks skipped"), run.out());
        assertTrue(slack.calls().isEmpty(), "no Slack call without a valid configuration");
        assertTrue(pinata.calls().isEmpty(), "no Pinata call without a valid configuration");
    }

    @Test
    void neverPrintsATokenJwtSigningSecretOrDatabasePassword() {
        var outputs = new ArrayList<String>();
        outputs.add(Run.doctor(env).out());

        pinata.failList(FakePinata.json(401, "{\"error\":{\"reason\":\"INVALID_CREDENTIALS\"}}"));
        slack.failGroup(ADMINS, "missing_scope");
        var wrongToken = "xoxb-1111-2222-wrongwrongwrong";
        var failing = new HashMap<>(env);
        failing.put("SLACK_BOT_TOKEN", wrongToken);
        failing.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/x?user=bot&password=hunter2-db-secret");
        outputs.add(Run.doctor(failing).out());

        var heroku = new HashMap<>(env);
        heroku.put("DATABASE_URL", "postgres://bot:hunter3-db-secret@127.0.0.1:1/x");
        outputs.add(Run.doctor(heroku).out());

        var broken = new HashMap<>(env);
        broken.put("PINATA_ADMIN_JWT", "this-is-no-jwt-but-still-a-secret");
        broken.put("SLACK_BOT_TOKEN", "xapp-not-a-bot-token-secret");
        broken.put("SLACK_APP_TOKEN", "xoxb-not-an-app-token-secret");
        outputs.add(Run.doctor(broken).out());

        var socketMode = new HashMap<>(env);
        socketMode.put("SLACK_APP_TOKEN", "xapp-1-A0APP-1234-socketmodesecret");
        socketMode.remove("SLACK_SIGNING_SECRET");
        var socketRun = Run.doctor(socketMode);
        assertTrue(socketRun.out().contains(", Socket Mode"), socketRun.out());
        outputs.add(socketRun.out());

        var payload = TestJwt.bot().split("\\.")[1];
        for (var out : outputs) {
            for (var secret : new String[] {
                FakeSlack.BOT_TOKEN,
                wrongToken,
                SIGNING_SECRET,
                TestJwt.bot(),
                payload,
                TestJwt.BOT_SECRET,
                "hunter2-db-secret",
                "hunter3-db-secret",
                "this-is-no-jwt-but-still-a-secret",
                "xapp-not-a-bot-token-secret",
                "xoxb-not-an-app-token-secret",
                "xapp-1-A0APP-1234-socketmodesecret"
            }) {
                assertFalse(out.contains(secret), "doctor printed a secret:\n" + out);
            }
        }
        assertTrue(
                outputs.get(1).contains("[FAIL] database: cannot connect to jdbc:postgresql://127.0.0.1:1/x?…"),
                outputs.get(1));
    }
}
