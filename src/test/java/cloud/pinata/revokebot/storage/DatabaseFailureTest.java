package cloud.pinata.revokebot.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.config.DatabaseSettings;
import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Only a database that cannot be reached yet is worth waiting for; a refusal is a configuration error at once. */
class DatabaseFailureTest {
    private static final DatabaseSettings PG =
            DatabaseSettings.fromUrl("postgres://bot:s3cret-pw@db.internal:5432/bot");

    @Test
    void noConnectionAndAServerStillStartingAreUnreachable() {
        for (var e : new Exception[] {
            new SQLException("The connection attempt failed.", "08001", new ConnectException("Connection refused")),
            new SQLException("FATAL: the database system is starting up", "57P03"),
            new RuntimeException(new ConnectException("Connection refused"))
        }) {
            var f = Database.classified(PG, e);
            assertEquals(DatabaseFailure.Kind.UNREACHABLE, f.kind(), e.toString());
            // postgres:// URLs gain ?sslmode=require; the query is never shown (it may carry a password).
            assertTrue(
                    f.getMessage().startsWith("jdbc:postgresql://db.internal:5432/bot?… unreachable ("),
                    f.getMessage());
        }
    }

    @Test
    void refusedCredentialsOrAMissingDatabaseAreNotRetried() {
        for (var state : new String[] {"28P01", "28000", "3D000"}) {
            var f = Database.classified(
                    PG, new SQLException("FATAL: password authentication failed for user \"bot\"", state));
            assertEquals(DatabaseFailure.Kind.REFUSED, f.kind(), state);
            assertFalse(f.getMessage().contains("s3cret-pw"), f.getMessage());
        }
    }
}
