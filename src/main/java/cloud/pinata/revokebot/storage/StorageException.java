package cloud.pinata.revokebot.storage;

/** The database failed: a failure, not an outcome. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
