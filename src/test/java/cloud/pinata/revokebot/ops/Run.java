package cloud.pinata.revokebot.ops;

import cloud.pinata.revokebot.InProcessMain;
import cloud.pinata.revokebot.support.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/** What a command printed and returned, run in-process (or as a child JVM for {@code Main}'s exit codes). */
record Run(int code, String out, String err) {

    String all() {
        return out + err;
    }

    static Run doctor(Map<String, String> env) {
        var out = new ByteArrayOutputStream();
        var http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5))
                .retryOnConnectionFailure(false)
                .build();
        var code = new Doctor(env, http, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
        return new Run(code, out.toString(StandardCharsets.UTF_8), "");
    }

    static Run audit(Map<String, String> env, Clock clock, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var code = new AuditCommand(
                        env,
                        clock,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(List.of(args));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code Main}'s command line run in this JVM: the status it would exit with, and what it printed. */
    static Run cli(Map<String, String> env, String... args) {
        var result = InProcessMain.execute(env, args);
        return new Run(result.code(), result.out(), result.err());
    }

    /** {@code java cloud.pinata.revokebot.Main args…} on the test class path with exactly {@code env}. */
    static Run main(Map<String, String> env, String... args) throws IOException, InterruptedException {
        var pb = ChildJvm.main(env, args);
        var outFile = File.createTempFile("main-out", ".txt");
        var errFile = File.createTempFile("main-err", ".txt");
        pb.redirectOutput(outFile).redirectError(errFile);
        var process = pb.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Main " + List.of(args) + " did not exit within 60 s");
        }
        return new Run(process.exitValue(), Files.readString(outFile.toPath()), Files.readString(errFile.toPath()));
    }
}
