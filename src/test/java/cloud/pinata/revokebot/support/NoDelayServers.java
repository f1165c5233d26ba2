package cloud.pinata.revokebot.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import okhttp3.mockwebserver.MockWebServer;

/**
 * MockWebServer writes a response's headers and body in separate small writes; with Nagle's algorithm on the accepted
 * socket, the body then waits for the client's delayed ACK (about 40 ms on Linux). A fake serving a hundred pages
 * would spend seconds on that alone, which no real Pinata or Slack behaviour asks for. The fakes' accepted sockets
 * send at once; nothing else about the server changes.
 */
public final class NoDelayServers {
    private NoDelayServers() {}

    public static MockWebServer create() {
        var server = new MockWebServer();
        server.setServerSocketFactory(new ServerSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                return new NoDelayServerSocket();
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                var socket = new NoDelayServerSocket();
                socket.bind(new java.net.InetSocketAddress(port));
                return socket;
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) throws IOException {
                var socket = new NoDelayServerSocket();
                socket.bind(new java.net.InetSocketAddress(port), backlog);
                return socket;
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
                var socket = new NoDelayServerSocket();
                socket.bind(new java.net.InetSocketAddress(address, port), backlog);
                return socket;
            }
        });
        return server;
    }

    private static final class NoDelayServerSocket extends ServerSocket {
        NoDelayServerSocket() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            var socket = super.accept();
            socket.setTcpNoDelay(true);
            return socket;
        }
    }
}
