package cloud.pinata.revokebot.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Issue 12, finding 11: the training run behind the CDS archive (run by the build) listens on loopback only. Every
 * listening socket this JVM opens during the run is read from /proc, so nothing bound on another interface escapes.
 */
class CdsTrainingTest {
    /** 127.0.0.1, ::1 and ::ffff:127.0.0.1 as /proc/net/tcp{,6} write them. */
    private static final Set<String> LOOPBACK =
            Set.of("0100007F", "00000000000000000000000001000000", "0000000000000000FFFF00000100007F");

    @Test
    @EnabledOnOs(OS.LINUX)
    void theTrainingRunListensOnLoopbackOnly() throws Exception {
        var listening = ConcurrentHashMap.<String>newKeySet();
        var running = new AtomicBoolean(true);
        var watcher = new Thread(
                () -> {
                    while (running.get()) {
                        listening.addAll(listeningAddresses());
                        Thread.onSpinWait();
                    }
                },
                "listen-watcher");
        watcher.setDaemon(true);
        watcher.start();
        int status;
        try {
            status = new CdsTraining(new PrintStream(OutputStream.nullOutputStream())).run();
        } finally {
            running.set(false);
            watcher.join(5_000);
        }
        assertEquals(0, status);
        // The two stand-ins and the bot itself listened; every one of them on loopback.
        assertTrue(listening.size() >= 3, "saw the run's listening sockets: " + listening);
        for (var socket : listening) {
            assertTrue(
                    LOOPBACK.contains(socket.substring(0, socket.indexOf(':'))),
                    "listened on " + socket + ", not loopback");
        }
    }

    /** "ADDRESS:PORT" (hex, as /proc shows them) of every listening TCP socket this process holds right now. */
    private static Set<String> listeningAddresses() {
        var inodes = new HashSet<String>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    var target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing
                }
            });
        } catch (IOException e) {
            return Set.of();
        }
        var found = new HashSet<String>();
        for (var table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (var line : Files.readAllLines(Path.of(table))) {
                    var f = line.trim().split("\\s+");
                    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                    if (f.length > 9 && "0A".equals(f[3]) && inodes.contains(f[9])) {
                        found.add(f[1]);
                    }
                }
            } catch (IOException noSuchTable) {
                // no IPv6 here
            }
        }
        return found;
    }
}
