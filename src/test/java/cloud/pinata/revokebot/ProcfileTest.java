package cloud.pinata.revokebot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Procfile is code too: a mistyped JVM flag would stop every dyno at boot, and an archive path that drifts from
 * the one the build writes would silently lose class-data sharing.
 */
class ProcfileTest {
    private record Line(Map<String, String> env, List<String> flags, String jar) {}

    private static Line line(String process) throws Exception {
        for (var text : Files.readAllLines(Path.of("Procfile"), StandardCharsets.UTF_8)) {
            if (!text.startsWith(process + ":")) {
                continue;
            }
            var env = new LinkedHashMap<String, String>();
            var flags = new ArrayList<String>();
            String jar = null;
            var tokens = text.substring(process.length() + 1).trim().split("\\s+");
            var inJava = false;
            for (int i = 0; i < tokens.length; i++) {
                var t = tokens[i];
                if (!inJava) {
                    if (t.equals("java")) {
                        inJava = true;
                    } else {
                        var eq = t.indexOf('=');
                        assertTrue(eq > 0, "only NAME=VALUE may come before java: " + t);
                        env.put(t.substring(0, eq), t.substring(eq + 1));
                    }
                } else if (t.equals("-jar")) {
                    jar = tokens[i + 1];
                    assertEquals(i + 2, tokens.length, "nothing after the jar: the bot serves when given no command");
                    break;
                } else if (!t.equals("$JAVA_OPTS")) {
                    flags.add(t);
                }
            }
            assertTrue(inJava, process + ": runs java");
            assertTrue(
                    text.contains(" $JAVA_OPTS -jar "), process + ": $JAVA_OPTS comes last so operators can override");
            return new Line(env, flags, jar);
        }
        throw new AssertionError("Procfile has no " + process + ": line");
    }

    @Test
    void webAndWorkerRunTheSameJarWithTheSameFlags() throws Exception {
        var web = line("web");
        var worker = line("worker");
        assertEquals(web, worker);
        assertEquals("target/pinata-revoke-bot.jar", web.jar());
        assertTrue(web.flags().contains("-Dfile.encoding=UTF-8"), web.flags().toString());
        assertTrue(
                web.flags().contains("-XX:+ExitOnOutOfMemoryError"), web.flags().toString());
    }

    @Test
    void theArchiveTheProcfileMapsIsTheOneTheBuildWrites() throws Exception {
        var archive = line("web").flags().stream()
                .filter(f -> f.startsWith("-XX:SharedArchiveFile="))
                .findFirst()
                .map(f -> f.substring("-XX:SharedArchiveFile=".length()))
                .orElse(null);
        assertNotNull(archive, "the Procfile maps the class-data-sharing archive");
        var pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
        assertTrue(
                pom.contains("<argument>-XX:ArchiveClassesAtExit=" + archive + "</argument>"),
                "pom.xml's cds-archive execution writes " + archive);
        assertTrue(
                pom.contains("<argument>target/pinata-revoke-bot.jar</argument>"),
                "the archive is trained on the jar the Procfile runs (CDS checks the class path)");
    }

    @Test
    void theJvmAcceptsEveryFlag() throws Exception {
        var web = line("web");
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(web.flags());
        command.add("-version");
        var pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(web.env());
        var p = pb.start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("Unrecognized") || out.contains("Error"), out);
    }
}
