package cloud.pinata.revokebot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.KeyValuePair;

/** The default logging, now set up in code: the same lines and levels the former logback.xml gave. */
class LogDefaultsTest {

    @Test
    void logbackFindsItThroughTheServiceFile() {
        assertTrue(ServiceLoader.load(Configurator.class).stream().anyMatch(p -> p.type() == LogDefaults.class));
    }

    @Test
    void oneLinePerEventWithUtcTimeLevelThreadLoggerMessageAndKeyValues() {
        var context = new LoggerContext();
        var configurator = new LogDefaults();
        configurator.setContext(context);

        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configurator.configure(context));

        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.INFO, root.getLevel());
        for (var quiet : LogDefaults.QUIET) {
            assertEquals(Level.WARN, context.getLogger(quiet).getLevel(), quiet);
        }
        assertFalse(
                context.getLogger("com.slack.api.methods").isInfoEnabled(),
                "the SDK's request/response logging stays off");
        var console = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDOUT"));
        var encoder = assertInstanceOf(PatternLayoutEncoder.class, console.getEncoder());

        var event = new LoggingEvent(
                "x",
                context.getLogger("cloud.pinata.revokebot.slack.Jobs"),
                Level.WARN,
                "Executor full; refused {}",
                null,
                new Object[] {"confirm"});
        event.setTimeStamp(0);
        event.setThreadName("qtp-1");
        event.addKeyValuePair(new KeyValuePair("request_id", "abc"));
        @SuppressWarnings("unchecked")
        var line = new String(
                ((ch.qos.logback.core.encoder.Encoder<ILoggingEvent>) (Object) encoder).encode(event),
                StandardCharsets.UTF_8);

        assertEquals(
                "1970-01-01T00:00:00.000Z WARN  [qtp-1] cloud.pinata.revokebot.slack.Jobs - Executor full; refused confirm "
                        + "request_id=\"abc\"" + System.lineSeparator(),
                line);
    }

    @Test
    void stepsAsideWhenAConfigurationFileIsNamed() {
        var context = new LoggerContext();
        var configurator = new LogDefaults();
        configurator.setContext(context);
        var before = System.getProperty("logback.configurationFile");
        System.setProperty("logback.configurationFile", "logback-json.xml");
        try {
            assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context));
            assertFalse(context.getLogger(Logger.ROOT_LOGGER_NAME)
                    .iteratorForAppenders()
                    .hasNext());
        } finally {
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
        }
    }
}
