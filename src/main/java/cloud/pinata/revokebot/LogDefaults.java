package cloud.pinata.revokebot;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.Logger;

/**
 * The bot's logging, set up in code instead of from a {@code logback.xml}: parsing XML with Joran was about 150 ms of
 * a 1.2 s start-up, on the one thread everything else waits for (bench/README.md, second round). Registered through
 * {@code META-INF/services}; logback asks it before its XML configurators.
 *
 * <p>{@code LOG_FORMAT=json}: one JSON object per line (logstash-logback-encoder), with the formatted message and
 * each of the event's key-value pairs as a top-level field. {@code LOG_LEVEL} sets the bot's own level (default
 * info; {@code debug} also adds stack traces to start-up failures). The libraries in {@link #QUIET} stay at WARN
 * whatever the level: the Slack SDK logs request and response bodies at DEBUG.
 *
 * <p>It steps aside, and logback's usual search runs, when {@code logback.configurationFile} is set (the operator
 * commands set it; so can an operator) or when a {@code logback.xml} or {@code logback-test.xml} is on the class path.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogDefaults extends ContextAwareBase implements Configurator {
    /** One line per event: UTC time, level, thread, logger, message, then the event's key=value pairs. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{36} - %msg %kvp%n";
    /** Libraries that are chatty at INFO (the Slack SDK logs request and response bodies at DEBUG). */
    static final List<String> QUIET =
            List.of("com.slack.api", "org.eclipse.jetty", "io.javalin", "org.flywaydb", "com.zaxxer.hikari");
    /** The values {@code LOG_LEVEL} takes. */
    public static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        var loader = LogDefaults.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configure(context, System.getenv("LOG_FORMAT"), System.getenv("LOG_LEVEL"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code format} and {@code level} as the environment gives them (null: unset). */
    void configure(LoggerContext context, String format, String level) {
        var console = new ConsoleAppender<ILoggingEvent>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(isJson(format) ? json(context) : plain(context));
        console.start();
        for (var name : QUIET) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(level).orElse(Level.INFO));
        root.addAppender(console);
    }

    static boolean isJson(String format) {
        return format != null && format.trim().equalsIgnoreCase("json");
    }

    /** The level {@code LOG_LEVEL} names, or empty when it is unset or not one of {@link #LEVELS}. */
    public static Optional<Level> level(String text) {
        if (text == null || !LEVELS.contains(text.trim().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return Optional.of(Level.toLevel(text.trim(), Level.INFO));
    }

    private static Encoder<ILoggingEvent> plain(LoggerContext context) {
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        var encoder = new LogstashEncoder();
        encoder.setContext(context);
        // The logger context's name and properties say nothing about this bot; the MDC is unused.
        encoder.setIncludeContext(false);
        encoder.setIncludeMdc(false);
        // Message arguments are already in the formatted message; key-value pairs are the structured fields.
        encoder.setIncludeStructuredArguments(false);
        encoder.setIncludeNonStructuredArguments(false);
        encoder.start();
        return encoder;
    }
}
