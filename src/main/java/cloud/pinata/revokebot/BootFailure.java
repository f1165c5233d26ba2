package cloud.pinata.revokebot;

import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.slack.SlackAuth;
import cloud.pinata.revokebot.storage.DatabaseFailure;
import io.javalin.util.JavalinBindException;
import java.net.BindException;

/**
 * Why start-up failed, as one line naming the cause and the fix, and the exit status: {@link #CONFIGURATION} when
 * something the operator set must change, {@link #UNREACHABLE} when a dependency could not be reached even after
 * retrying, 1 for anything else.
 */
record BootFailure(int exitCode, String line) {
    /** A configuration error: the environment must change (also a port in use, a path that cannot be created). */
    static final int CONFIGURATION = 2;
    /** A dependency (the database) could not be reached, even after a minute of retrying. */
    static final int UNREACHABLE = 3;

    static BootFailure of(Throwable e, Config config) {
        if (e instanceof SlackAuth.TokenRejected) {
            return new BootFailure(CONFIGURATION, e.getMessage());
        }
        if (e instanceof DatabaseFailure db) {
            return switch (db.kind()) {
                case UNREACHABLE ->
                    new BootFailure(
                            UNREACHABLE,
                            "Database unreachable: " + db.getMessage()
                                    + ". Fix: check that the database server is running and reachable from this host, and the host "
                                    + "and port in DATABASE_URL.");
                case REFUSED ->
                    new BootFailure(
                            CONFIGURATION,
                            "Database refused the bot: " + db.getMessage()
                                    + ". Fix: check the user name, password and database name in DATABASE_URL.");
                case PATH ->
                    new BootFailure(
                            CONFIGURATION,
                            db.getMessage() + ". Fix: point DATABASE_URL at a file in a "
                                    + "directory the bot can create and write, e.g. jdbc:sqlite:/data/pinata-revoke-bot.db.");
                case SCHEMA ->
                    new BootFailure(
                            1,
                            db.getMessage() + ". Fix: run the doctor command for the schema's "
                                    + "state, and see CHANGELOG.md for the upgrade notes.");
            };
        }
        if (e instanceof JavalinBindException || causedBy(e, BindException.class)) {
            return new BootFailure(
                    CONFIGURATION,
                    "Cannot listen on port " + config.port() + ": another process is "
                            + "using it. Fix: stop that process, or set PORT to a free port.");
        }
        return new BootFailure(1, "Start-up failed: " + deepest(e) + ". Run with LOG_LEVEL=debug for the stack trace.");
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (var t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String deepest(Throwable e) {
        var text = e.getClass().getSimpleName();
        for (var t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                text = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return text.strip().lines().findFirst().orElse("");
    }
}
