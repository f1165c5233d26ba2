package cloud.pinata.revokebot;

import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.config.ConfigException;

import java.time.Clock;

/** Entry point: validate the environment, start, and stop cleanly on SIGTERM. */
public final class Main {
    private Main() {
    }

    /** Must run before the first logger is created: logback reads its configuration once. */
    static void selectLogFormat(String format) {
        if (format != null && format.trim().equalsIgnoreCase("json")) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
    }

    public static void main(String[] args) {
        selectLogFormat(System.getenv("LOG_FORMAT"));
        Config config;
        try {
            config = Config.fromEnvironment(System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.err.println("See README.md, section \"Configuration\".");
            System.exit(2);
            return;
        }
        var bot = PinataRevokeBot.start(config, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(bot::close, "shutdown"));
    }
}
