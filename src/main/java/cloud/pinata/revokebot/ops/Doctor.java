package cloud.pinata.revokebot.ops;

import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.config.ConfigException;
import cloud.pinata.revokebot.config.DatabaseSettings;
import cloud.pinata.revokebot.pinata.ApiKeyPage;
import cloud.pinata.revokebot.pinata.PinataClient;
import cloud.pinata.revokebot.pinata.PinataException;
import cloud.pinata.revokebot.slack.SlackApp;
import cloud.pinata.revokebot.storage.Database;
import cloud.pinata.revokebot.storage.MigrationStatus;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * {@code doctor}: checks the configuration against Slack, Pinata and the database without serving or changing anything,
 * one {@code [ OK ]} or {@code [FAIL] … → fix: …} line per check. {@link #run()} returns 0 only when every check passed.
 * Output goes through a {@link Redactor}, so no token, JWT, signing secret or database password is ever printed.
 */
public final class Doctor {
    private static final String CONFIG_FIX = "see README.md, section \"Configuration\"";
    private static final String TOKEN_FIX =
            "SLACK_BOT_TOKEN was rejected: copy the Bot User OAuth Token (xoxb-…) again "
                    + "from the Slack app's Install App page, or reinstall the app if it was removed";

    private final Map<String, String> env;
    private final OkHttpClient http;
    private final PrintStream out;
    private final Redactor redactor;

    /** {@code http} is used for Pinata; give it short timeouts. */
    public Doctor(Map<String, String> env, OkHttpClient http, PrintStream out) {
        this.env = Map.copyOf(env);
        this.http = http;
        this.out = out;
        this.redactor = new Redactor(env);
    }

    public int run() {
        var checks = new Checks();
        Config config;
        try {
            config = Config.fromEnvironment(env);
        } catch (ConfigException e) {
            for (var problem : e.problems()) {
                checks.fail("configuration: " + problem, CONFIG_FIX);
            }
            print("Other checks skipped: they need a configuration that parses.");
            return checks.summary();
        }
        checks.ok("configuration: parsed (" + describe(config) + ")");
        checkSlack(config, checks);
        checkPinata(config, checks);
        checkDatabase(config.database(), checks);
        return checks.summary();
    }

    private static String describe(Config c) {
        var sb = new StringBuilder();
        sb.append(c.adminUsergroups().size())
                .append(c.adminUsergroups().size() == 1 ? " admin group" : " admin groups");
        sb.append(", channels: ").append(c.allowedChannels().isEmpty() ? "any" : String.join(",", c.allowedChannels()));
        sb.append(", confirm TTL ")
                .append(c.confirmTtl().toString().substring(2).toLowerCase(Locale.ROOT));
        sb.append(c.requireSecondAdmin() ? ", second admin required" : "");
        sb.append(c.slackAppToken().isPresent() ? ", Socket Mode" : "");
        sb.append(
                c.botPinataKey().isEmpty()
                        ? "; note: the Pinata JWT names no scopedKeyKey, so the bot cannot recognise (and refuse to revoke) its own key"
                        : "");
        return sb.toString();
    }

    // --- Slack ---------------------------------------------------------------------------------------------------

    private void checkSlack(Config config, Checks checks) {
        var slack = SlackApp.client(config.slackApiUrl());
        try {
            var methods = slack.methods(config.slackBotToken().reveal());
            checkToken(methods, config.slackApiUrl(), checks);
            for (var group : config.adminUsergroups()) {
                checkGroup(methods, group, config.slackApiUrl(), checks);
            }
        } finally {
            try {
                slack.close();
            } catch (Exception ignored) {
                // only releases the SDK's HTTP client
            }
        }
    }

    /** {@code auth.test}: https://docs.slack.dev/reference/methods/auth.test */
    private void checkToken(MethodsClient methods, String apiUrl, Checks checks) {
        var what = "Slack token";
        try {
            var r = methods.authTest(req -> req);
            if (r.isOk()) {
                checks.ok(what + ": valid for team " + r.getTeam() + " (" + r.getTeamId() + ") as bot user "
                        + r.getUser() + " (" + r.getUserId() + ")");
            } else {
                checks.fail(what + ": auth.test said " + r.getError(), tokenErrorFix(r.getError(), "auth.test"));
            }
        } catch (SlackApiException e) {
            checks.fail(
                    what + ": auth.test answered HTTP " + e.getResponse().code(),
                    httpFix(e.getResponse().code()));
        } catch (IOException e) {
            checks.fail(
                    what + ": cannot reach Slack at " + apiUrl + " ("
                            + e.getClass().getSimpleName() + ")",
                    "check this host's network access to Slack (and SLACK_API_URL, if set)");
        }
    }

    /** {@code usergroups.users.list}: https://docs.slack.dev/reference/methods/usergroups.users.list */
    private void checkGroup(MethodsClient methods, String group, String apiUrl, Checks checks) {
        var what = "admin group " + group;
        try {
            var r = methods.usergroupsUsersList(req -> req.usergroup(group).includeDisabled(false));
            if (!r.isOk()) {
                var error = r.getError() == null ? "unknown_error" : r.getError();
                checks.fail(what + ": usergroups.users.list said " + error, groupErrorFix(error, group));
                return;
            }
            var members = r.getUsers() == null ? 0 : r.getUsers().size();
            if (members == 0) {
                checks.fail(
                        what + ": resolvable but has no members, so nobody can revoke through it",
                        "add the people who may revoke keys to the group in Slack (or check that " + group
                                + " is the right group and is not disabled)");
            } else {
                checks.ok(what + ": " + members + (members == 1 ? " member" : " members"));
            }
        } catch (SlackApiException e) {
            checks.fail(
                    what + ": usergroups.users.list answered HTTP "
                            + e.getResponse().code(),
                    httpFix(e.getResponse().code()));
        } catch (IOException e) {
            checks.fail(
                    what + ": cannot reach Slack at " + apiUrl + " ("
                            + e.getClass().getSimpleName() + ")",
                    "check this host's network access to Slack (and SLACK_API_URL, if set)");
        }
    }

    private static String groupErrorFix(String error, String group) {
        return switch (error) {
            case "missing_scope" ->
                "add the usergroups:read bot scope (Slack app → OAuth & Permissions; it is in "
                        + "manifest.yml), then reinstall the app to the workspace";
            case "plan_upgrade_required", "paid_teams_only" ->
                "user groups need a paid Slack plan; the bot cannot check admins on the " + "free plan";
            case "no_such_subteam", "subteam_not_found", "invalid_usergroup" ->
                "check the S… id " + group
                        + " in ADMIN_USERGROUPS: it must be a user group of this workspace (see README.md, "
                        + "\"Slack app setup\", for how to list the ids)";
            default -> tokenErrorFix(error, "usergroups.users.list");
        };
    }

    private static String tokenErrorFix(String error, String method) {
        if (error == null) {
            return "see https://docs.slack.dev/reference/methods/" + method;
        }
        return switch (error) {
            case "invalid_auth",
                    "not_authed",
                    "token_revoked",
                    "token_expired",
                    "account_inactive",
                    "not_allowed_token_type" -> TOKEN_FIX;
            case "ratelimited" -> "Slack is rate-limiting this app; run doctor again in a minute";
            default -> "see https://docs.slack.dev/reference/methods/" + method + " for the error " + error;
        };
    }

    private static String httpFix(int status) {
        return status == 429
                ? "Slack is rate-limiting this app; run doctor again in a minute"
                : status >= 500
                        ? "Slack is having trouble; try again shortly (https://slack-status.com)"
                        : "check SLACK_API_URL, if set: it must be Slack's Web API, https://slack.com/api/";
    }

    // --- Pinata --------------------------------------------------------------------------------------------------

    /** Only an Admin key may list keys, so {@code GET /users/apiKeys} proves both that the JWT is valid and that it is Admin. */
    private void checkPinata(Config config, Checks checks) {
        var what = "Pinata JWT";
        var client =
                new PinataClient(http, HttpUrl.get(config.pinataApiUrl()), config.pinataAdminJwt(), new ObjectMapper());
        try {
            var page = client.listApiKeys(0);
            var listed = page.count() != null
                    ? page.count() + " keys"
                    : "keys (" + page.keys().size() + " on the first page)";
            checks.ok(what + ": valid. Admin key: can list " + listed);
            checkBotKey(config, client, page, checks);
        } catch (PinataException e) {
            var reason = e.reason() == null ? "" : " " + e.reason();
            var status = e.status();
            if (status == 401) {
                checks.fail(
                        what + ": invalid or expired (Pinata answered HTTP 401" + reason + ")",
                        "PINATA_ADMIN_JWT was rejected: create an Admin key in Pinata (API Keys → New Key → Admin) "
                                + "and set its JWT");
            } else if (status == 403 && "API_KEY_REVOKED".equals(e.reason())) {
                checks.fail(
                        what + ": its key was revoked (Pinata answered HTTP 403" + reason + ")",
                        "create a new Admin key in Pinata and set its JWT as PINATA_ADMIN_JWT");
            } else if (status == 403) {
                checks.fail(
                        what + ": not an Admin key (Pinata answered HTTP 403" + reason + ")",
                        "the bot needs an Admin key to list and revoke keys: create a key with Admin turned on and "
                                + "set its JWT as PINATA_ADMIN_JWT");
            } else if (status == 429) {
                checks.fail(what + ": not checked, Pinata is rate-limiting (HTTP 429)", "run doctor again in a minute");
            } else if (status == 0) {
                checks.fail(
                        what + ": cannot reach Pinata at " + config.pinataApiUrl(),
                        "check this host's network access to Pinata (and PINATA_API_URL, if set)");
            } else if (status == 200) {
                checks.fail(
                        what + ": " + config.pinataApiUrl() + " answered, but not with a key list",
                        "check PINATA_API_URL, if set: it must be Pinata's API, https://api.pinata.cloud");
            } else if (status >= 500) {
                checks.fail(
                        what + ": not checked, Pinata answered HTTP " + status + reason,
                        "Pinata is having trouble; try again shortly");
            } else {
                checks.fail(
                        what + ": Pinata answered HTTP " + status + reason + " to GET /users/apiKeys",
                        "check PINATA_API_URL, if set: it must be Pinata's API, https://api.pinata.cloud");
            }
        }
    }

    /** Pages {@code doctor} reads looking for the bot's own key: each costs one of the organisation's requests. */
    private static final int BOT_KEY_PAGES = 20;

    /** The bot's own key, as Pinata lists it: Admin, no use limit. Not finding it is a warning, not a failure. */
    private void checkBotKey(Config config, PinataClient client, ApiKeyPage first, Checks checks)
            throws PinataException {
        if (config.botPinataKey().isEmpty()) {
            checks.warn(
                    "the bot's own key: PINATA_ADMIN_JWT names no scopedKeyKey, so the bot cannot recognise it",
                    "use the JWT Pinata showed when the key was created");
            return;
        }
        var botKey = config.botPinataKey().get();
        var page = first;
        var offset = 0;
        for (int pages = 1; ; pages++) {
            for (var k : page.keys()) {
                if (botKey.equalsIgnoreCase(k.key())) {
                    var admin = k.scopes() != null && k.scopes().path("admin").asBoolean(false);
                    if (!admin) {
                        checks.warn(
                                "the bot's own key " + botKey + " is listed without admin: true",
                                "give the bot a key created with Admin turned on");
                    }
                    if (k.maxUses() != null) {
                        checks.warn(
                                "the bot's own key " + botKey + " has max_uses " + k.maxUses()
                                        + ": it stops working after that many calls",
                                "create an Admin key without a use limit");
                    }
                    if (admin && k.maxUses() == null) {
                        checks.ok("the bot's own key " + botKey + ": listed, Admin, no use limit");
                    }
                    return;
                }
            }
            offset += page.keys().size();
            if (page.keys().size() < 10 || pages >= BOT_KEY_PAGES) {
                break;
            }
            page = client.listApiKeys(offset);
        }
        checks.warn(
                "the bot's own key " + botKey + " is not among the first " + offset + " active keys Pinata lists",
                "check that PINATA_ADMIN_JWT belongs to this organisation's live Admin key");
    }

    // --- Database ------------------------------------------------------------------------------------------------

    private void checkDatabase(DatabaseSettings db, Checks checks) {
        var where = withoutQuery(db.jdbcUrl());
        var file = SqliteFile.of(db.jdbcUrl());
        if (file.isPresent() && !Files.exists(file.get())) {
            // Opening it would create it; the bot does that (and migrates it) at start-up, so say so instead.
            var dir = existingAncestor(file.get().toAbsolutePath());
            if (dir != null && Files.isWritable(dir)) {
                checks.ok("database: SQLite file " + file.get() + " does not exist yet; the bot creates and migrates "
                        + "it at start-up");
            } else {
                checks.fail(
                        "database: SQLite file " + file.get() + " does not exist and cannot be created here",
                        "point DATABASE_URL at a writable path, e.g. jdbc:sqlite:/data/pinata-revoke-bot.db");
            }
            return;
        }
        MigrationStatus status;
        try {
            status = Database.status(db);
        } catch (RuntimeException e) {
            checks.fail(
                    "database: cannot connect to " + where + ": " + cause(e),
                    "check DATABASE_URL, that the database server is running and reachable from this host, "
                            + "and its user name and password");
            return;
        }
        var schema = "schema at " + status.current();
        if (!status.failed().isEmpty()) {
            checks.fail(
                    "database: " + where + " reachable, but migration " + String.join(", ", status.failed())
                            + " failed part-way",
                    "finish or undo that migration by hand (see src/main/resources/db/migration), then run Flyway repair; "
                            + "the bot will not start until then");
        } else if (!status.skipped().isEmpty()) {
            checks.fail(
                    "database: " + where + " reachable, " + schema + ", but " + String.join(", ", status.skipped())
                            + " is older than what is applied and was never applied",
                    "the bot will not start on this schema: this build's migrations must be applied out of order; "
                            + "ask the maintainers");
        } else if (!status.pending().isEmpty()) {
            checks.fail(
                    "database: " + where + " reachable, " + schema + ", not migrated: pending "
                            + String.join(", ", status.pending()),
                    "start the bot once: it applies pending migrations at start-up");
        } else {
            checks.ok("database: " + where + " reachable, " + schema + ", no pending migrations"
                    + (status.unknownApplied().isEmpty()
                            ? ""
                            : " (it also has " + String.join(", ", status.unknownApplied()) + " from a newer build)"));
        }
    }

    private static Path existingAncestor(Path p) {
        var dir = p.getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        return dir;
    }

    private static String withoutQuery(String jdbcUrl) {
        var q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…";
    }

    /** The most specific explanation: the deepest SQLException's first line, else the deepest cause's. */
    private static String cause(Throwable e) {
        String sql = null;
        String deepest = e.getClass().getSimpleName();
        for (var t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                deepest = t.getMessage();
                if (t instanceof SQLException) {
                    sql = t.getMessage();
                }
            }
        }
        var text = (sql != null ? sql : deepest).strip().lines().findFirst().orElse("");
        return text.length() > 240 ? text.substring(0, 240) + "…" : text;
    }

    // --- output --------------------------------------------------------------------------------------------------

    private void print(String line) {
        out.println(redactor.clean(line));
    }

    /** Counts and prints checks. */
    private final class Checks {
        private int passed;
        private int failed;

        void ok(String what) {
            passed++;
            print("[ OK ] " + what);
        }

        void fail(String what, String fix) {
            failed++;
            print("[FAIL] " + what + " → fix: " + fix);
        }

        /** Works today, but will fail or mislead later: does not fail the run. */
        void warn(String what, String fix) {
            warned++;
            print("[WARN] " + what + " → fix: " + fix);
        }

        private int warned;

        int summary() {
            var warnings = warned == 0 ? "" : " " + warned + (warned == 1 ? " warning" : " warnings") + " above.";
            print((failed == 0
                            ? "All " + passed + " checks passed."
                            : failed + " of " + (passed + failed) + " checks failed.")
                    + warnings);
            out.flush();
            return failed == 0 ? 0 : 1;
        }
    }
}
