package cloud.pinata.revokebot.ops;

import cloud.pinata.revokebot.config.DatabaseSettings;
import cloud.pinata.revokebot.storage.AuditEntry;
import cloud.pinata.revokebot.storage.ChainCheck;
import cloud.pinata.revokebot.storage.Database;
import cloud.pinata.revokebot.storage.JdbcAuditLog;
import cloud.pinata.revokebot.storage.SqliteFile;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code audit}: exports the audit trail, oldest first, with its hash chain ({@code --format json} writes JSON Lines,
 * one object per row; {@code csv} has a header and RFC 4180 quoting), or recomputes the chain ({@code --verify}).
 * Needs only {@code DATABASE_URL}, and only reads it: the database is opened read-only and never migrated, so it can
 * run beside bots of another version during a deploy. Exit codes: 0 done / chain intact, 1 chain broken, database
 * error or a schema of another version, 2 bad arguments.
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description =
                "Export the audit trail, oldest first, with its hashes (json: JSON Lines), or check its hash chain.",
        footer = {
            "",
            "Exit codes: 0 done, 1 database or file error, a schema of another version, or a broken chain "
                    + "(--verify), 2 bad arguments.",
            "See README.md, section \"Operations: doctor and audit export\"."
        })
public final class AuditCommand implements Callable<Integer> {
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

    @Spec
    CommandSpec spec;

    @Option(
            names = "--since",
            paramLabel = "WHEN",
            description = "only rows at or after this moment, or this long ago: 7d, 24h, 90m, 30s, P7D, PT36H, "
                    + "2026-05-01T09:00:00Z or 2026-05-01 (default: every row)")
    String since;

    @Option(
            names = "--format",
            paramLabel = "json|csv",
            description = "json (JSON Lines: one object per row, the default) or csv (header row, RFC 4180 quoting)")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "write to FILE instead of standard output")
    Path output;

    @Option(
            names = "--csv-raw",
            description = "CSV cells exactly as stored, even those a spreadsheet would run as a "
                    + "formula (by default a cell starting with = + - @, a tab or a carriage return gets a leading ')")
    boolean csvRaw;

    @Option(
            names = "--verify",
            description = "recompute the hash chain over every row; exit 1 at the first broken link")
    boolean verify;

    public AuditCommand(Map<String, String> env, Clock clock, PrintStream out, PrintStream err) {
        this.env = Map.copyOf(env);
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    /** {@code args} are what follows {@code audit} on the command line. */
    public int run(List<String> args) {
        return commandLine().execute(args.toArray(String[]::new));
    }

    /** This command, parsed by picocli, printing to this command's streams. */
    public CommandLine commandLine() {
        return new CommandLine(this)
                .setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    }

    @Override
    public Integer call() {
        var from = since == null
                ? null
                : Since.parse(since, clock)
                        .orElseThrow(() -> new ParameterException(
                                spec.commandLine(),
                                "--since '" + since + "' is neither a duration (7d, 24h, 90m, P7D, PT36H) nor an "
                                        + "ISO-8601 instant or date."));
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            throw new ParameterException(spec.commandLine(), "--format must be json or csv.");
        }
        if (verify && (since != null || format != null || output != null || csvRaw)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--verify always checks the whole chain and writes no " + "export; use it alone.");
        }
        var redactor = new Redactor(env);
        DatabaseSettings settings;
        try {
            settings = DatabaseSettings.fromUrl(env.get("DATABASE_URL"));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        var file = SqliteFile.of(settings.jdbcUrl());
        if (file.isPresent() && !Files.exists(file.get())) {
            // Opening it would create an empty database, and an empty chain "verifies".
            err.println("No audit trail here: the SQLite file " + file.get() + " does not exist. Set DATABASE_URL to "
                    + "the bot's database (its default is ./pinata-revoke-bot.db in the directory the bot runs in).");
            return 1;
        }
        // Two connections: one reads the rows; Flyway's schema check needs no more.
        try (var database = Database.openReadOnly(settings.withPoolSize(2))) {
            var schema = Database.status(database.dataSource(), settings);
            var problem = SchemaCheck.describe(schema);
            if (problem != null) {
                err.println(redactor.clean("The database's schema is not the one this build reads: " + problem));
                return 1;
            }
            var log = new JdbcAuditLog(database.dataSource());
            return verify ? verify(log) : export(log, from, format == null ? "json" : format);
        } catch (RuntimeException e) {
            // The edge of the command: a database that cannot be reached or read is a message, not a stack trace.
            err.println(redactor.clean("Could not read the audit log: " + Failures.explain(e)));
            return 1;
        }
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

    private int export(JdbcAuditLog log, Instant from, String format) {
        long rows;
        try {
            if (output != null) {
                try (var w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                    rows = write(log, from, format, w);
                }
                out.println("Wrote " + rows + " audit " + (rows == 1 ? "row" : "rows") + " to " + output + " ("
                        + (format.equals("csv") ? "CSV" : "JSON Lines") + ").");
            } else {
                // Standard output is not ours to close.
                var w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                rows = write(log, from, format, w);
                w.flush();
            }
        } catch (IOException | UncheckedIOException e) {
            err.println("Could not write the export: " + Failures.explain(e));
            return 1;
        }
        return 0;
    }

    private long write(JdbcAuditLog log, Instant from, String format, Writer w) throws IOException {
        if (format.equals("json")) {
            return log.forEachSince(from, e -> {
                try {
                    w.write(jsonLine(e));
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            });
        }
        var schema = CsvSchema.builder()
                .addColumns(COLUMNS, CsvSchema.ColumnType.STRING)
                .build()
                .withHeader()
                .withLineSeparator("\r\n");
        var mapper = CsvMapper.builder()
                // An empty value is "" and a missing one an empty field, so the two stay apart.
                .enable(CsvGenerator.Feature.ALWAYS_QUOTE_EMPTY_STRINGS)
                // The writer is the caller's to close (standard output is not ours).
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .build();
        try (SequenceWriter rows = mapper.writer(schema).writeValues(w)) {
            return log.forEachSince(from, e -> {
                try {
                    rows.write(csvRow(e, !csvRaw));
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            });
        }
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

    private static List<String> csvRow(AuditEntry e, boolean neutralise) {
        var r = e.record();
        var cells = Arrays.asList(
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
                e.hash());
        return neutralise ? cells.stream().map(AuditCommand::neutralised).toList() : cells;
    }

    /**
     * A cell a spreadsheet would take for a formula gets a leading {@code '}: anything starting with {@code =},
     * {@code +}, {@code -}, {@code @}, a tab or a carriage return (OWASP's list for CSV injection). Quoting does not
     * help: spreadsheets evaluate quoted cells too. Any workspace member can put such a reason in the trail.
     */
    static String neutralised(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        var c = cell.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + cell : cell;
    }
}
