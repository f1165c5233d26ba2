package cloud.pinata.revokebot;

import java.io.PrintStream;
import java.util.Map;

/**
 * {@link Main}'s command line in the test JVM: the same parsing, commands and exit status a child JVM would give,
 * without its start-up cost. Tests that must see the real process (its exit, its logging on stderr) use a child JVM.
 */
public final class InProcessMain {
    private InProcessMain() {}

    /** Runs {@code args} and returns the exit status; {@code serve} is not for this (it would leave a bot running). */
    public static int execute(Map<String, String> env, PrintStream out, PrintStream err, String... args) {
        return new Main(env, out, err, config -> {
                    throw new IllegalStateException("serve is not run in-process by this helper");
                })
                .execute(args);
    }
}
