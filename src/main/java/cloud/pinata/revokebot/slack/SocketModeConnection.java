package cloud.pinata.revokebot.slack;

import cloud.pinata.revokebot.config.Secret;
import com.slack.api.bolt.App;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the same Bolt app from Slack's Socket Mode WebSocket, for workspaces that cannot reach a public URL.
 * Bolt skips signature checks for these requests: they come over a connection the app token opened.
 *
 * @see <a href="https://docs.slack.dev/apis/events-api/using-socket-mode">Using Socket Mode</a>
 */
public final class SocketModeConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketModeConnection.class);
    /** Java-WebSocket: one small jar, no javax.websocket container, and the version bolt-socket-mode is built against. */
    static final SocketModeClient.Backend BACKEND = SocketModeClient.Backend.JavaWebSocket;

    private final SocketModeApp socketMode;
    private volatile boolean closing;

    private SocketModeConnection(SocketModeApp socketMode) {
        this.socketMode = socketMode;
    }

    /**
     * Connects when an app token is configured, otherwise does nothing. Asks Slack for a WebSocket URL
     * ({@code apps.connections.open}) before returning, so a wrong token fails start-up; the WebSocket itself
     * opens in the background and reconnects by itself.
     */
    public static Optional<SocketModeConnection> startIfConfigured(Optional<Secret> appToken, App app) {
        if (appToken.isEmpty()) {
            return Optional.empty();
        }
        SocketModeApp socketMode;
        try {
            socketMode = new SocketModeApp(appToken.get().reveal(), BACKEND, app);
            socketMode.startAsync();
        } catch (Exception e) {
            // The SDK's messages name the Slack error (invalid_auth, …), never the token. A network failure
            // surfaces as a NullPointerException without a message, after the SDK has logged the cause.
            var why = e.getMessage() == null || e instanceof NullPointerException
                    ? "see the error logged above"
                    : e.getMessage();
            throw new IllegalStateException("Socket Mode: could not connect to Slack (" + why + ")", e);
        }
        var connection = new SocketModeConnection(socketMode);
        socketMode.getClient().addWebSocketCloseListener((code, reason) -> {
            if (!connection.closing) {
                log.info("Socket Mode: WebSocket closed (code {}, reason {}); reconnecting", code, reason);
            }
        });
        log.info("Socket Mode: connecting to Slack with the app token (backend {})", BACKEND);
        return Optional.of(connection);
    }

    /** Stops taking envelopes: no reconnection, WebSocket closed, the client's threads stopped. Leaves the Bolt app running. */
    @Override
    public void close() {
        // SocketModeApp.close() would stop the shared Bolt app and leave the client's own executors running.
        closing = true;
        var client = socketMode.getClient();
        if (client == null) {
            return;
        }
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            log.warn("Socket Mode: closing the connection failed: {}", e.toString());
        }
    }
}
