package cloud.pinata.revokebot.support;

import cloud.pinata.revokebot.Main;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java cloud.pinata.revokebot.Main args…} on the test class path, with exactly the environment given: how the
 * tests that need a real process (exit codes, what reaches stdout and stderr, SIGKILL) start one.
 *
 * <p>A child lives for a second or two, so it starts with the client compiler only and the serial collector: about a
 * third less CPU per start-up, and nothing the tests assert depends on the JIT or the collector.
 */
public final class ChildJvm {
    private ChildJvm() {}

    public static ProcessBuilder main(Map<String, String> env, String... args) {
        var command = new ArrayList<>(List.of(
                new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-Dfile.encoding=UTF-8",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb;
    }
}
