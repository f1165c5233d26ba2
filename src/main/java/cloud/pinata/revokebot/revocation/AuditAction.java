package cloud.pinata.revokebot.revocation;

import java.util.Locale;

/** What an audit record is about; stored by {@link #code()} (the names the trail has always used). */
public enum AuditAction {
    COMMAND,
    STATUS,
    HISTORY,
    CONFIRM,
    CANCEL,
    EXPIRE,
    RECOVER,
    REVOKE_KEY,
    /** The one check, after the revoke, that Pinata refuses a leaked JWT (the outcome says what it showed). */
    CHECK_JWT,
    /** The reminder in a pending card's thread at half its time. */
    REMIND,
    /** The message shortcut on a message in which nothing could be revoked (a request it starts is a COMMAND). */
    SHORTCUT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
