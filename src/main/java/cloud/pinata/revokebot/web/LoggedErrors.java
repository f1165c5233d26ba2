package cloud.pinata.revokebot.web;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's error pages for requests it refuses before any route runs (unparseable HTTP, a body over the cap or too
 * slow): each is one WARN line naming the status and the reason, and the page shows neither stacks nor causes.
 */
final class LoggedErrors extends ErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(LoggedErrors.class);

    LoggedErrors() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        var status = response.getStatus();
        var message = request.getAttribute(ERROR_MESSAGE);
        var cause = request.getAttribute(ERROR_EXCEPTION) instanceof Throwable t ? t : null;
        var why = message != null
                ? message.toString()
                : cause != null ? cause.getClass().getSimpleName() : "";
        if (status >= 500) {
            log.error(
                    "Error {} on {} {} from {}: {}",
                    status,
                    request.getMethod(),
                    Request.getPathInContext(request),
                    Request.getRemoteAddr(request),
                    why);
        } else {
            log.warn(
                    "Refused {} {} from {}: {} {}",
                    request.getMethod(),
                    Request.getPathInContext(request),
                    Request.getRemoteAddr(request),
                    status,
                    why);
        }
        return super.handle(request, response, callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        log.warn("Refused an unparseable HTTP request: {} {}", status, reason);
        return super.badMessageError(status, reason, fields);
    }
}
