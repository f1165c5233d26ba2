package cloud.pinata.revokebot.support;

import static cloud.pinata.revokebot.support.Eventually.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The bot as a separate JVM process (Main, the test class path), for kill -9 and start-up tests. */
public final class BotProcess implements AutoCloseable {
    private final Process process;
    private final Path output;
    private final int port;

    private BotProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /** Starts the bot with exactly {@code env} (plus a free PORT), and waits until /health answers 200. */
    public static BotProcess start(BotHarness harness, Map<String, String> extraEnv) throws IOException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var output = Files.createTempFile("bot-child", ".log");
        var pb = ChildJvm.main(harness.environment());
        pb.environment().putAll(extraEnv);
        pb.environment().put("PORT", Integer.toString(port));
        pb.redirectErrorStream(true).redirectOutput(output.toFile());
        var child = new BotProcess(pb.start(), output, port);
        harness.targetPort(port);
        await("child healthy", Duration.ofSeconds(90), () -> {
            try {
                return harness.get("/health").statusCode() == 200;
            } catch (IllegalStateException e) {
                return false; // not listening yet
            }
        });
        return child;
    }

    public int port() {
        return port;
    }

    /** Everything the process printed so far. */
    public String output() throws IOException {
        return Files.readString(output);
    }

    /** SIGKILL: no shutdown hook, no finishing in-flight work. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child did not die");
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
