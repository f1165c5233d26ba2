package cloud.pinata.revokebot.storage;

import cloud.pinata.revokebot.config.DatabaseSettings;
import cloud.pinata.revokebot.config.Secret;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** The connection pool, migrated on open. SQLite runs in WAL mode so readers never block the single writer. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final boolean sqlite;

    private Database(HikariDataSource dataSource, boolean sqlite) {
        this.dataSource = dataSource;
        this.sqlite = sqlite;
    }

    /** Opens the pool and applies pending migrations from {@code db/migration/sqlite} or {@code db/migration/postgresql}. */
    public static Database open(DatabaseSettings settings) {
        var hikari = new HikariConfig();
        hikari.setJdbcUrl(settings.jdbcUrl());
        settings.user().ifPresent(hikari::setUsername);
        settings.password().ifPresent(p -> hikari.setPassword(p.reveal()));
        hikari.setPoolName("pinata-revoke-bot");
        hikari.setConnectionTimeout(5_000);
        if (settings.isSqlite()) {
            createParentDirectory(settings.jdbcUrl());
            hikari.setMaximumPoolSize(4);
            hikari.addDataSourceProperty("journal_mode", "WAL");
            hikari.addDataSourceProperty("synchronous", "NORMAL");
            hikari.addDataSourceProperty("busy_timeout", "10000");
        } else {
            hikari.setMaximumPoolSize(10);
        }
        var ds = new HikariDataSource(hikari);
        try {
            flyway(settings).dataSource(ds).load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, settings.isSqlite());
    }

    /**
     * What the schema lacks, read without migrating or creating anything (for {@code doctor}). Throws on connection
     * failure. For SQLite the caller checks first that the file exists: opening a missing file would create it.
     */
    public static MigrationStatus status(DatabaseSettings settings) {
        var info = flyway(settings)
                .dataSource(
                        settings.jdbcUrl(),
                        settings.user().orElse(null),
                        settings.password().map(Secret::reveal).orElse(null))
                .load()
                .info();
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
        var file = jdbcUrl.substring("jdbc:sqlite:".length());
        var q = file.indexOf('?');
        if (q >= 0) {
            file = file.substring(0, q);
        }
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return;
        }
        var parent = Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot create the directory for the SQLite database: " + parent, e);
        }
    }
}
