package cloud.pinata.revokebot;

import cloud.pinata.revokebot.config.Config;
import cloud.pinata.revokebot.config.Version;
import cloud.pinata.revokebot.metrics.BotMetrics;
import cloud.pinata.revokebot.metrics.MeteredAuditLog;
import cloud.pinata.revokebot.pinata.KeyIndex;
import cloud.pinata.revokebot.pinata.KeyIndexer;
import cloud.pinata.revokebot.pinata.PinataClient;
import cloud.pinata.revokebot.pinata.PinataKeyService;
import cloud.pinata.revokebot.pinata.RequestBudget;
import cloud.pinata.revokebot.revocation.Leases;
import cloud.pinata.revokebot.revocation.Policy;
import cloud.pinata.revokebot.revocation.RevocationService;
import cloud.pinata.revokebot.slack.ClickFastPath;
import cloud.pinata.revokebot.slack.Jobs;
import cloud.pinata.revokebot.slack.SlackAdminDirectory;
import cloud.pinata.revokebot.slack.SlackApp;
import cloud.pinata.revokebot.slack.SlackAuth;
import cloud.pinata.revokebot.slack.SlackMessenger;
import cloud.pinata.revokebot.slack.SocketModeConnection;
import cloud.pinata.revokebot.storage.Database;
import cloud.pinata.revokebot.storage.JdbcAuditLog;
import cloud.pinata.revokebot.storage.JdbcReplayGuard;
import cloud.pinata.revokebot.storage.JdbcRequestStore;
import cloud.pinata.revokebot.web.SlackEventsHandler;
import cloud.pinata.revokebot.web.WebServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.bolt.App;
import io.javalin.Javalin;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: builds every object with {@code new}, starts serving, and stops cleanly. */
public final class PinataRevokeBot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PinataRevokeBot.class);

    private final Database database;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor notices;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService background;
    private final App app;
    private final Optional<SocketModeConnection> socketMode;
    private final Javalin web;
    private final RevocationService service;
    private final JdbcAuditLog audit;
    private final JdbcRequestStore requests;
    private final PinataKeyService pinata;
    private final RequestBudget budget;
    private final Tuning tuning;

    private PinataRevokeBot(
            Database database,
            ThreadPoolExecutor workers,
            ThreadPoolExecutor notices,
            ScheduledExecutorService scheduler,
            ScheduledExecutorService background,
            App app,
            Optional<SocketModeConnection> socketMode,
            Javalin web,
            RevocationService service,
            JdbcAuditLog audit,
            JdbcRequestStore requests,
            PinataKeyService pinata,
            RequestBudget budget,
            Tuning tuning) {
        this.tuning = tuning;
        this.background = background;
        this.pinata = pinata;
        this.budget = budget;
        this.database = database;
        this.workers = workers;
        this.notices = notices;
        this.scheduler = scheduler;
        this.app = app;
        this.socketMode = socketMode;
        this.web = web;
        this.service = service;
        this.audit = audit;
        this.requests = requests;
    }

    /** Opens the database, builds the app and serves on {@code config.port()} (0 picks a free port). */
    public static PinataRevokeBot start(Config config, Clock clock) {
        return start(config, clock, Tuning.production());
    }

    public static PinataRevokeBot start(Config config, Clock clock, Tuning tuning) {
        if (config.botPinataKey().isEmpty()) {
            log.warn(
                    "PINATA_ADMIN_JWT carries no scopedKeyKey: the bot cannot recognise its own key and will not refuse to revoke it");
        }
        var pending = new AtomicReference<JdbcRequestStore>();
        var metrics = new BotMetrics(
                () -> pending.get() == null ? Double.NaN : pending.get().countPending());
        // The database and the web server start on their own threads while this one builds the clients (StartUp).
        var startUp = StartUp.begin(config, tuning, clock, metrics);
        try {
            var http = new OkHttpClient.Builder()
                    .connectTimeout(tuning.pinataConnectTimeout())
                    .readTimeout(tuning.pinataReadTimeout())
                    .writeTimeout(tuning.pinataReadTimeout())
                    .callTimeout(tuning.pinataConnectTimeout()
                            .plus(tuning.pinataReadTimeout())
                            .plusSeconds(2))
                    .retryOnConnectionFailure(false)
                    .addInterceptor(metrics.pinataTimer())
                    .build();
            // One budget for every Pinata call of this process; the index builds itself in the background within it.
            var budget = new RequestBudget(config.pinataRateLimit(), clock, tuning.sleeper());
            var pinataClient = new PinataClient(
                    http, HttpUrl.get(config.pinataApiUrl()), config.pinataAdminJwt(), new ObjectMapper(), budget);
            var index = new KeyIndex(pinataClient, clock, tuning.indexFreshFor(), 1_000);
            var pinata = new PinataKeyService(
                    pinataClient, index, tuning.pinataRetry(), tuning.sleeper(), clock, tuning.waitForIndex());
            // Index rebuilds take one thread at a time; lease renewals always find another free.
            var background = Executors.newScheduledThreadPool(3, named("pinata-index"));
            KeyIndexer.start(index, background, tuning.indexRebuildEvery());

            var slack = SlackApp.client(config.slackApiUrl());
            var methods = SlackApp.methods(slack, config.slackBotToken().reveal());
            var messenger = new SlackMessenger(
                    slack,
                    methods,
                    tuning.slackRetry(),
                    tuning.sleeper(),
                    config.adminNotify().usergroup());
            var admins = new SlackAdminDirectory(methods, config.adminUsergroups(), clock);
            var policy = new Policy(
                    config.allowedChannels(), config.confirmTtl(), config.requireSecondAdmin(), config.botPinataKey());

            // auth.test needs no database: it runs before start-up waits for the database. While Slack cannot be
            // reached it is retried (and /health says so); a token Slack rejects ends start-up
            // (SlackAuth.TokenRejected),
            // and so does a database that failed to open meanwhile.
            // Real time, even in tests: Slack being away is measured in seconds of the wall clock.
            var auth = SlackAuth.await(
                    methods,
                    SlackAuth.backoff(tuning.slackRetry()),
                    d -> Thread.sleep(d.toMillis()),
                    startUp::slackWaiting);
            startUp.slackReady();
            var app = SlackApp.create(config, slack, auth);

            var database = startUp.database();
            var requests = new JdbcRequestStore(database.dataSource());
            var audit = new JdbcAuditLog(database.dataSource());
            pending.set(requests);
            var ids = randomIds();
            // This process's owner token for the leases it holds on REVOKING requests.
            var leases = new Leases(requests, clock, "instance-" + ids.get(), background, tuning.leaseRenewEvery());
            var service = new RevocationService(
                    policy,
                    admins,
                    pinata,
                    requests,
                    new MeteredAuditLog(audit, metrics),
                    messenger,
                    clock,
                    ids,
                    () -> tuning.sleeper().sleep(tuning.bulkPacing()),
                    leases);

            var workers = new ThreadPoolExecutor(
                    tuning.workers(),
                    tuning.workers(),
                    60,
                    TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(tuning.queue()),
                    named("revoke-worker"));
            // "Overloaded" notices for clicks the workers' queue refused: a few threads and a queue as long as the
            // workers' (each notice is one small Slack call), so every refused clicker is told; past that, the
            // notice is dropped with a warning (the click itself changed nothing).
            var notices = new ThreadPoolExecutor(
                    4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(tuning.queue()), named("notice"));
            var jobs = new Jobs(workers, notices, messenger);
            var cardButtons = SlackApp.cardButtons(service, jobs);
            SlackApp.listen(app, service, jobs, cardButtons);
            app.start();
            // With SLACK_APP_TOKEN the same app also takes envelopes over Socket Mode; HTTP keeps serving.
            var socketMode = SocketModeConnection.startIfConfigured(config.slackAppToken(), app);

            Javalin web;
            try {
                web = startUp.web();
            } catch (RuntimeException | Error e) {
                socketMode.ifPresent(SocketModeConnection::close);
                throw e;
            }
            // Signatures are judged by the wall clock, as Slack stamps them (and as Bolt checks them again).
            var replays = new JdbcReplayGuard(database.dataSource(), Clock.systemUTC());
            startUp.ready(new SlackEventsHandler(
                    app, new ClickFastPath(cardButtons), metrics, replays::firstUse, Clock.systemUTC()));
            var scheduler = BackgroundWork.start(service, index, tuning.sweepEvery(), named("expiry-sweep"));

            log.info(
                    "pinata-revoke-bot {} listening on port {} (database: {})",
                    Version.current(),
                    web.port(),
                    config.database().where());
            return new PinataRevokeBot(
                    database,
                    workers,
                    notices,
                    scheduler,
                    background,
                    app,
                    socketMode,
                    web,
                    service,
                    audit,
                    requests,
                    pinata,
                    budget,
                    tuning);
        } catch (RuntimeException e) {
            throw startUp.abandon(e);
        } catch (Error e) {
            throw startUp.abandon(e);
        }
    }

    /** 128-bit random hex: request ids and this process's lease owner token. */
    private static Supplier<String> randomIds() {
        var random = new SecureRandom();
        return () -> {
            var bytes = new byte[16];
            random.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        };
    }

    public int port() {
        return web.port();
    }

    /** The port of {@code /metrics} and {@code /health} on 127.0.0.1, when MANAGEMENT_PORT is set. */
    public java.util.OptionalInt managementPort() {
        return WebServer.managementPort(web);
    }

    public RevocationService service() {
        return service;
    }

    public JdbcAuditLog audit() {
        return audit;
    }

    public JdbcRequestStore requests() {
        return requests;
    }

    /** The key index and revoke calls (tests and benchmarks read what it knows). */
    public PinataKeyService pinata() {
        return pinata;
    }

    /** Pinata requests this process has sent (or is about to), by its own count. */
    public long pinataRequestsSpent() {
        return budget.spent();
    }

    /**
     * Stops taking requests and lets in-flight work finish (up to the tuning's shutdown grace, 20 s); work still
     * running then is handed over (its leases given up, its cards saying it was interrupted) before the database
     * closes, so that the next sweep of any instance settles it by evidence.
     */
    @Override
    public void close() {
        web.stop();
        socketMode.ifPresent(SocketModeConnection::close);
        scheduler.shutdownNow();
        workers.shutdown();
        background.shutdownNow();
        notices.shutdown();
        try {
            if (!workers.awaitTermination(tuning.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                var handed = service.interruptInFlight(tuning.sweepEvery());
                log.warn(
                        "Workers still busy after {} s; {} in-flight revocation(s) handed over to the next sweep",
                        tuning.shutdownGrace().toSeconds(),
                        handed);
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        database.close();
    }

    private static ThreadFactory named(String prefix) {
        var n = new AtomicInteger();
        return r -> {
            var t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
