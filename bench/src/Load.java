import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The load generator: signed POSTs to /slack/events over keep-alive connections, closed loop, timed per request. */
final class Load {
    /** An HTTP answer: status and body. */
    record Resp(int status, String body) { }

    /** One connection to the bot (one per load thread). */
    interface Conn extends AutoCloseable {
        Resp post(String path, String body, String timestamp, String signature) throws IOException;

        /** Opens the connection ahead of the first request, so that connecting is not timed. */
        default void prepare() {
        }

        @Override
        void close();
    }

    /** What to send for request number {@code i}, and how to judge its answer. */
    interface Op {
        String body(int i);

        /** Called right after the answer; returns an outcome label ("ok", "busy", "error", …). */
        String judge(int i, long sentNs, Resp resp);
    }

    /** The result of one concurrency level. */
    static final class Level {
        final String name;
        final int concurrency;
        final int requested;
        final long[] latencyNs;
        int completed;
        long wallNs;
        long firstSentNs;
        long lastDoneNs;
        final java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
        int ioErrors;
        String firstError;

        Level(String name, int concurrency, int requested) {
            this.name = name;
            this.concurrency = concurrency;
            this.requested = requested;
            this.latencyNs = new long[requested];
        }

        long[] sorted() {
            var out = Arrays.copyOf(latencyNs, completed);
            Arrays.sort(out);
            return out;
        }

        double rate() {
            return wallNs == 0 ? 0 : completed / (wallNs / 1e9);
        }
    }

    private final String host = "127.0.0.1";
    private final int port;
    private final byte[] secret;
    private final boolean jdkClient;
    private final HttpClient http;

    Load(int port, String signingSecret, boolean jdkClient) {
        this.port = port;
        this.secret = signingSecret.getBytes(StandardCharsets.UTF_8);
        this.jdkClient = jdkClient;
        this.http = jdkClient ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build() : null;
    }

    Conn connect() {
        return jdkClient ? new JdkConn() : new RawConn();
    }

    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    private Mac newMac() {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Slack's v0 signature: hex HMAC-SHA256 of {@code v0:<timestamp>:<body>}. */
    String sign(String timestamp, String body) {
        var mac = macs.get();
        mac.reset();
        return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Runs {@code n} requests from {@code concurrency} threads (closed loop: each thread sends its next request when
     * the previous one is answered), stopping early at {@code deadlineNs}.
     */
    Level run(String name, int concurrency, int n, Op op, long deadlineNs) throws InterruptedException {
        var level = new Level(name, concurrency, n);
        var next = new AtomicInteger();
        var done = new AtomicInteger();
        var first = new AtomicLong(Long.MAX_VALUE);
        var last = new AtomicLong();
        var gate = new CountDownLatch(1);
        var finished = new CountDownLatch(concurrency);
        var outcomes = new java.util.concurrent.ConcurrentHashMap<String, AtomicInteger>();
        var ioErrors = new AtomicInteger();
        var firstError = new java.util.concurrent.atomic.AtomicReference<String>();
        for (int t = 0; t < concurrency; t++) {
            var thread = new Thread(() -> {
                Conn conn = connect();
                try {
                    conn.prepare();
                    gate.await();
                    int i;
                    while ((i = next.getAndIncrement()) < n && System.nanoTime() < deadlineNs) {
                        var body = op.body(i);
                        if (body == null) {
                            break; // nothing left to send (e.g. no more cards to click)
                        }
                        var ts = Long.toString(System.currentTimeMillis() / 1000);
                        var sig = sign(ts, body);
                        var t0 = System.nanoTime();
                        first.accumulateAndGet(t0, Math::min);
                        Resp resp;
                        try {
                            resp = conn.post("/slack/events", body, ts, sig);
                        } catch (IOException e) {
                            ioErrors.incrementAndGet();
                            firstError.compareAndSet(null, e.toString());
                            conn.close();
                            conn = connect();
                            continue;
                        }
                        var t1 = System.nanoTime();
                        level.latencyNs[i] = t1 - t0;
                        last.accumulateAndGet(t1, Math::max);
                        outcomes.computeIfAbsent(op.judge(i, t0, resp), k -> new AtomicInteger()).incrementAndGet();
                        done.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    conn.close();
                    finished.countDown();
                }
            }, "load-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        Thread.sleep(50); // let every thread reach the gate (and connect) before the clock starts
        gate.countDown();
        var remaining = Math.max(1, deadlineNs - System.nanoTime()) + 15_000_000_000L;
        finished.await(remaining, java.util.concurrent.TimeUnit.NANOSECONDS);
        // Latencies were written at their index; failed or skipped slots stay 0 and are dropped here.
        var compact = Arrays.stream(level.latencyNs).filter(x -> x > 0).toArray();
        System.arraycopy(compact, 0, level.latencyNs, 0, compact.length);
        level.completed = compact.length;
        level.firstSentNs = first.get() == Long.MAX_VALUE ? 0 : first.get();
        level.lastDoneNs = last.get();
        level.wallNs = level.completed == 0 ? 0 : level.lastDoneNs - level.firstSentNs;
        outcomes.forEach((k, v) -> level.outcomes.put(k, v.get()));
        level.ioErrors = ioErrors.get();
        level.firstError = firstError.get();
        return level;
    }

    /** GET on a fresh connection; status, or -1 when nothing answers. */
    static int getStatus(int port, String path, int timeoutMs) {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            s.setTcpNoDelay(true);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            var in = new BufferedInputStream(s.getInputStream());
            var line = readLine(in);
            if (line == null || !line.startsWith("HTTP/1.")) {
                return -1;
            }
            return Integer.parseInt(line.substring(9, 12));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A minimal HTTP/1.1 keep-alive client over a plain socket: cheapest for the 2 shared cores, exact timing. */
    private final class RawConn implements Conn {
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        @Override
        public void prepare() {
            try {
                if (socket == null) {
                    open();
                }
            } catch (IOException e) {
                close(); // the first request will try again and count the failure
            }
        }

        private void open() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }

        @Override
        public Resp post(String path, String body, String timestamp, String signature) throws IOException {
            if (socket == null) {
                open();
            }
            var bytes = body.getBytes(StandardCharsets.UTF_8);
            var head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Slack-Request-Timestamp: " + timestamp
                    + "\r\nX-Slack-Signature: " + signature + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
            var buf = new ByteArrayOutputStream(head.length() + bytes.length);
            buf.write(head.getBytes(StandardCharsets.US_ASCII));
            buf.write(bytes);
            out.write(buf.toByteArray());
            out.flush();
            var status = readLine(in);
            if (status == null) {
                throw new IOException("connection closed by the bot");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                var colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                var name = line.substring(0, colon).trim().toLowerCase();
                var value = line.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase().contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            var content = new ByteArrayOutputStream();
            if (chunked) {
                while (true) {
                    var sizeLine = readLine(in);
                    if (sizeLine == null) {
                        throw new IOException("truncated chunked body");
                    }
                    var semi = sizeLine.indexOf(';');
                    int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                    if (size == 0) {
                        while ((line = readLine(in)) != null && !line.isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    content.write(in.readNBytes(size));
                    readLine(in);
                }
            } else if (length > 0) {
                content.write(in.readNBytes((int) length));
            } else if (length < 0 && close) {
                content.write(in.readAllBytes());
            }
            if (close) {
                close();
            }
            return new Resp(code, content.toString(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }

    /** java.net.http.HttpClient, for comparison (--client=jdk). */
    private final class JdkConn implements Conn {
        @Override
        public Resp post(String path, String body, String timestamp, String signature) throws IOException {
            var request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Slack-Request-Timestamp", timestamp)
                    .header("X-Slack-Signature", signature)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                var r = http.send(request, HttpResponse.BodyHandlers.ofString());
                return new Resp(r.statusCode(), r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public void close() {
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                var n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** Percentile (0..100) of sorted values, nearest-rank. */
    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }
}
