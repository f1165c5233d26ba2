package cloud.pinata.revokebot.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;

/** This build's version, from {@code version.properties} (filtered by Maven with the project's version). */
public final class Version {
    private static final String VERSION = read();

    private Version() {}

    /** For example {@code 0.1.0} or {@code 0.2.0-SNAPSHOT}. */
    public static String current() {
        return VERSION;
    }

    private static String read() {
        try (var in = Version.class.getResourceAsStream("/cloud/pinata/revokebot/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            var p = new Properties();
            p.load(in);
            var v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
