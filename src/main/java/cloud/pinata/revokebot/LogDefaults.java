package cloud.pinata.revokebot;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import org.slf4j.Logger;

/**
 * The bot's default logging, set up in code instead of from a {@code logback.xml}: parsing XML with Joran was
 * about 150 ms of a 1.2 s start-up, on the one thread everything else waits for (bench/README.md, second round).
 * Registered through {@code META-INF/services}; logback asks it before its XML configurators.
 *
 * <p>It steps aside, and logback's usual search runs, when {@code logback.configurationFile} is set (LOG_FORMAT=json
 * and the operator commands set it; so can an operator) or when a {@code logback.xml} or {@code logback-test.xml}
 * is on the class path.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogDefaults extends ContextAwareBase implements Configurator {
    /** One line per event: UTC time, level, thread, logger, message, then the event's key=value pairs. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{36} - %msg %kvp%n";
    /** Libraries that are chatty at INFO (the Slack SDK logs request and response bodies at DEBUG). */
    static final List<String> QUIET =
            List.of("com.slack.api", "org.eclipse.jetty", "io.javalin", "org.flywaydb", "com.zaxxer.hikari");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        var loader = LogDefaults.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        var console = new ConsoleAppender<ILoggingEvent>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        for (var name : QUIET) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
