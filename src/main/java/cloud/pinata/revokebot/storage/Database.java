package cloud.pinata.revokebot.storage;

import cloud.pinata.revokebot.config.DatabaseSettings;
import cloud.pinata.revokebot.config.Secret;
import cloud.pinata.revokebot.retry.RetryPolicy;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Properties;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, migrated on open. SQLite runs in WAL mode so readers never block the single writer.
 * {@code DATABASE_POOL_SIZE} connections at most, one kept idle.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** How long start-up keeps trying a database it cannot reach (a PostgreSQL restarting, a dyno booting first). */
    public static final Duration START_UP_PATIENCE = Duration.ofSeconds(60);

    private final HikariDataSource dataSource;
    private final boolean sqlite;

    private Database(HikariDataSource dataSource, boolean sqlite) {
        this.dataSource = dataSource;
        this.sqlite = sqlite;
    }

    /** How start-up waits for a database it cannot reach; tests pass a sleeper that moves their clock. */
    public record Patience(RetryPolicy backoff, RetryPolicy.Sleeper sleeper, Clock clock, Consumer<String> waiting) {
        /** One attempt, no waiting (tests, and the operator commands). */
        public static Patience none() {
            return new Patience(
                    new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO),
                    d -> {},
                    Clock.systemUTC(),
                    why -> {});
        }

        /** Backoff from 500 ms to 5 s, for up to {@link #START_UP_PATIENCE}. */
        public static Patience startUp(RetryPolicy.Sleeper sleeper, Clock clock, Consumer<String> waiting) {
            return new Patience(
                    new RetryPolicy(
                            Integer.MAX_VALUE, Duration.ofMillis(500), Duration.ofSeconds(5), START_UP_PATIENCE),
                    sleeper,
                    clock,
                    waiting);
        }
    }

    /** Opens the pool and applies pending migrations from {@code db/migration/sqlite} or {@code db/migration/postgresql}. */
    public static Database open(DatabaseSettings settings) {
        return open(settings, Patience.none());
    }

    /**
     * As {@link #open(DatabaseSettings)}, first waiting (with {@code patience}) for a database server that cannot be
     * reached; {@code patience.waiting} hears each failed attempt. Throws {@link DatabaseFailure}.
     */
    public static Database open(DatabaseSettings settings, Patience patience) {
        if (settings.isSqlite()) {
            createParentDirectory(settings.jdbcUrl());
        } else {
            awaitServer(settings, patience);
        }
        var ds = pool(settings, false);
        try {
            flyway(settings).dataSource(ds).load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw classified(settings, e);
        }
        return new Database(ds, settings.isSqlite());
    }

    /**
     * A pool that can only read (SQLite opened read-only, PostgreSQL sessions in read-only mode), never migrated: for
     * {@code audit}, which may run beside bots of another version. The caller checks the schema with
     * {@link #status(DataSource, DatabaseSettings)} first.
     */
    public static Database openReadOnly(DatabaseSettings settings) {
        var ds = pool(settings, true);
        return new Database(ds, settings.isSqlite());
    }

    private static HikariDataSource pool(DatabaseSettings settings, boolean readOnly) {
        var hikari = new HikariConfig();
        hikari.setJdbcUrl(settings.jdbcUrl());
        settings.user().ifPresent(hikari::setUsername);
        settings.password().ifPresent(p -> hikari.setPassword(p.reveal()));
        hikari.setPoolName("pinata-revoke-bot");
        hikari.setConnectionTimeout(5_000);
        hikari.setMaximumPoolSize(settings.poolSize());
        // Hikari's default keeps the maximum open all the time; one idle connection is enough between requests.
        hikari.setMinimumIdle(1);
        if (settings.isSqlite()) {
            if (readOnly) {
                hikari.addDataSourceProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
                hikari.setReadOnly(true); // Hikari sets the flag on every connection; the driver refuses to change it
            } else {
                hikari.addDataSourceProperty("journal_mode", "WAL");
                hikari.addDataSourceProperty("synchronous", "NORMAL");
            }
            hikari.addDataSourceProperty("busy_timeout", "10000");
        } else if (readOnly) {
            hikari.setReadOnly(true);
            // Read-only even outside explicit transactions: the server refuses any write.
            hikari.addDataSourceProperty("readOnlyMode", "always");
        }
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw classified(settings, e);
        }
    }

    /** One plain connection at a time until one succeeds, so that a database still starting costs no pool or log noise. */
    private static void awaitServer(DatabaseSettings settings, Patience patience) {
        var started = patience.clock().instant();
        var props = new Properties();
        settings.user().ifPresent(u -> props.setProperty("user", u));
        settings.password().ifPresent(p -> props.setProperty("password", p.reveal()));
        props.setProperty("connectTimeout", "5");
        for (int attempt = 1; ; attempt++) {
            try (var c = DriverManager.getConnection(settings.jdbcUrl(), props)) {
                return;
            } catch (SQLException e) {
                var failure = classified(settings, e);
                if (failure.kind() != DatabaseFailure.Kind.UNREACHABLE) {
                    throw failure;
                }
                var delay = patience.backoff().delayAfter(attempt, -1);
                var waited = Duration.between(started, patience.clock().instant());
                if (attempt >= patience.backoff().maxAttempts()
                        || waited.plus(delay).compareTo(patience.backoff().deadline()) > 0) {
                    throw new DatabaseFailure(
                            DatabaseFailure.Kind.UNREACHABLE,
                            failure.getMessage() + " (tried " + attempt + (attempt == 1 ? " time" : " times") + " over "
                                    + waited.toSeconds() + " s)",
                            e);
                }
                log.warn(
                        "Waiting for the database: {} (attempt {}); retrying for up to {} s",
                        failure.getMessage(),
                        attempt,
                        patience.backoff().deadline().toSeconds());
                patience.waiting().accept("database unreachable");
                try {
                    patience.sleeper().sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw failure;
                }
            }
        }
    }

    /** The failure as an operator should read it: what kind, and the most specific message (never a password). */
    static DatabaseFailure classified(DatabaseSettings settings, Throwable e) {
        if (e instanceof DatabaseFailure f) {
            return f;
        }
        SQLException sql = null;
        Throwable network = null;
        for (var t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && sql == null) {
                sql = s;
            }
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof SocketTimeoutException
                    || t instanceof NoRouteToHostException) {
                network = t;
            }
        }
        var state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        // 08xxx: no connection; 57P03: the server is starting up or shutting down (a restart, a failover).
        if (network != null || state.startsWith("08") || state.equals("57P03")) {
            var why = network != null
                    ? network.getClass().getSimpleName()
                            + (network.getMessage() == null ? "" : ": " + firstLine(network.getMessage()))
                    : firstLine(sql.getMessage());
            return new DatabaseFailure(
                    DatabaseFailure.Kind.UNREACHABLE, settings.where() + " unreachable (" + why + ")", e);
        }
        if (state.startsWith("28") || state.equals("3D000")) {
            return new DatabaseFailure(
                    DatabaseFailure.Kind.REFUSED,
                    settings.where() + " refused the connection (" + firstLine(sql.getMessage()) + ")",
                    e);
        }
        if (settings.isSqlite()
                && sql != null
                && String.valueOf(sql.getMessage()).contains("SQLITE_CANTOPEN")) {
            return new DatabaseFailure(
                    DatabaseFailure.Kind.PATH,
                    "Cannot open the SQLite database " + settings.where() + " (" + firstLine(sql.getMessage()) + ")",
                    e);
        }
        if (e instanceof FlywayException && sql == null) {
            return new DatabaseFailure(
                    DatabaseFailure.Kind.SCHEMA,
                    "The schema of " + settings.where() + " cannot be migrated (" + firstLine(e.getMessage()) + ")",
                    e);
        }
        var m = sql != null ? sql.getMessage() : e.getMessage();
        return new DatabaseFailure(
                DatabaseFailure.Kind.SCHEMA,
                "Cannot open " + settings.where() + " ("
                        + firstLine(m == null ? e.getClass().getSimpleName() : m) + ")",
                e);
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        var line = m.strip().lines().findFirst().orElse("");
        return line.length() > 240 ? line.substring(0, 240) + "…" : line;
    }

    /**
     * What the schema lacks, read without migrating or creating anything (for {@code doctor}). Throws on connection
     * failure. For SQLite the caller checks first that the file exists: opening a missing file would create it.
     */
    public static MigrationStatus status(DatabaseSettings settings) {
        return status(flyway(settings)
                .dataSource(
                        settings.jdbcUrl(),
                        settings.user().orElse(null),
                        settings.password().map(Secret::reveal).orElse(null)));
    }

    /** As {@link #status(DatabaseSettings)}, through an open pool (a read-only one for {@code audit}). */
    public static MigrationStatus status(DataSource dataSource, DatabaseSettings settings) {
        return status(flyway(settings).dataSource(dataSource));
    }

    private static MigrationStatus status(FluentConfiguration flyway) {
        var info = flyway.load().info();
        var pending = new ArrayList<String>();
        var failed = new ArrayList<String>();
        var skipped = new ArrayList<String>();
        var unknown = new ArrayList<String>();
        for (var m : info.all()) {
            var name = "V" + m.getVersion() + " (" + m.getDescription() + ")";
            switch (m.getState()) {
                case PENDING -> pending.add(name);
                case IGNORED -> skipped.add(name);
                case FUTURE_SUCCESS -> unknown.add(name);
                default -> {
                    if (m.getState().isFailed()) {
                        failed.add(name);
                    }
                }
            }
        }
        var current = info.current() == null ? "none" : "V" + info.current().getVersion();
        return new MigrationStatus(current, pending, failed, skipped, unknown);
    }

    /**
     * PostgreSQL's connection limit, the connections kept for superusers, those open now (all databases), and the
     * database's and the role's own limits (-1: none).
     */
    public record ConnectionLimits(int max, int reserved, int inUse, int databaseLimit, int roleLimit) {
        /** What the bot's user may open in all, on this database. */
        public int available() {
            var n = max - reserved;
            if (databaseLimit >= 0) {
                n = Math.min(n, databaseLimit);
            }
            return roleLimit >= 0 ? Math.min(n, roleLimit) : n;
        }
    }

    /** Reads PostgreSQL's connection limits over one plain connection; PostgreSQL only. */
    public static ConnectionLimits connectionLimits(DatabaseSettings settings) throws SQLException {
        var props = new Properties();
        settings.user().ifPresent(u -> props.setProperty("user", u));
        settings.password().ifPresent(p -> props.setProperty("password", p.reveal()));
        props.setProperty("connectTimeout", "5");
        try (var c = DriverManager.getConnection(settings.jdbcUrl(), props);
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT current_setting('max_connections')::int, "
                        + "current_setting('superuser_reserved_connections')::int, (SELECT count(*) FROM pg_stat_activity "
                        + "WHERE backend_type = 'client backend')::int, "
                        + "(SELECT datconnlimit FROM pg_database WHERE datname = current_database()), "
                        + "(SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user)")) {
            rs.next();
            return new ConnectionLimits(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5));
        }
    }

    private static FluentConfiguration flyway(DatabaseSettings settings) {
        return Flyway.configure()
                .locations("classpath:db/migration/" + (settings.isSqlite() ? "sqlite" : "postgresql"))
                .failOnMissingLocations(true);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isSqlite() {
        return sqlite;
    }

    /** True when a trivial query answers within two seconds. */
    public boolean ping() {
        try (var c = dataSource.getConnection();
                var s = c.createStatement()) {
            s.setQueryTimeout(2);
            try (var rs = s.executeQuery("SELECT 1")) {
                return rs.next();
            }
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static void createParentDirectory(String jdbcUrl) {
        var file = SqliteFile.of(jdbcUrl);
        if (file.isEmpty()) {
            return;
        }
        var parent = file.get().toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new DatabaseFailure(
                    DatabaseFailure.Kind.PATH,
                    "Cannot create the directory for the SQLite database: " + e.getFile()
                            + " exists and is not a directory",
                    e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new DatabaseFailure(
                    DatabaseFailure.Kind.PATH,
                    "Cannot create the directory for the SQLite database: " + "permission denied for " + e.getFile(),
                    e);
        } catch (java.io.IOException e) {
            throw new DatabaseFailure(
                    DatabaseFailure.Kind.PATH,
                    "Cannot create the directory for the SQLite database: "
                            + parent + " (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + ")",
                    e);
        }
    }
}
