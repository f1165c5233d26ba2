package cloud.pinata.revokebot.config;

import java.util.Objects;

/** A credential that never shows itself in logs, exceptions or {@code toString}. */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The raw value, for the one place that must send it (an Authorization header, an HMAC key). */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "[REDACTED]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
