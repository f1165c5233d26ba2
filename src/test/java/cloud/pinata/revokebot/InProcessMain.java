package cloud.pinata.revokebot;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link Main}'s command line in the test JVM: the same parsing, commands and exit status a child JVM would give,
 * without its start-up cost. Tests that must see the real process (its exit, its logging on stderr) use a child JVM.
 */
public final class InProcessMain {
    private InProcessMain() {}

    /** The exit status, and what the command printed on its standard output and error. */
    public record Result(int code, String out, String err) {}

    /** Runs {@code args} (a command other than {@code serve}: it would leave a bot running). */
    public static Result execute(Map<String, String> env, String... args) {
        return run(env, args, config -> {
            throw new IllegalStateException("serve is not run in-process by this helper");
        });
    }

    /**
     * {@code serve} with the bot started on {@code clock} and {@code tuning}: for start-ups that are meant to fail.
     * A bot that does start is stopped again before this returns, and the status says it started (0).
     */
    public static Result serve(Map<String, String> env, Clock clock, Tuning tuning) {
        var started = new AtomicReference<PinataRevokeBot>();
        try {
            return run(env, new String[0], config -> {
                started.set(PinataRevokeBot.start(config, clock, tuning));
                return started.get();
            });
        } finally {
            if (started.get() != null) {
                started.get().close();
            }
        }
    }

    private static Result run(
            Map<String, String> env,
            String[] args,
            java.util.function.Function<cloud.pinata.revokebot.config.Config, PinataRevokeBot> starter) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var code = new Main(
                        env,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        starter)
                .execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
