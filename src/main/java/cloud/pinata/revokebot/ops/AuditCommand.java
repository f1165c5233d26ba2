package cloud.pinata.revokebot.ops;

import cloud.pinata.revokebot.config.DatabaseSettings;
import cloud.pinata.revokebot.storage.AuditEntry;
import cloud.pinata.revokebot.storage.ChainCheck;
import cloud.pinata.revokebot.storage.Database;
import cloud.pinata.revokebot.storage.JdbcAuditLog;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * {@code audit}: exports the audit trail, oldest first, with its hash chain ({@code --format json} writes JSON Lines,
 * one object per row; {@code csv} has a header and RFC 4180 quoting), or recomputes the chain ({@code --verify}).
 * Needs only {@code DATABASE_URL}. Exit codes: 0 done / chain intact, 1 chain broken or database error, 2 bad arguments.
 */
public final class AuditCommand {
    static final String USAGE = """
            Usage: audit [--since 7d|24h|90m|P7D|2026-05-01T00:00:00Z] [--format json|csv] [--output FILE]
                   audit --verify
              --since   only rows at or after this moment, or this long ago (default: all rows)
              --format  json (JSON Lines: one object per row, the default) or csv (header row, RFC 4180 quoting)
              --output  write to FILE instead of standard output
              --verify  recompute the hash chain over every row; exit 1 at the first broken link
            """;
    static final List<String> COLUMNS = List.of(
            "id",
            "at",
            "team_id",
            "channel_id",
            "user_id",
            "action",
            "request_id",
            "api_key",
            "reason",
            "outcome",
            "pinata_status",
            "prev_hash",
            "hash");
    private static final DateTimeFormatter AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Map<String, String> env;
    private final Clock clock;
    private final PrintStream out;
    private final PrintStream err;
    private final ObjectMapper json = new ObjectMapper();

    public AuditCommand(Map<String, String> env, Clock clock, PrintStream out, PrintStream err) {
        this.env = Map.copyOf(env);
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    private record Options(boolean verify, Instant since, String format, Path output) {}

    /** {@code args} are what follows {@code audit} on the command line. */
    public int run(List<String> args) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        if (options == null) {
            out.print(USAGE);
            return 0;
        }
        var redactor = new Redactor(env);
        DatabaseSettings settings;
        try {
            settings = DatabaseSettings.fromUrl(env.get("DATABASE_URL"));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        var file = SqliteFile.of(settings.jdbcUrl());
        if (file.isPresent() && !Files.exists(file.get())) {
            // Opening it would create an empty database, and an empty chain "verifies".
            err.println("No audit trail here: the SQLite file " + file.get() + " does not exist. Set DATABASE_URL to "
                    + "the bot's database (its default is ./pinata-revoke-bot.db in the directory the bot runs in).");
            return 1;
        }
        try (var database = Database.open(settings)) {
            var log = new JdbcAuditLog(database.dataSource());
            return options.verify() ? verify(log) : export(log, options);
        } catch (RuntimeException e) {
            // The edge of the command: a database that cannot be reached or read is a message, not a stack trace.
            err.println(redactor.clean("Could not read the audit log: " + rootMessage(e)));
            return 1;
        }
    }

    private Options parse(List<String> args) {
        var verify = false;
        Instant since = null;
        String format = null;
        Path output = null;
        for (int i = 0; i < args.size(); i++) {
            var arg = args.get(i);
            String value = null;
            var eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--verify" -> verify = true;
                case "--since", "--format", "--output" -> {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException(arg + " needs a value.");
                        }
                        value = args.get(++i);
                    }
                    switch (arg) {
                        case "--since" -> {
                            var v = value;
                            since = Since.parse(v, clock)
                                    .orElseThrow(() -> new IllegalArgumentException("--since '" + v
                                            + "' is neither a duration (7d, 24h, 90m, P7D, PT36H) nor an "
                                            + "ISO-8601 instant or date."));
                        }
                        case "--format" -> {
                            if (!value.equals("json") && !value.equals("csv")) {
                                throw new IllegalArgumentException("--format must be json or csv.");
                            }
                            format = value;
                        }
                        default -> output = Path.of(value);
                    }
                }
                default -> throw new IllegalArgumentException("Unknown argument '" + arg + "'.");
            }
        }
        if (verify && (since != null || format != null || output != null)) {
            throw new IllegalArgumentException(
                    "--verify always checks the whole chain and writes no export; " + "use it alone.");
        }
        return new Options(verify, since, format == null ? "json" : format, output);
    }

    private int verify(JdbcAuditLog log) {
        var check = log.verify();
        if (check instanceof ChainCheck.Intact ok) {
            var sb = new StringBuilder("OK: audit chain intact, ")
                    .append(ok.rows())
                    .append(ok.rows() == 1 ? " row" : " rows");
            if (ok.unchained() > 0) {
                sb.append(" (the first ").append(ok.unchained()).append(" written before the hash chain existed)");
            }
            if (ok.headHash() != null) {
                sb.append("; newest row id ")
                        .append(ok.headId())
                        .append(", hash ")
                        .append(ok.headHash());
            }
            out.println(sb);
            return 0;
        }
        var broken = (ChainCheck.Broken) check;
        out.println("BROKEN at row id " + broken.rowId() + ": " + broken.problem() + " (" + broken.checked()
                + " earlier rows verified)");
        return 1;
    }

    private int export(JdbcAuditLog log, Options options) {
        long rows;
        try {
            if (options.output() != null) {
                try (var w = Files.newBufferedWriter(options.output(), StandardCharsets.UTF_8)) {
                    rows = write(log, options, w);
                }
                out.println("Wrote " + rows + " audit " + (rows == 1 ? "row" : "rows") + " to " + options.output()
                        + " (" + (options.format().equals("csv") ? "CSV" : "JSON Lines") + ").");
            } else {
                // Standard output is not ours to close.
                var w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                rows = write(log, options, w);
                w.flush();
            }
        } catch (IOException | UncheckedIOException e) {
            err.println("Could not write the export: " + rootMessage(e));
            return 1;
        }
        return 0;
    }

    private long write(JdbcAuditLog log, Options options, Writer w) throws IOException {
        var csv = options.format().equals("csv");
        if (csv) {
            w.write(String.join(",", COLUMNS));
            w.write("\r\n");
        }
        return log.forEachSince(options.since(), e -> {
            try {
                w.write(csv ? csvLine(e) : jsonLine(e));
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        });
    }

    private String jsonLine(AuditEntry e) throws JsonProcessingException {
        var r = e.record();
        var o = json.createObjectNode();
        o.put("id", e.id());
        o.put("at", AT.format(r.at()));
        o.put("team_id", r.teamId());
        o.put("channel_id", r.channelId());
        o.put("user_id", r.userId());
        o.put("action", r.action());
        o.put("request_id", r.requestId());
        o.put("api_key", r.apiKey());
        o.put("reason", r.reason());
        o.put("outcome", r.outcome());
        o.put("pinata_status", r.pinataStatus());
        o.put("prev_hash", e.prevHash());
        o.put("hash", e.hash());
        return json.writeValueAsString(o) + "\n";
    }

    private static String csvLine(AuditEntry e) {
        var r = e.record();
        var fields = new String[] {
            Long.toString(e.id()),
            AT.format(r.at()),
            r.teamId(),
            r.channelId(),
            r.userId(),
            r.action(),
            r.requestId(),
            r.apiKey(),
            r.reason(),
            r.outcome(),
            r.pinataStatus() == null ? null : r.pinataStatus().toString(),
            e.prevHash(),
            e.hash()
        };
        var sb = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(csvField(fields[i]));
        }
        return sb.append("\r\n").toString();
    }

    /** Null is an empty field; an empty string is {@code ""}, so the two stay apart. Values are never altered. */
    static String csvField(String value) {
        if (value == null) {
            return "";
        }
        if (value.isEmpty() || value.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n')) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    private static String rootMessage(Throwable e) {
        var t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        var m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.strip().lines().findFirst().orElse("");
    }
}
