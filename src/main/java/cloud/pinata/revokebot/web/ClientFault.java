package cloud.pinata.revokebot.web;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;

/**
 * A failure caused by what the client sent (or how slowly), not by the bot: answered with a 4xx and one WARN line,
 * never a 500 and a stack trace, so nobody can flood the log from outside.
 */
record ClientFault(int status, String why) {

    /** The fault in {@code e} or its causes, if it is the client's, wherever it was thrown. */
    static Optional<ClientFault> of(Throwable e) {
        return of(e, false);
    }

    /** The same for a failure while reading the request: then any I/O failure is the client's too. */
    static Optional<ClientFault> whileReading(Throwable e) {
        return of(e, true)
                .or(() -> Optional.of(new ClientFault(
                        400, "request could not be read (" + e.getClass().getSimpleName() + ")")));
    }

    private static Optional<ClientFault> of(Throwable e, boolean reading) {
        for (var t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException
                    || t instanceof java.net.SocketTimeoutException
                    || (t.getMessage() != null && t.getMessage().contains("rate is too low"))) {
                return Optional.of(new ClientFault(408, "request body too slow"));
            }
            if (t instanceof BadMessageException bad) {
                return Optional.of(new ClientFault(
                        bad.getCode() >= 400 && bad.getCode() < 500 ? bad.getCode() : 400,
                        "bad message (" + bad.getCode() + ")"));
            }
            if (t instanceof IllegalCharsetNameException || t instanceof UnsupportedCharsetException) {
                return Optional.of(new ClientFault(400, "unknown charset in Content-Type"));
            }
            if (t instanceof CharacterCodingException) {
                return Optional.of(new ClientFault(400, "body is not valid text"));
            }
            if (reading && t instanceof IOException) {
                // Reading the request failed: the client closed it, broke its framing, or timed out.
                return Optional.of(new ClientFault(
                        400, "request could not be read (" + t.getClass().getSimpleName() + ")"));
            }
        }
        return Optional.empty();
    }
}
