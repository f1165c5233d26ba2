package cloud.pinata.revokebot.pinata;

/**
 * A call to Pinata that did not succeed. {@code status} is the HTTP status, or 0 when no response arrived
 * ({@code requestSent} then says whether Pinata may have received it). Never carries the JWT.
 */
public final class PinataException extends Exception {
    private final int status;
    private final String reason;
    private final boolean requestSent;
    private final long retryAfterSeconds;
    private final boolean pinataEnvelope;
    private boolean withheld;

    public PinataException(
            int status,
            String reason,
            String message,
            boolean requestSent,
            long retryAfterSeconds,
            Throwable cause,
            boolean pinataEnvelope) {
        super(message, cause);
        this.status = status;
        this.reason = reason;
        this.requestSent = requestSent;
        this.retryAfterSeconds = retryAfterSeconds;
        this.pinataEnvelope = pinataEnvelope;
    }

    public PinataException(
            int status, String reason, String message, boolean requestSent, long retryAfterSeconds, Throwable cause) {
        this(status, reason, message, requestSent, retryAfterSeconds, cause, false);
    }

    /**
     * The error came in Pinata's JSON envelope ({@code {"error":…}}). A 404 without it is the web server's own
     * "no such route": the base URL or the route is wrong, not the key.
     */
    public boolean pinataEnvelope() {
        return pinataEnvelope;
    }

    /** Marks a call its caller withheld at the last moment (nothing was sent); returns this. */
    PinataException withheld() {
        withheld = true;
        return this;
    }

    /** Nothing was sent because the caller said no once the request budget let the call go. */
    public boolean isWithheld() {
        return withheld;
    }

    public int status() {
        return status;
    }

    /** Pinata's {@code error.reason} code, such as {@code INVALID_CREDENTIALS}; null when absent. */
    public String reason() {
        return reason;
    }

    public boolean requestSent() {
        return requestSent;
    }

    /** Seconds from a {@code Retry-After} header, or -1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Worth another attempt: no response, 429, or 5xx. */
    public boolean retryable() {
        return !withheld && (status == 0 || status == 429 || status >= 500);
    }
}
