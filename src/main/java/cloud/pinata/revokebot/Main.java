package cloud.pinata.revokebot;

import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.config.ConfigException;
import cloud.pinata.revokebot.ops.AuditCommand;
import cloud.pinata.revokebot.ops.CdsTraining;
import cloud.pinata.revokebot.ops.Doctor;
import cloud.pinata.revokebot.slack.SlackAuth;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import okhttp3.OkHttpClient;

/** Entry point: serve (no arguments), or run one of the operator commands and exit with its status. */
public final class Main {
    private static final String USAGE = """
            Usage: java -jar pinata-revoke-bot.jar [command]
              (none)    serve Slack's requests on $PORT
              doctor    check the configuration against Slack, Pinata and the database, then exit (0: all OK)
              audit [--since 7d] [--format json|csv] [--output FILE]
                        export the audit trail, oldest first, with its hashes (json: JSON Lines)
              audit --verify
                        recompute the audit hash chain; exit 1 at the first broken link
            See README.md, section "Operations: doctor and audit export".
            """;

    private Main() {}

    /** Must run before the first logger is created: logback reads its configuration once. */
    static void selectLogFormat(String format) {
        if (format != null && format.trim().equalsIgnoreCase("json")) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            serve();
            return;
        }
        switch (args[0]) {
            case "doctor" -> {
                if (args.length > 1) {
                    usage("doctor takes no arguments.");
                }
                quietLogs();
                var http = new OkHttpClient.Builder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .readTimeout(Duration.ofSeconds(10))
                        .callTimeout(Duration.ofSeconds(20))
                        .retryOnConnectionFailure(false)
                        .build();
                System.exit(new Doctor(System.getenv(), http, utf8(FileDescriptor.out)).run());
            }
            case "audit" -> {
                quietLogs();
                System.exit(new AuditCommand(
                                System.getenv(), Clock.systemUTC(), utf8(FileDescriptor.out), utf8(FileDescriptor.err))
                        .run(Arrays.asList(args).subList(1, args.length)));
            }
            case "cds-archive" -> {
                // Build step only (pom.xml runs it with -XX:ArchiveClassesAtExit); see ops/CdsTraining.
                quietLogs();
                try {
                    System.exit(new CdsTraining(utf8(FileDescriptor.out)).run());
                } catch (Exception e) {
                    System.err.println("cds-archive: training run failed: " + e);
                    System.exit(1);
                }
            }
            case "help", "-h", "--help" -> {
                System.out.print(USAGE);
                System.exit(0);
            }
            // Echo only what looks like a command word: a mistyped argument could be a pasted secret.
            default ->
                usage(args[0].matches("[A-Za-z-]{1,30}") ? "Unknown command '" + args[0] + "'." : "Unknown command.");
        }
    }

    private static void serve() {
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
        PinataRevokeBot bot;
        try {
            bot = PinataRevokeBot.start(config, Clock.systemUTC());
        } catch (SlackAuth.TokenRejected e) {
            // A configuration error like the ones above: one line naming the fix, no stack trace.
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(bot::close, "shutdown"));
    }

    /** The commands print their report or export on standard output; only warnings are logged, to standard error. */
    private static void quietLogs() {
        System.setProperty("logback.configurationFile", "logback-cli.xml");
    }

    /** Reports and exports are UTF-8 whatever the platform's default charset (often ASCII in containers). */
    private static PrintStream utf8(FileDescriptor fd) {
        return new PrintStream(new FileOutputStream(fd), true, StandardCharsets.UTF_8);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.print(USAGE);
        System.exit(2);
    }
}
