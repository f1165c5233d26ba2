package cloud.pinata.revokebot.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Collects every log line (message and stack trace) at every level, to prove secrets never reach a log. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> levels = new CopyOnWriteArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    public LogCapture() {
        setName("capture");
        start();
        root.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent e) {
        var proxy = e.getThrowableProxy();
        var line = e.getLoggerName() + " " + e.getFormattedMessage()
                + (proxy == null ? "" : "\n" + ThrowableProxyUtil.asString(proxy));
        lines.add(line);
        levels.add(e.getLevel() + " " + line);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Every line with its level in front: {@code "WARN cloud.pinata… message"}. */
    public List<String> withLevels() {
        return List.copyOf(levels);
    }

    public String all() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
