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
    REVOKE_KEY;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
