package cloud.pinata.revokebot.ops;

import cloud.pinata.revokebot.config.Durations;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The {@code --since} argument: a look-back ({@code 7d}, {@code 24h}, {@code 90m}, {@code 30s}, ISO-8601 {@code P7D}/{@code PT36H}) or a moment (ISO-8601 instant or UTC date). */
final class Since {
    private Since() {}

    static Optional<Instant> parse(String text, Clock clock) {
        var t = text.trim();
        var back = Durations.parseLookBack(t);
        if (back.isPresent()) {
            return Optional.of(clock.instant().minus(back.get()));
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
