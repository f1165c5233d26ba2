package cloud.pinata.revokebot;

import static cloud.pinata.revokebot.support.BotHarness.ADMIN;
import static cloud.pinata.revokebot.support.BotHarness.CHANNEL;
import static cloud.pinata.revokebot.support.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.support.BotHarness;
import cloud.pinata.revokebot.support.LogCapture;
import cloud.pinata.revokebot.support.WholeAppTest;
import com.slack.api.app_backend.SlackSignature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests broken in any way, over a raw socket so that nothing is tidied up on the way: each gets a 4xx (never a
 * 500), leaves exactly one WARN line and no ERROR or stack trace (no one can flood the log), and changes nothing.
 */
class MalformedRequestsTest extends WholeAppTest {
    LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = new LogCapture();
    }

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    /** {@code {body}} is a signed slash command's body; {@code {len}} its length; {@code {ts}}/{@code {sig}} its signature. */
    static Stream<Arguments> malformed() {
        var form = "Content-Type: application/x-www-form-urlencoded";
        var signed = "X-Slack-Request-Timestamp: {ts}\r\nX-Slack-Signature: {sig}\r\n";
        return Stream.of(
                Arguments.of(
                        "unknown charset, signed",
                        form + "; charset=nope-9\r\n" + signed + "Content-Length: {len}\r\n",
                        "{body}"),
                Arguments.of(
                        "illegal charset name, unsigned",
                        form + "; charset=\"\u00ff\"\r\nContent-Length: {len}\r\n",
                        "{body}"),
                Arguments.of(
                        "charset ISO-8859-1, signed",
                        form + "; charset=ISO-8859-1\r\n" + signed + "Content-Length: {len}\r\n",
                        "{body}"),
                Arguments.of(
                        "empty charset, signed",
                        form + "; charset=\r\n" + signed + "Content-Length: {len}\r\n",
                        "{body}"),
                Arguments.of(
                        "Content-Length not a number", form + "\r\n" + signed + "Content-Length: many\r\n", "{body}"),
                Arguments.of("Content-Length negative", form + "\r\n" + signed + "Content-Length: -5\r\n", "{body}"),
                Arguments.of(
                        "two different Content-Lengths",
                        form + "\r\n" + signed + "Content-Length: {len}\r\nContent-Length: 3\r\n",
                        "{body}"),
                Arguments.of(
                        "broken chunked body",
                        form + "\r\n" + signed + "Transfer-Encoding: chunked\r\n",
                        "zz\r\nabc\r\n0\r\n\r\n"),
                Arguments.of(
                        "signed body with broken percent-encoding",
                        form + "\r\n" + signed + "Content-Length: {len}\r\n",
                        "{body}&text=%zz%"),
                Arguments.of(
                        "header line without a colon",
                        form + "\r\nthis is not a header\r\n" + signed + "Content-Length: {len}\r\n",
                        "{body}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRequestGets4xxAndOneWarnLineAndChangesNothing(String name, String headers, String bodyTemplate)
            throws Exception {
        h.start();
        var command = h.bodyOf(ADMIN, CHANNEL, KEY + " leaked");
        var body = bodyTemplate.replace("{body}", command);
        var ts = Long.toString(Instant.now().getEpochSecond());
        var sig = new SlackSignature.Generator(BotHarness.SIGNING_SECRET).generate(ts, body);
        var request = "POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + headers.replace("{ts}", ts)
                        .replace("{sig}", sig)
                        .replace("{len}", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length))
                + "\r\n" + body;
        var before = warnings();

        var status = rawStatus(request.getBytes(StandardCharsets.ISO_8859_1));

        assertTrue(status >= 400 && status < 500, name + " → " + status);
        // The log line may be written just after the answer: wait for it, then check it was the only one.
        await("the WARN line", () -> warnings().size() > before.size());
        var added = warnings().subList(before.size(), warnings().size());
        assertEquals(1, added.size(), "one line per refused request: " + added);
        assertTrue(added.get(0).startsWith("WARN "), added.toString());
        assertTrue(
                logs.withLevels().stream().noneMatch(l -> l.startsWith("ERROR ") || l.contains("\n\tat ")),
                "no ERROR, no stack trace: " + logs.withLevels());
        assertTrue(h.slack.calls("chat.postMessage").isEmpty(), "no card");
        assertEquals("", h.databaseDump(), "nothing stored");
    }

    private List<String> warnings() {
        return logs.withLevels().stream()
                .filter(l -> l.startsWith("WARN ") || l.startsWith("ERROR "))
                .toList();
    }

    /** Sends the bytes as they are and returns the status code of the answer (0 if the bot only closed). */
    private int rawStatus(byte[] request) throws IOException {
        try (var socket = new Socket("127.0.0.1", h.bot().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            var answer = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(answer);
            var text = answer.toString(StandardCharsets.ISO_8859_1);
            return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : 0;
        }
    }
}
