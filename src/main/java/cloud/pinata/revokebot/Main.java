package cloud.pinata.revokebot;

import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.config.ConfigException;

import java.time.Clock;

/** Entry point: validate the environment, start, and stop cleanly on SIGTERM. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
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
