package cloud.pinata.revokebot.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: a number and a unit ({@code 90s}, {@code 10m}, {@code 24h}, and {@code 7d} where
 * days make sense) or ISO-8601 ({@code PT10M}, {@code P7D}). Used by the configuration and by {@code audit --since}.
 */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

    private Durations() {}

    /** Seconds, minutes or hours ({@code 90s}, {@code 10m}, {@code 1h}) or ISO-8601; may be negative when ISO says so. */
    public static Optional<Duration> parse(String text) {
        return parse(text, false);
    }

    /** As {@link #parse(String)}, also in days ({@code 7d}); never negative: a look-back. */
    public static Optional<Duration> parseLookBack(String text) {
        return parse(text, true).filter(d -> !d.isNegative());
    }

    private static Optional<Duration> parse(String text, boolean days) {
        var t = text.trim().toLowerCase(Locale.ROOT);
        var m = SHORT.matcher(t);
        if (m.matches()) {
            var n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Optional.of(Duration.ofSeconds(n));
                case "m" -> Optional.of(Duration.ofMinutes(n));
                case "h" -> Optional.of(Duration.ofHours(n));
                default -> days ? Optional.of(Duration.ofDays(n)) : Optional.empty();
            };
        }
        try {
            return Optional.of(Duration.parse(t.toUpperCase(Locale.ROOT)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
