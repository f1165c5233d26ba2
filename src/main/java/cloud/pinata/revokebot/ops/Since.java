package cloud.pinata.revokebot.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code --since} argument: a look-back ({@code 7d}, {@code 24h}, {@code 90m}, {@code 30s}, ISO-8601 {@code P7D}/{@code PT36H}) or a moment (ISO-8601 instant or UTC date). */
final class Since {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

    private Since() {}

    static Optional<Instant> parse(String text, Clock clock) {
        var t = text.trim();
        var m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            var n = Long.parseLong(m.group(1));
            var back = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Optional.of(clock.instant().minus(back));
        }
        if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                var back = Duration.parse(t.toUpperCase(Locale.ROOT));
                return back.isNegative()
                        ? Optional.empty()
                        : Optional.of(clock.instant().minus(back));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(Instant.parse(t));
        } catch (DateTimeParseException e) {
            // not an instant; maybe a date
        }
        try {
            return Optional.of(LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
