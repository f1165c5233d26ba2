package cloud.pinata.revokebot;

import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.config.ConfigException;
import cloud.pinata.revokebot.config.Version;
import cloud.pinata.revokebot.ops.AuditCommand;
import cloud.pinata.revokebot.ops.CdsTraining;
import cloud.pinata.revokebot.ops.Doctor;
import cloud.pinata.revokebot.ops.Redactor;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line (picocli): {@code serve} (also with no command), {@code doctor}, {@code audit}, {@code --version},
 * {@code --help}. Exit codes: 0 done, 1 a failure (a check, a broken chain, an unexpected start-up error), 2 bad
 * arguments or configuration, 3 a dependency unreachable after retrying.
 */
@Command(
        name = "java -jar pinata-revoke-bot.jar",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        versionProvider = Main.BuildVersion.class,
        description =
                "A Slack bot that revokes leaked Pinata API keys after an admin confirms. With no command: serve.",
        footer = {"", "See README.md, sections \"Configuration\" and \"Operations: doctor and audit export\"."})
public final class Main implements Callable<Integer> {
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Function<Config, PinataRevokeBot> starter;
    private PinataRevokeBot serving;

    Main(Map<String, String> env, PrintStream out, PrintStream err, Function<Config, PinataRevokeBot> starter) {
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
        this.starter = starter;
    }

    public static void main(String[] args) {
        if (args.length > 0 && !args[0].equals("serve") && !args[0].startsWith("-")) {
            // doctor and audit print their report or export on standard output; only warnings are logged, to stderr.
            System.setProperty("logback.configurationFile", "logback-cli.xml");
        }
        var main = new Main(
                System.getenv(),
                utf8(FileDescriptor.out),
                utf8(FileDescriptor.err),
                config -> PinataRevokeBot.start(config, Clock.systemUTC()));
        var code = main.execute(args);
        if (main.serving != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(main.serving::close, "shutdown"));
            return; // the web server's threads keep the process alive
        }
        System.exit(code);
    }

    /** Parses {@code args} and runs the command; the exit status. After {@code serve}, the bot is left running. */
    int execute(String... args) {
        var cli = new CommandLine(this)
                .addSubcommand("serve", new Serve())
                .addSubcommand("doctor", new DoctorCommand())
                .addSubcommand("audit", new AuditCommand(env, Clock.systemUTC(), out, err).commandLine())
                .addSubcommand("cds-archive", new CdsArchive())
                .setOut(writer(out))
                .setErr(writer(err))
                .setParameterExceptionHandler(Main::badArguments);
        return cli.execute(args);
    }

    /** Picocli's message names the argument; a mistyped argument could be a pasted secret, so only a word is echoed. */
    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        var cli = e.getCommandLine();
        var message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            var first = unmatched.getUnmatched().isEmpty()
                    ? ""
                    : unmatched.getUnmatched().get(0);
            message = first.matches("-{0,2}[A-Za-z][A-Za-z-]{0,29}")
                    ? "Unknown command or option '" + first + "'."
                    : "Unknown command or argument (not shown: it could be a secret).";
        }
        cli.getErr().println(message);
        cli.usage(cli.getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** No command: serve. */
    @Override
    public Integer call() {
        return serve();
    }

    private int serve() {
        Config config;
        try {
            config = Config.fromEnvironment(env);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.println("See README.md, section \"Configuration\".");
            return BootFailure.CONFIGURATION;
        }
        try {
            serving = starter.apply(config);
            return 0;
        } catch (RuntimeException e) {
            var failure = BootFailure.of(e, config);
            err.println(new Redactor(env).clean(failure.line()));
            // The stack trace only when asked for: LOG_LEVEL=debug (nothing at the default level).
            log().debug("Start-up failed", e);
            return failure.exitCode();
        }
    }

    private static Logger log() {
        return LoggerFactory.getLogger(Main.class);
    }

    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            versionProvider = BuildVersion.class,
            description = "Serve Slack's requests on $PORT (the default when no command is given).")
    final class Serve implements Callable<Integer> {
        @Override
        public Integer call() {
            return serve();
        }
    }

    @Command(
            name = "doctor",
            mixinStandardHelpOptions = true,
            versionProvider = BuildVersion.class,
            description = "Check the configuration against Slack, Pinata and the database, changing nothing; "
                    + "exit 0 only when every check passes.")
    final class DoctorCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            var http = new OkHttpClient.Builder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .readTimeout(Duration.ofSeconds(10))
                    .callTimeout(Duration.ofSeconds(20))
                    .retryOnConnectionFailure(false)
                    .build();
            return new Doctor(env, http, out).run();
        }
    }

    /** Build step only (pom.xml runs it with -XX:ArchiveClassesAtExit); see ops/CdsTraining. */
    @Command(name = "cds-archive", hidden = true)
    final class CdsArchive implements Callable<Integer> {
        @Override
        public Integer call() {
            try {
                return new CdsTraining(out).run();
            } catch (Exception e) {
                err.println("cds-archive: training run failed: " + e);
                return 1;
            }
        }
    }

    /** {@code --version}: the project version from the build. */
    static final class BuildVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pinata-revoke-bot " + Version.current()};
        }
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }

    /** Reports and exports are UTF-8 whatever the platform's default charset (often ASCII in containers). */
    private static PrintStream utf8(FileDescriptor fd) {
        return new PrintStream(new FileOutputStream(fd), true, StandardCharsets.UTF_8);
    }
}
