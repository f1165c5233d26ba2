package cloud.pinata.revokebot.ops;

import java.nio.file.Path;
import java.util.Optional;

/** The file behind a {@code jdbc:sqlite:} URL, so a command can refuse to open (and thereby create) a missing one. */
final class SqliteFile {
    private SqliteFile() {}

    /** Empty for in-memory and {@code file:} URI forms, whose path we do not interpret. */
    static Optional<Path> of(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:sqlite:")) {
            return Optional.empty();
        }
        var file = jdbcUrl.substring("jdbc:sqlite:".length());
        var q = file.indexOf('?');
        if (q >= 0) {
            file = file.substring(0, q);
        }
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(file));
    }
}
