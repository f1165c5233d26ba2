package cloud.pinata.revokebot.ops;

import java.sql.SQLException;

/** One line that explains a failure to an operator, for {@code doctor} and {@code audit}. */
final class Failures {
    private Failures() {}

    /** The most specific explanation: the deepest SQLException's first line, else the deepest cause's; at most 240 characters. */
    static String explain(Throwable e) {
        String sql = null;
        String deepest = e.getClass().getSimpleName();
        for (var t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                deepest = t.getMessage();
                if (t instanceof SQLException) {
                    sql = t.getMessage();
                }
            }
        }
        var text = (sql != null ? sql : deepest).strip().lines().findFirst().orElse("");
        return text.length() > 240 ? text.substring(0, 240) + "…" : text;
    }
}
