package cloud.pinata.revokebot.storage;

/** The database could not be opened, and why, so that start-up can say what to fix in one line. */
public final class DatabaseFailure extends RuntimeException {
    /** What went wrong; {@link #UNREACHABLE} is the only kind worth retrying. */
    public enum Kind {
        /** No connection could be made (refused, unknown host, timed out), even after retrying. */
        UNREACHABLE,
        /** The server refused the user name or password, or the database does not exist. */
        REFUSED,
        /** A SQLite file that cannot be created or opened at that path. */
        PATH,
        /** The schema cannot be used by this build (a failed or out-of-order migration). */
        SCHEMA
    }

    private final Kind kind;

    public DatabaseFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
