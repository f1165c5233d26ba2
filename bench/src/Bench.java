import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark of the real pinata-revoke-bot jar: start-up, ack latency, end-to-end throughput and memory,
 * against the fakes in {@link Fakes}, driven by {@link Load}. Run from the project root (bench/run.sh does).
 */
public final class Bench {
    // ---- options (see usage()) ----
    int starts = 5;
    int perLevel = 2000;
    int[] levels = {1, 20, 200};
    int warmupCommands = 1500;
    int warmupClicks = 1000;
    int tpCommands = 2500;
    int tpConfirms = 2500;
    int fakeThreads = 32;
    boolean jdkClient;
    boolean jfr;
    boolean startupOnly;
    List<String> extraBotFlags = List.of();
    Map<String, String> extraBotEnv = new LinkedHashMap<>();
    /** NAME=VALUE assignments in front of {@code java} on the Procfile's web: line (e.g. MALLOC_ARENA_MAX). */
    final Map<String, String> procfileEnv = new LinkedHashMap<>();
    int waitQuietSeconds = 30;
    boolean fixed;
    /** Realistic mode (issue 9): delays, a 1,000-key organisation and Pinata's free-plan rate limit; see Realistic. */
    boolean realistic;
    boolean hardLimitGiven;
    double levelSeconds = 12;
    double throughputSeconds = 20;
    double warmupSeconds = 8;
    double ackOnlySeconds;
    String jar;
    int hardLimitSeconds = 420;
    long phaseSeconds = 60;

    // ---- state ----
    final String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
    final Path root = Path.of("").toAbsolutePath();
    final Path results = root.resolve("bench/results");
    final String signingSecret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    final AtomicInteger seq = new AtomicInteger();
    final Map<String, Object> json = new LinkedHashMap<>();
    private final List<String[]> table = new ArrayList<>();
    private final List<Boolean> verdicts = new ArrayList<>();
    Fakes fakes;
    volatile Process bot;
    Path tmp;

    public static void main(String[] args) throws Exception {
        var b = new Bench();
        b.parse(args);
        int rc;
        try {
            rc = b.run();
        } catch (Exception e) {
            e.printStackTrace();
            rc = 1;
        }
        System.exit(rc);
    }

    private void parse(String[] args) {
        for (var a : args) {
            var eq = a.indexOf('=');
            var k = eq < 0 ? a : a.substring(0, eq);
            var v = eq < 0 ? "" : a.substring(eq + 1);
            switch (k) {
                case "--quick" -> {
                    starts = 2;
                    perLevel = 300;
                    warmupCommands = 200;
                    warmupClicks = 100;
                    tpCommands = 600;
                    tpConfirms = 300;
                }
                case "--starts" -> starts = Integer.parseInt(v);
                case "--n" -> perLevel = Integer.parseInt(v);
                case "--levels" -> levels = java.util.Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--warmup-commands" -> warmupCommands = Integer.parseInt(v);
                case "--warmup-clicks" -> warmupClicks = Integer.parseInt(v);
                case "--tp-commands" -> tpCommands = Integer.parseInt(v);
                case "--tp-confirms" -> tpConfirms = Integer.parseInt(v);
                case "--fake-threads" -> fakeThreads = Integer.parseInt(v);
                case "--client" -> jdkClient = v.equals("jdk");
                case "--jfr" -> jfr = true;
                case "--startup-only" -> startupOnly = true;
                case "--wait-quiet" -> waitQuietSeconds = Integer.parseInt(v);
                case "--fixed" -> fixed = true;
                case "--realistic" -> realistic = true;
                case "--bot-env" -> {
                    var kv = v.split("=", 2);
                    extraBotEnv.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
                case "--ack-only-seconds" -> ackOnlySeconds = Double.parseDouble(v);
                case "--level-seconds" -> levelSeconds = Double.parseDouble(v);
                case "--throughput-seconds" -> throughputSeconds = Double.parseDouble(v);
                case "--bot-flags" -> extraBotFlags = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                case "--jar" -> jar = v;
                case "--hard-limit" -> {
                    hardLimitSeconds = Integer.parseInt(v);
                    hardLimitGiven = true;
                }
                case "-h", "--help" -> {
                    usage();
                    System.exit(0);
                }
                default -> {
                    System.err.println("unknown option " + a);
                    usage();
                    System.exit(2);
                }
            }
        }
    }

    private static void usage() {
        System.err.println("""
                usage: bench/run.sh [options]
                  --quick                 small counts, for a smoke test (~1 min)
                  --realistic             realistic mode (issue 9, ~10 min): Slack answers in 100 ms, Pinata in 150 ms,
                                          1,000 keys, 60 requests per rolling minute enforced by the fake Pinata;
                                          latencies and Pinata requests per revocation (bench/README.md)
                  --starts=N              cold start-ups to measure (default 5)
                  --n=N                   requests per concurrency level, at most (default 2000; see --fixed)
                  --levels=1,20,200       concurrency levels
                  --warmup-commands=N     warm-up commands (default 1500), --warmup-clicks=N (default 1000); each stops after 8 s
                  --tp-commands=N         commands in the throughput run at c=20 (default 2500)
                  --tp-confirms=N         confirm clicks in the throughput run at c=20 (default 2500)
                  --fixed                 use the counts above as they are; by default each level is cut to what
                                          the bot processes end to end in --level-seconds (12) / --throughput-seconds
                                          (20) at the rate measured in warm-up (min 300), to keep the run < 5 min
                  --client=raw|jdk        load client: raw sockets (default) or java.net.http.HttpClient
                  --jfr                   record a JFR profile of the bot under load (bench/results/<stamp>-bot.jfr);
                                          with --startup-only, of each start-up (<stamp>-start-N.jfr)
                  --startup-only          measure the cold start-ups only
                  --ack-only-seconds=S    diagnostic: only `/pinata-revoke help` at c=20 for S seconds after 5 s of warm-up
                                          (the ack path without the revoke work behind it; combine with --jfr)
                  --bot-flags="-X… -X…"   extra JVM flags for the bot, after the Procfile's (experiments only)
                  --bot-env=NAME=VALUE    extra environment variable for the bot (repeatable; experiments only)
                  --jar=PATH              jar to run (default: the one named in Procfile)
                  --wait-quiet=SECONDS    before starting, wait up to this long for other processes to use < 0.2 cores
                                          (default 30; the run goes ahead anyway and reports what else ran)
                  --hard-limit=SECONDS    kill everything and fail after this long (default 420; --realistic: 840)""");
    }

    // =====================================================================================================

    private int run() throws Exception {
        Files.createDirectories(results);
        tmp = Files.createTempDirectory("revoke-bench");
        if (realistic && !hardLimitGiven) {
            hardLimitSeconds = Realistic.HARD_LIMIT_SECONDS;
        }
        var hardDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(hardLimitSeconds);
        var watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(hardLimitSeconds));
                System.err.println("bench: hard time limit of " + hardLimitSeconds + " s reached; stopping everything");
                var p = bot;
                if (p != null) {
                    p.destroyForcibly();
                }
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException ignored) {
                // finished in time
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            var p = bot;
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }));

        var procfile = procfile();
        procfileEnv.putAll(procfile.env);
        var flags = new ArrayList<>(procfile.flags);
        flags.addAll(extraBotFlags);
        var jarPath = jar != null ? jar : procfile.jar;
        if (!Files.isRegularFile(root.resolve(jarPath))) {
            throw new IllegalStateException("jar not found: " + jarPath + " (bench/run.sh builds it)");
        }
        var quiet = waitQuiet();
        json.put("before_run_other_processes_cores", quiet);
        var runCpu = cpuNow();
        fakes = realistic ? new Fakes(fakeThreads, Realistic.FAKES) : new Fakes(fakeThreads);
        log("fakes: slack " + fakes.slackApiUrl() + ", pinata " + fakes.pinataUrl());
        log("bot JVM flags (Procfile web:, without $JAVA_OPTS): " + String.join(" ", flags)
                + (procfileEnv.isEmpty() ? "" : "; environment from the Procfile: " + procfileEnv));

        json.put("timestamp", stamp);
        json.put("machine", machine());
        var cfg = new LinkedHashMap<String, Object>();
        cfg.put("jar", jarPath);
        cfg.put("jar_built", Files.getLastModifiedTime(root.resolve(jarPath)).toInstant().toString());
        cfg.put("jar_sha256", sha256(root.resolve(jarPath)));
        cfg.put("git", git());
        cfg.put("jvm_flags", flags);
        cfg.put("extra_bot_flags", extraBotFlags);
        cfg.put("extra_bot_env", extraBotEnv);
        cfg.put("procfile_env", procfileEnv);
        cfg.put("jfr", jfr);
        cfg.put("starts", starts);
        cfg.put("requests_per_level", perLevel);
        cfg.put("levels", java.util.Arrays.stream(levels).boxed().toList());
        cfg.put("warmup_commands", warmupCommands);
        cfg.put("warmup_clicks", warmupClicks);
        cfg.put("throughput_commands", tpCommands);
        cfg.put("throughput_confirms", tpConfirms);
        cfg.put("load_client", jdkClient ? "java.net.http.HttpClient" : "raw sockets, HTTP/1.1 keep-alive");
        cfg.put("fake_threads", fakeThreads);
        json.put("config", cfg);

        try {
            if (realistic) {
                cfg.put("mode", "realistic");
                return new Realistic(this, flags, jarPath).run(runCpu);
            }
            // ---------------- 1. cold start-ups ----------------
            var startupMs = new ArrayList<Double>();
            var startupRssKb = new ArrayList<Long>();
            var startupCpu = new ArrayList<Double>();
            var shutdownMs = new ArrayList<Double>();
            var startLog = results.resolve(stamp + "-startup.log");
            for (int k = 0; k < starts; k++) {
                var s = startBot(flags, jarPath, freshDb("start-" + k), startLog,
                        startupOnly && jfr ? results.resolve(stamp + "-start-" + (k + 1) + ".jfr") : null);
                startupMs.add(s.ms);
                startupCpu.add(Proc.cpuSeconds(s.process.toHandle()));
                startupRssKb.add(Proc.status(s.process.pid()).getOrDefault("VmRSS", -1L));
                shutdownMs.add(stopBot(s.process));
                log(String.format("cold start %d: %.0f ms to /health 200 (bot CPU %.2f s, RSS %d MB)", k + 1, s.ms,
                        startupCpu.get(k), startupRssKb.get(k) / 1024));
            }
            var startup = new LinkedHashMap<String, Object>();
            startup.put("runs_ms", startupMs);
            startup.put("median_ms", median(startupMs));
            startup.put("min_ms", startupMs.stream().mapToDouble(d -> d).min().orElse(0));
            startup.put("max_ms", startupMs.stream().mapToDouble(d -> d).max().orElse(0));
            startup.put("cpu_s_at_health", startupCpu);
            startup.put("rss_at_health_kb", startupRssKb);
            startup.put("shutdown_ms", shutdownMs);
            json.put("startup", startup);
            json.put("startup_cpu", cpuSince(runCpu));
            if (startupOnly) {
                Files.writeString(results.resolve(stamp + "-startup.json"), Json.write(json));
                System.out.printf("%nstart-up to /health 200 (cold, median of %d): %.0f ms, runs %s%n", starts,
                        (double) startup.get("median_ms"), startupMs);
                return 0;
            }

            // ---------------- 2. the instance under load ----------------
            var botLog = results.resolve(stamp + "-bot.log");
            var main = startBot(flags, jarPath, freshDb("main"), botLog, jfr ? results.resolve(stamp + "-bot.jfr") : null);
            var pid = main.process.pid();
            log(String.format("bot under test: pid %d, up in %.0f ms", pid, main.ms));
            Thread.sleep(2000);
            var memory = new LinkedHashMap<String, Object>();
            memory.put("idle_after_start", Proc.memory(pid));
            var sampler = new Sampler(pid);
            sampler.start();
            var load = new Load(main.port, signingSecret, jdkClient);
            var acks = new LinkedHashMap<String, Object>();
            var cmdAcks = new LinkedHashMap<String, Object>();
            var clickAcks = new LinkedHashMap<String, Object>();
            var e2e = new LinkedHashMap<String, Object>();
            var cpu = new LinkedHashMap<String, Object>();
            acks.put("command", cmdAcks);
            acks.put("confirm", clickAcks);

            if (ackOnlySeconds > 0) {
                helpCommands(load, "help warm-up", 20, 1_000_000, cpu, 5);
                var h = helpCommands(load, "help c=20 (ack-only)", 20, 10_000_000, cpu, ackOnlySeconds);
                json.put("ack_only_help_c20", h);
                memory.put("after", Proc.memory(pid));
                json.put("memory", memory);
                json.put("main_instance_shutdown_ms", stopBot(main.process));
                var out = results.resolve(stamp + "-ack-only.json");
                Files.writeString(out, Json.write(json));
                System.out.println("results: " + root.relativize(out) + (jfr ? "   profile: bench/results/" + stamp + "-bot.jfr" : ""));
                return 0;
            }
            // warm-up (not reported except for sanity)
            sampler.phase = "warmup";
            var w1 = commands(load, "warmup commands", 20, warmupCommands, cpu, warmupSeconds);
            var w2 = confirms(load, "warmup confirms", 20, Math.min(warmupClicks, fakes.readyCards.size()), cpu, warmupSeconds);
            var warm = new LinkedHashMap<String, Object>();
            warm.put("commands", w1);
            warm.put("confirms", w2);
            json.put("warmup", warm);
            var cmdRate = (double) ((Map<?, ?>) w1.get("end_to_end")).get("cards_per_s");
            var clickRate = (double) ((Map<?, ?>) w2.get("end_to_end")).get("confirmations_per_s");
            var nCmd = size(perLevel, cmdRate, levelSeconds);
            var nClick = size(perLevel, clickRate, levelSeconds);
            var nTpCmd = size(tpCommands, cmdRate, throughputSeconds);
            var nTpClick = size(tpConfirms, clickRate, throughputSeconds);
            var sizing = new LinkedHashMap<String, Object>();
            sizing.put("adaptive", !fixed);
            sizing.put("warmup_cards_per_s", cmdRate);
            sizing.put("warmup_confirmations_per_s", clickRate);
            sizing.put("commands_per_level", nCmd);
            sizing.put("confirms_per_level", nClick);
            sizing.put("throughput_commands", nTpCmd);
            sizing.put("throughput_confirms", nTpClick);
            json.put("sizing", sizing);
            log("sizing: " + sizing);

            // command acks per level
            for (var c : levels) {
                sampler.phase = "commands c=" + c;
                cmdAcks.put("c" + c, commands(load, "commands c=" + c, c, nCmd, cpu, phaseSeconds));
            }
            // diagnostic: the ack path alone (help is answered inside the ack; only an audit row follows)
            sampler.phase = "help c=20";
            var help = helpCommands(load, "help c=20 (ack-only)", 20, nCmd * 2, cpu);
            json.put("ack_only_help_c20", help);
            // command throughput at c=20
            sampler.phase = "commands throughput";
            var tpc = commands(load, "commands throughput c=20", 20, nTpCmd, cpu, phaseSeconds);
            // every click needs its own pending card
            var needed = nClick * levels.length + nTpClick;
            if (fakes.readyCards.size() < needed) {
                sampler.phase = "more cards";
                commands(load, "more cards (not measured)", 20, needed - fakes.readyCards.size(), cpu, phaseSeconds);
            }
            e2e.put("commands", tpc);
            // confirm acks per level
            for (var c : levels) {
                sampler.phase = "confirms c=" + c;
                clickAcks.put("c" + c, confirms(load, "confirms c=" + c, c, nClick, cpu, phaseSeconds));
            }
            sampler.phase = "confirms throughput";
            var tpk = confirms(load, "confirms throughput c=20", 20, nTpClick, cpu, phaseSeconds);
            e2e.put("confirms", tpk);
            memory.put("heap_at_end_of_load", jcmd(pid, "GC.heap_info"));
            if (flags.stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking"))) {
                memory.put("native_memory_at_end_of_load", jcmd(pid, "VM.native_memory summary").stream()
                        .filter(l -> l.startsWith("-") || l.startsWith("Total") || l.contains("committed=")).toList());
            }
            sampler.phase = "idle";
            Thread.sleep(3000);
            sampler.stop();
            memory.put("idle_after_load", Proc.memory(pid));
            memory.put("peak_sampled_rss_kb", sampler.maxRss);
            memory.put("peak_sampled_rss_by_phase_kb", sampler.byPhase);
            memory.put("max_threads", sampler.maxThreads);
            var finalStatus = Proc.memory(pid);
            memory.put("vmhwm_kb_at_end", finalStatus.get("VmHWM"));
            // After every RSS figure is taken: GC.class_histogram forces a full collection, so the heap_info that
            // follows shows the live set (what -Xmx must hold), and the histogram what it is made of.
            memory.put("class_histogram_top_after_full_gc", jcmd(pid, "GC.class_histogram").stream().limit(23).toList());
            memory.put("heap_after_full_gc", jcmd(pid, "GC.heap_info"));
            json.put("ack_latency", acks);
            json.put("end_to_end", e2e);
            json.put("memory", memory);
            json.put("cpu", cpu);
            json.put("bot_total_cpu_s", Proc.cpuSeconds(main.process.toHandle()));
            json.put("bench_total_cpu_s", Proc.cpuSeconds(ProcessHandle.current()));
            json.put("main_instance_startup_ms", main.ms);
            json.put("main_instance_shutdown_ms", stopBot(main.process));
            json.put("fake_calls", fakes.callCounts());
            json.put("fake_unmatched_calls", fakes.unmatched.sum());
            json.put("fake_samples_of_unexpected_messages", new ArrayList<>(fakes.samples));
            json.put("bot_log", Map.of("file", root.relativize(botLog).toString(), "warn_lines", countLines(botLog, " WARN "),
                    "error_lines", countLines(botLog, " ERROR "), "first_problems", firstProblems(botLog)));
            if (jfr) {
                json.put("jfr_file", root.relativize(results.resolve(stamp + "-bot.jfr")).toString());
            }

            var whole = cpuSince(runCpu);
            json.put("whole_run_cpu", whole);
            // ---------------- report ----------------
            report(startup, cmdAcks, clickAcks, tpc, tpk, memory);
            var out = results.resolve(stamp + ".json");
            Files.writeString(out, Json.write(json));
            System.out.println();
            System.out.println("results: " + root.relativize(out) + "   bot log: " + root.relativize(botLog)
                    + (jfr ? "   profile: bench/results/" + stamp + "-bot.jfr" : ""));
            return 0;
        } finally {
            var p = bot;
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            fakes.close();
            deleteTree(tmp);
            if (System.nanoTime() > hardDeadline) {
                System.err.println("bench: ran past its time budget");
            }
        }
    }

    // ---------------- phases ----------------

    /** Slash commands at concurrency {@code c}; then waits for every card. */
    private Map<String, Object> commands(Load load, String name, int c, int n, Map<String, Object> cpu, double sendSeconds)
            throws Exception {
        // The evidence rules refuse a key that no listing shows active: the phase's keys exist in Pinata first.
        var reqs = newKeys(load, n);
        var cardsBefore = fakes.cardsPosted.get();
        var busyBefore = fakes.busyReplies.sum();
        var refusedBefore = fakes.refusals.sum();
        var cpuBefore = cpuNow();
        var op = new Load.Op() {
            @Override
            public String body(int i) {
                return commandBody(reqs[i], reqs[i].key + " benchmark run " + stamp + " request " + reqs[i].seq);
            }

            @Override
            public String judge(int i, long sentNs, Load.Resp resp) {
                reqs[i].cmdSentNs = sentNs;
                if (resp.status() != 200) {
                    sample(name, resp);
                    return "http_" + resp.status();
                }
                if (resp.body().contains("Checking your request")) {
                    return "ok";
                }
                if (resp.body().contains("overloaded")) {
                    return "busy";
                }
                sample(name, resp);
                return "unexpected_body";
            }
        };
        var level = load.run(name, c, n, op, System.nanoTime() + (long) (sendSeconds * 1e9));
        var expected = level.outcomes.getOrDefault("ok", 0);
        var drainStart = System.nanoTime();
        var drained = awaitCount(() -> fakes.cardsPosted.get() - cardsBefore >= expected, phaseSeconds);
        var drainNs = System.nanoTime() - drainStart;
        var out = ackStats(level);
        // end to end: command sent → card posted
        var lat = new ArrayList<Long>();
        long lastCard = 0;
        for (var r : reqs) {
            if (r != null && r.cardNs != 0 && r.cmdSentNs != 0) {
                lat.add(r.cardNs - r.cmdSentNs);
                lastCard = Math.max(lastCard, r.cardNs);
            }
        }
        var e2e = new LinkedHashMap<String, Object>();
        e2e.put("cards_posted", lat.size());
        e2e.put("cards_expected", expected);
        e2e.put("all_posted", drained);
        e2e.put("drain_after_last_ack_ms", ms(drainNs));
        var window = lastCard - level.firstSentNs;
        e2e.put("cards_per_s", window > 0 ? lat.size() / (window / 1e9) : 0.0);
        e2e.put("command_to_card_ms", dist(lat));
        out.put("end_to_end", e2e);
        out.put("busy_replies_seen_by_fakes", fakes.busyReplies.sum() - busyBefore);
        out.put("refused_not_active_key", fakes.refusals.sum() - refusedBefore);
        var used = cpuSince(cpuBefore);
        used.put("bot_cpu_ms_per_command", lat.isEmpty() ? 0.0 : (double) used.get("bot_cpu_s") * 1000 / lat.size());
        used.put("bench_cpu_ms_per_command", lat.isEmpty() ? 0.0 : (double) used.get("bench_cpu_s") * 1000 / lat.size());
        cpu.put(name, used);
        out.put("cpu", used);
        log(cpuText(used));
        log(String.format("%-28s %5d sent  %7.0f acks/s  p50 %6.1f  p99 %7.1f  max %7.1f ms  %s  cards %d/%d (%.0f/s, p99 %.0f ms)%s",
                name, level.completed, level.rate(), ms(Load.pct(level.sorted(), 50)), ms(Load.pct(level.sorted(), 99)),
                ms(Load.pct(level.sorted(), 100)), level.outcomes, lat.size(), expected, (double) e2e.get("cards_per_s"),
                (double) ((Map<?, ?>) e2e.get("command_to_card_ms")).get("p99"),
                fakes.refusals.sum() > refusedBefore ? "  REFUSED (not an active key) " + (fakes.refusals.sum() - refusedBefore) : ""));
        return out;
    }

    /**
     * {@code n} new keys, one per command, added to the fake Pinata's organisation as its newest keys (each command has
     * its own channel and key), then one unmeasured command with one more new key: the bot's index reads new keys
     * from the front of the list at most once per 10 s, so this primer is repeated (bounded) until it gets its card,
     * and the measured commands then find their keys in the index.
     */
    Fakes.Req[] newKeys(Load load, int n) throws Exception {
        var reqs = new Fakes.Req[n];
        var ids = new ArrayList<String[]>(n + 1);
        for (int i = 0; i <= n; i++) {
            var s = seq.incrementAndGet();
            var r = new Fakes.Req(s, String.format("CB%07d", s), String.format("be%018x", s));
            fakes.byChannel.put(r.channel, r);
            fakes.byKey.put(r.key, r);
            ids.add(new String[]{r.key, "bench-" + s});
            if (i < n) {
                reqs[i] = r;
            } else {
                fakes.org.add(ids, false, false);
                prime(load, r);
            }
        }
        return reqs;
    }

    /** Sends the command for {@code r} until its card is posted: at most 20 tries within 30 s. */
    private void prime(Load load, Fakes.Req r) throws Exception {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (var conn = load.connect()) {
            for (int attempt = 1; attempt <= 20 && System.nanoTime() < deadline; attempt++) {
                r.refusedNs = 0;
                var body = commandBody(r, r.key + " index primer " + stamp);
                var ts = Long.toString(System.currentTimeMillis() / 1000);
                r.cmdSentNs = System.nanoTime();
                conn.post("/slack/events", body, ts, load.sign(ts, body));
                if (awaitCount(() -> r.cardNs != 0 || r.refusedNs != 0, 10) && r.cardNs != 0) {
                    return;
                }
                Thread.sleep(1000);
            }
        }
        log("WARNING: the primer command got no card within 30 s; the phase's keys may be refused");
    }

    /** A signed-ready slash command form for request {@code r} with the given text. */
    String commandBody(Fakes.Req r, String text) {
        var form = new LinkedHashMap<String, String>();
        form.put("token", "legacy-verification-token");
        form.put("team_id", Fakes.TEAM);
        form.put("team_domain", "bench");
        form.put("channel_id", r.channel);
        form.put("channel_name", "inc-bench");
        form.put("user_id", Fakes.ADMIN);
        form.put("user_name", "admin1");
        form.put("command", "/pinata-revoke");
        form.put("text", text);
        form.put("api_app_id", "A0BENCH");
        form.put("is_enterprise_install", "false");
        form.put("response_url", fakes.responseUrl("cmd-" + r.seq));
        form.put("trigger_id", "1." + r.seq + ".bench");
        return formBody(form);
    }

    /** {@code /pinata-revoke help}: the ack path without the revoke work behind it (only an audit insert follows). */
    private Map<String, Object> helpCommands(Load load, String name, int c, int n, Map<String, Object> cpu) throws Exception {
        return helpCommands(load, name, c, n, cpu, phaseSeconds);
    }

    private Map<String, Object> helpCommands(Load load, String name, int c, int n, Map<String, Object> cpu, double seconds)
            throws Exception {
        var cpuBefore = cpuNow();
        var op = new Load.Op() {
            @Override
            public String body(int i) {
                var s = seq.incrementAndGet();
                var form = new LinkedHashMap<String, String>();
                form.put("token", "legacy-verification-token");
                form.put("team_id", Fakes.TEAM);
                form.put("team_domain", "bench");
                form.put("channel_id", String.format("CB%07d", s));
                form.put("channel_name", "inc-bench");
                form.put("user_id", Fakes.ADMIN);
                form.put("user_name", "admin1");
                form.put("command", "/pinata-revoke");
                form.put("text", "help");
                form.put("api_app_id", "A0BENCH");
                form.put("is_enterprise_install", "false");
                form.put("response_url", fakes.responseUrl("help-" + s));
                form.put("trigger_id", "1." + s + ".bench");
                return formBody(form);
            }

            @Override
            public String judge(int i, long sentNs, Load.Resp resp) {
                if (resp.status() == 200 && resp.body().contains("Usage")) {
                    return "ok";
                }
                sample(name, resp);
                return resp.status() == 200 ? "unexpected_body" : "http_" + resp.status();
            }
        };
        var level = load.run(name, c, n, op, System.nanoTime() + (long) (seconds * 1e9));
        Thread.sleep(500); // the audit rows behind it
        var out = ackStats(level);
        var used = cpuSince(cpuBefore);
        used.put("bot_cpu_ms_per_command", level.completed == 0 ? 0.0 : (double) used.get("bot_cpu_s") * 1000 / level.completed);
        out.put("cpu", used);
        cpu.put(name, used);
        log(cpuText(used));
        log(String.format("%-28s %5d sent  %7.0f acks/s  p50 %6.1f  p99 %7.1f  max %7.1f ms  %s  bot CPU %.2f ms/command",
                name, level.completed, level.rate(), ms(Load.pct(level.sorted(), 50)), ms(Load.pct(level.sorted(), 99)),
                ms(Load.pct(level.sorted(), 100)), level.outcomes, (double) used.get("bot_cpu_ms_per_command")));
        return out;
    }

    /** Revoke clicks (one per pending card) at concurrency {@code c}; then waits for each to be fully processed. */
    private Map<String, Object> confirms(Load load, String name, int c, int n, Map<String, Object> cpu, double sendSeconds)
            throws Exception {
        var reqs = new Fakes.Req[n];
        var doneBefore = fakes.confirmsDone.get();
        var busyBefore = fakes.busyReplies.sum();
        var cpuBefore = cpuNow();
        var op = new Load.Op() {
            @Override
            public String body(int i) {
                var r = fakes.readyCards.poll();
                if (r == null) {
                    return null;
                }
                reqs[i] = r;
                var payload = "{\"type\":\"block_actions\",\"team\":{\"id\":\"" + Fakes.TEAM + "\",\"domain\":\"bench\"},"
                        + "\"user\":{\"id\":\"" + Fakes.ADMIN + "\",\"username\":\"admin1\",\"team_id\":\"" + Fakes.TEAM + "\"},"
                        + "\"api_app_id\":\"A0BENCH\",\"token\":\"legacy-verification-token\","
                        + "\"container\":{\"type\":\"message\",\"message_ts\":\"" + r.cardTs + "\",\"channel_id\":\"" + r.channel
                        + "\",\"is_ephemeral\":false},\"trigger_id\":\"1." + r.seq + ".click\","
                        + "\"channel\":{\"id\":\"" + r.channel + "\",\"name\":\"inc-bench\"},"
                        + "\"response_url\":\"" + fakes.responseUrl("click-" + r.seq) + "\","
                        + "\"actions\":[{\"action_id\":\"revoke_confirm\",\"block_id\":\"revoke_actions\",\"type\":\"button\","
                        + "\"value\":\"" + r.requestId + "\",\"action_ts\":\"1700000000.1\"}]}";
                return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
            }

            @Override
            public String judge(int i, long sentNs, Load.Resp resp) {
                reqs[i].clickSentNs = sentNs;
                if (resp.status() != 200) {
                    sample(name, resp);
                    return "http_" + resp.status();
                }
                return "ok";
            }
        };
        if (fakes.readyCards.size() < n) {
            log("  (only " + fakes.readyCards.size() + " cards available for " + n + " clicks)");
        }
        var level = load.run(name, c, n, op, System.nanoTime() + (long) (sendSeconds * 1e9));
        var expected = level.outcomes.getOrDefault("ok", 0);
        var drainStart = System.nanoTime();
        // Clicks refused as "busy" are answered on response_url and never reach Pinata: do not wait for them.
        var drained = awaitCount(() -> fakes.confirmsDone.get() - doneBefore + (fakes.busyReplies.sum() - busyBefore) >= expected,
                phaseSeconds);
        var drainNs = System.nanoTime() - drainStart;
        var out = ackStats(level);
        var lat = new ArrayList<Long>();
        long last = 0;
        for (var r : reqs) {
            if (r != null && r.doneNs != 0 && r.clickSentNs != 0) {
                lat.add(r.doneNs - r.clickSentNs);
                last = Math.max(last, r.doneNs);
            }
        }
        var e2e = new LinkedHashMap<String, Object>();
        e2e.put("confirmations_done", lat.size());
        e2e.put("confirmations_expected", expected);
        e2e.put("all_done", drained && lat.size() == expected);
        e2e.put("drain_after_last_ack_ms", ms(drainNs));
        var window = last - level.firstSentNs;
        e2e.put("confirmations_per_s", window > 0 ? lat.size() / (window / 1e9) : 0.0);
        e2e.put("click_to_result_ms", dist(lat));
        out.put("end_to_end", e2e);
        out.put("busy_replies_seen_by_fakes", fakes.busyReplies.sum() - busyBefore);
        var used = cpuSince(cpuBefore);
        used.put("bot_cpu_ms_per_confirmation", lat.isEmpty() ? 0.0 : (double) used.get("bot_cpu_s") * 1000 / lat.size());
        used.put("bench_cpu_ms_per_confirmation", lat.isEmpty() ? 0.0 : (double) used.get("bench_cpu_s") * 1000 / lat.size());
        cpu.put(name, used);
        out.put("cpu", used);
        log(cpuText(used));
        log(String.format("%-28s %5d sent  %7.0f acks/s  p50 %6.1f  p99 %7.1f  max %7.1f ms  %s  done %d/%d (%.0f/s, p99 %.0f ms) busy %d",
                name, level.completed, level.rate(), ms(Load.pct(level.sorted(), 50)), ms(Load.pct(level.sorted(), 99)),
                ms(Load.pct(level.sorted(), 100)), level.outcomes, lat.size(), expected, (double) e2e.get("confirmations_per_s"),
                (double) ((Map<?, ?>) e2e.get("click_to_result_ms")).get("p99"), fakes.busyReplies.sum() - busyBefore));
        return out;
    }

    private final Map<String, Integer> samplesPerPhase = new ConcurrentHashMap<>();

    private void sample(String phase, Load.Resp resp) {
        if (samplesPerPhase.merge(phase, 1, Integer::sum) <= 3) {
            log("  unexpected answer in " + phase + ": HTTP " + resp.status() + " " + abbreviate(resp.body()));
        }
    }

    private static Map<String, Object> ackStats(Load.Level level) {
        var out = new LinkedHashMap<String, Object>();
        out.put("concurrency", level.concurrency);
        out.put("requested", level.requested);
        out.put("completed", level.completed);
        out.put("outcomes", level.outcomes);
        out.put("io_errors", level.ioErrors);
        if (level.firstError != null) {
            out.put("first_io_error", level.firstError);
        }
        out.put("wall_s", level.wallNs / 1e9);
        out.put("acks_per_s", level.rate());
        var sorted = level.sorted();
        var d = new LinkedHashMap<String, Object>();
        d.put("p50", ms(Load.pct(sorted, 50)));
        d.put("p90", ms(Load.pct(sorted, 90)));
        d.put("p99", ms(Load.pct(sorted, 99)));
        d.put("p999", ms(Load.pct(sorted, 99.9)));
        d.put("max", ms(Load.pct(sorted, 100)));
        d.put("mean", sorted.length == 0 ? 0.0 : ms((long) java.util.Arrays.stream(sorted).average().orElse(0)));
        out.put("latency_ms", d);
        return out;
    }

    private static Map<String, Object> dist(List<Long> ns) {
        var sorted = ns.stream().mapToLong(Long::longValue).sorted().toArray();
        var d = new LinkedHashMap<String, Object>();
        d.put("p50", ms(Load.pct(sorted, 50)));
        d.put("p99", ms(Load.pct(sorted, 99)));
        d.put("max", ms(Load.pct(sorted, 100)));
        return d;
    }

    // ---------------- the bot process ----------------

    record Started(Process process, int port, double ms) { }

    private record Procfile(Map<String, String> env, List<String> flags, String jar) { }

    /** The environment assignments before {@code java}, the JVM flags (without $JAVA_OPTS) and the jar of the web: line. */
    private Procfile procfile() throws IOException {
        for (var line : Files.readAllLines(root.resolve("Procfile"))) {
            if (!line.startsWith("web:")) {
                continue;
            }
            var tokens = line.substring(4).trim().split("\\s+");
            var flags = new ArrayList<String>();
            var env = new LinkedHashMap<String, String>();
            String jarPath = null;
            var afterJava = false;
            for (int i = 0; i < tokens.length; i++) {
                var t = tokens[i];
                if (!afterJava) {
                    afterJava = t.equals("java") || t.endsWith("/java");
                    if (!afterJava && t.matches("[A-Z_][A-Z0-9_]*=\\S*")) {
                        env.put(t.substring(0, t.indexOf('=')), t.substring(t.indexOf('=') + 1));
                    }
                    continue;
                }
                if (t.equals("-jar")) {
                    jarPath = i + 1 < tokens.length ? tokens[i + 1] : null;
                    break;
                }
                if (t.contains("JAVA_OPTS")) {
                    continue;
                }
                flags.add(t);
            }
            if (jarPath == null) {
                throw new IllegalStateException("Procfile web: line has no -jar: " + line);
            }
            return new Procfile(env, flags, jarPath);
        }
        throw new IllegalStateException("Procfile has no web: line");
    }

    String freshDb(String name) throws IOException {
        var dir = Files.createDirectories(tmp.resolve(name));
        return "jdbc:sqlite:" + dir.resolve("bot.db");
    }

    /** Starts the jar and waits for GET /health == 200; the time is from just before the fork. */
    Started startBot(List<String> flags, String jarPath, String dbUrl, Path logFile, Path jfrFile) throws Exception {
        int port;
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        var cmd = new ArrayList<String>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        if (jfrFile != null) {
            cmd.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + jfrFile);
        }
        cmd.add("-jar");
        cmd.add(jarPath);
        var pb = new ProcessBuilder(cmd).directory(root.toFile());
        var env = pb.environment();
        var path = env.get("PATH");
        env.clear();
        env.put("PATH", path == null ? "/usr/bin:/bin" : path);
        env.put("HOME", tmp.toString());
        env.put("SLACK_BOT_TOKEN", Fakes.BOT_TOKEN);
        env.put("SLACK_SIGNING_SECRET", signingSecret);
        env.put("PINATA_ADMIN_JWT", jwt());
        env.put("ADMIN_USERGROUPS", Fakes.ADMIN_GROUP);
        env.put("DATABASE_URL", dbUrl);
        env.put("PORT", Integer.toString(port));
        env.put("PINATA_API_URL", fakes.pinataUrl());
        env.put("SLACK_API_URL", fakes.slackApiUrl());
        if (!realistic) {
            // The fake Pinata of the throughput phases has no rate limit and answers at once; the bot's budget
            // (default 50/min, the free plan's 60 minus a margin) would make them measure the budget instead.
            env.put("PINATA_RATE_LIMIT", "100000");
        }
        env.putAll(procfileEnv);
        env.putAll(extraBotEnv);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        var t0 = System.nanoTime();
        var p = pb.start();
        bot = p;
        var deadline = t0 + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the bot exited with " + p.exitValue() + " during start-up; see " + logFile);
            }
            if (Load.getStatus(port, "/health", 1000) == 200) {
                return new Started(p, port, ms(System.nanoTime() - t0));
            }
            Thread.sleep(5);
        }
        p.destroyForcibly();
        throw new IllegalStateException("the bot did not answer GET /health with 200 within 30 s; see " + logFile);
    }

    /** SIGTERM, as a platform would; returns the time to exit in ms. */
    double stopBot(Process p) throws InterruptedException {
        var t0 = System.nanoTime();
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            log("bot did not stop within 30 s of SIGTERM; killing it");
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        return ms(System.nanoTime() - t0);
    }

    /** A Pinata-shaped JWT whose payload names the bot's own key (scopedKeyKey), as TestJwt builds. */
    private static String jwt() {
        var enc = Base64.getUrlEncoder().withoutPadding();
        var header = enc.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        var payload = enc.encodeToString(("{\"userInformation\":{\"id\":\"u1\",\"email\":\"ops@example.com\"},"
                + "\"authenticationType\":\"scopedKey\",\"scopedKeyKey\":\"b07b07b07b07b07b07b0\",\"scopedKeySecret\":\""
                + "5ec0e7".repeat(10) + "aaaa\",\"iat\":1700000000}").getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".c2lnbmF0dXJlLW5vdC1jaGVja2Vk";
    }

    // ---------------- report ----------------

    private void report(Map<String, Object> startup, Map<String, Object> cmdAcks, Map<String, Object> clickAcks,
                        Map<String, Object> tpc, Map<String, Object> tpk, Map<String, Object> memory) {
        var targets = new ArrayList<Map<String, Object>>();
        for (var kind : List.of("command", "confirm")) {
            var acks = kind.equals("command") ? cmdAcks : clickAcks;
            for (var c : levels) {
                @SuppressWarnings("unchecked")
                var a = (Map<String, Object>) acks.get("c" + c);
                var lat = (Map<?, ?>) a.get("latency_ms");
                var p99 = (double) lat.get("p99");
                var max = (double) lat.get("max");
                var failed = (int) a.get("requested") - okCount(a);
                var value = String.format("p50 %.1f / p99 %.1f / max %.1f ms", (double) lat.get("p50"), p99, max)
                        + (failed > 0 ? String.format(" (%d not ok)", failed) : "");
                String target;
                boolean pass;
                if (c == 20) {
                    target = "p99 < 50 ms, max < 3 s";
                    pass = p99 < 50 && max < 3000;
                } else if (c == 200) {
                    target = "p99 < 300 ms, max < 3 s";
                    pass = p99 < 300 && max < 3000;
                } else {
                    target = "max < 3 s";
                    pass = max < 3000;
                }
                pass &= failed == 0;
                row(targets, "ack " + kind + " c=" + c, value, target, pass);
            }
        }
        var tpRate = (double) tpc.get("acks_per_s");
        row(targets, "commands acked/s at c=20 (" + tpc.get("requested") + " signed)", String.format("%.0f /s", tpRate),
                ">= 2500 /s", tpRate >= 2500 && okCount(tpc) == (int) tpc.get("requested"));
        var e2eCmd = (Map<?, ?>) tpc.get("end_to_end");
        var cardLat = (Map<?, ?>) e2eCmd.get("command_to_card_ms");
        var everyCard = (boolean) e2eCmd.get("all_posted") && okCount(tpc) == (int) tpc.get("requested")
                && (double) cardLat.get("p99") <= 3000;
        row(targets, "  cards posted for those commands",
                String.format("%d/%d, cmd->card p50 %.0f / p99 %.0f / max %.0f ms", (int) e2eCmd.get("cards_posted"),
                        (int) tpc.get("requested"), (double) cardLat.get("p50"), (double) cardLat.get("p99"), (double) cardLat.get("max")),
                "all, p99 <= 3 s", everyCard);
        row(targets, "e2e commands/s (card posted), c=20", String.format("%.0f /s", (double) e2eCmd.get("cards_per_s")), "-", null);
        var e2eK = (Map<?, ?>) tpk.get("end_to_end");
        var kLat = (Map<?, ?>) e2eK.get("click_to_result_ms");
        row(targets, "e2e confirmations/s (PUT+update+result), c=20",
                String.format("%.0f /s (%d/%d), click->result p50 %.0f / p99 %.0f ms", (double) e2eK.get("confirmations_per_s"),
                        (int) e2eK.get("confirmations_done"), (int) tpk.get("requested"), (double) kLat.get("p50"), (double) kLat.get("p99")),
                "-", null);
        row(targets, "confirm clicks acked/s at c=20", String.format("%.0f /s", (double) tpk.get("acks_per_s")), "-", null);
        @SuppressWarnings("unchecked")
        var help = (Map<String, Object>) json.get("ack_only_help_c20");
        var helpLat = (Map<?, ?>) help.get("latency_ms");
        row(targets, "  diagnostic: ack-only (/pinata-revoke help), c=20",
                String.format("%.0f /s, p50 %.1f / p99 %.1f ms, bot CPU %.2f ms/ack", (double) help.get("acks_per_s"),
                        (double) helpLat.get("p50"), (double) helpLat.get("p99"),
                        (double) ((Map<?, ?>) help.get("cpu")).get("bot_cpu_ms_per_command")), "-", null);
        var cpuC = (Map<?, ?>) tpc.get("cpu");
        var cpuK = (Map<?, ?>) tpk.get("cpu");
        row(targets, "bot CPU per command / per confirmation",
                String.format("%.1f ms / %.1f ms (bench+fakes: %.1f / %.1f ms)", (double) cpuC.get("bot_cpu_ms_per_command"),
                        (double) cpuK.get("bot_cpu_ms_per_confirmation"), (double) cpuC.get("bench_cpu_ms_per_command"),
                        (double) cpuK.get("bench_cpu_ms_per_confirmation")), "-", null);
        @SuppressWarnings("unchecked")
        var runs = (List<Double>) startup.get("runs_ms");
        var median = (double) startup.get("median_ms");
        row(targets, "start-up to /health 200 (cold, median of " + runs.size() + ")",
                String.format("%.0f ms (runs: %s)", median, runs.stream().map(d -> String.format("%.0f", d)).toList()),
                "< 1000 ms", median < 1000);
        var idle = (Map<?, ?>) memory.get("idle_after_start");
        row(targets, "memory idle (after start-up)", String.format("RSS %.0f MB, HWM %.0f MB", mb(idle.get("VmRSS")),
                mb(idle.get("VmHWM"))), "-", null);
        var hwm = mb(memory.get("vmhwm_kb_at_end"));
        row(targets, "memory at peak load", String.format("RSS max %.0f MB (sampled), HWM %.0f MB", mb(memory.get("peak_sampled_rss_kb")), hwm),
                "< 200 MB", hwm < 200);
        json.put("targets", targets);

        int w0 = 0, w1 = 0, w2 = 0;
        for (var r : table) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
            w2 = Math.max(w2, r[2].length());
        }
        var fmt = "%-" + w0 + "s | %-" + w1 + "s | %-" + w2 + "s | %s%n";
        System.out.println();
        System.out.println("pinata-revoke-bot benchmark " + stamp + " — " + Runtime.getRuntime().availableProcessors()
                + " cores shared by bot, fakes and load generator");
        System.out.printf(fmt, "metric", "value", "target", "result");
        System.out.println("-".repeat(w0 + w1 + w2 + 17));
        for (var r : table) {
            System.out.printf(fmt, r[0], r[1], r[2], r[3]);
        }
        var pass = verdicts.stream().filter(b -> b).count();
        System.out.println("-".repeat(w0 + w1 + w2 + 17));
        System.out.println(pass + "/" + verdicts.size() + " targets met");
        @SuppressWarnings("unchecked")
        var whole = (Map<String, Object>) json.get("whole_run_cpu");
        System.out.printf("CPU over the whole run (%.0f s): bot %.2f cores, load generator + fakes %.2f, other processes %.2f"
                        + " (of %d)%n", (double) whole.get("wall_s"), (double) whole.get("bot_cores"), (double) whole.get("bench_cores"),
                (double) whole.get("other_processes_cores"), Runtime.getRuntime().availableProcessors());
        if ((double) whole.get("other_processes_cores") > 0.2) {
            System.out.println("WARNING: other processes competed for the CPU during this run; the numbers are pessimistic.");
        }
        json.put("targets_met", pass + "/" + verdicts.size());
    }

    private void row(List<Map<String, Object>> targets, String metric, String value, String target, Boolean pass) {
        table.add(new String[]{metric, value, target, pass == null ? "" : pass ? "PASS" : "MISS"});
        if (pass != null) {
            verdicts.add(pass);
            var t = new LinkedHashMap<String, Object>();
            t.put("metric", metric);
            t.put("value", value);
            t.put("target", target);
            t.put("pass", pass);
            targets.add(t);
        }
    }

    private static int okCount(Map<String, Object> a) {
        return ((Map<?, ?>) a.get("outcomes")).entrySet().stream().filter(e -> e.getKey().equals("ok"))
                .mapToInt(e -> (Integer) e.getValue()).sum();
    }

    // ---------------- helpers ----------------

    /** The count for a level: the cap, or (adaptive) what the bot finishes in {@code seconds} at {@code rate}, min 300. */
    private int size(int cap, double rate, double seconds) {
        if (fixed) {
            return cap;
        }
        return (int) Math.max(Math.min(cap, 300), Math.min(cap, Math.round(rate * seconds)));
    }

    /** Waits (bounded) until processes other than this one use less than 0.2 cores; returns what they used last. */
    private double waitQuiet() throws InterruptedException {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitQuietSeconds);
        double other;
        var told = false;
        while (true) {
            var before = cpuNow();
            Thread.sleep(1000);
            other = (double) cpuSince(before).get("other_processes_cores");
            if (other < 0.2 || System.nanoTime() > deadline) {
                break;
            }
            if (!told) {
                log(String.format("other processes use %.1f cores; waiting up to %d s for a quieter machine", other, waitQuietSeconds));
                told = true;
            }
        }
        if (other >= 0.2) {
            log(String.format("WARNING: other processes still use %.1f cores; results will be pessimistic", other));
        }
        return other;
    }

    boolean awaitCount(java.util.function.BooleanSupplier done, long seconds) throws InterruptedException {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return true;
            }
            var p = bot;
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException("the bot exited (code " + p.exitValue() + ") during the run; see its log");
            }
            Thread.sleep(5);
        }
        return done.getAsBoolean();
    }

    record Cpu(long wallNs, double bot, double bench, double machine) { }

    /** Bot CPU = every bot process already reaped (cutime+cstime of this process) + the one running now. */
    Cpu cpuNow() {
        var p = bot;
        var self = Proc.selfTimes();
        var alive = p != null && p.isAlive() ? Proc.cpuSeconds(p.toHandle()) : 0;
        return new Cpu(System.nanoTime(), self[1] + alive, self[0], Proc.machineBusySeconds());
    }

    /** CPU used by the bot and by this process (load generator + fakes) since {@code before}, in cores. */
    Map<String, Object> cpuSince(Cpu before) {
        var now = cpuNow();
        var wall = (now.wallNs - before.wallNs) / 1e9;
        var m = new LinkedHashMap<String, Object>();
        m.put("wall_s", wall);
        m.put("bot_cpu_s", now.bot - before.bot);
        m.put("bench_cpu_s", now.bench - before.bench);
        m.put("bot_cores", (now.bot - before.bot) / wall);
        m.put("bench_cores", (now.bench - before.bench) / wall);
        var other = Math.max(0, (now.machine - before.machine) - (now.bot - before.bot) - (now.bench - before.bench));
        m.put("other_processes_cores", other / wall);
        return m;
    }

    /** Output of {@code jcmd <pid> <command>} as lines (bounded to 10 s), for the results file. */
    private static List<String> jcmd(long pid, String command) {
        try {
            var p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), command)
                    .redirectErrorStream(true).start();
            var text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException | InterruptedException e) {
            return List.of("jcmd failed: " + e);
        }
    }

    static String sha256(Path file) {
        try (var in = Files.newInputStream(file)) {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            var buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return "unknown";
        }
    }

    /** HEAD commit and whether the work tree has changes, so that runs can be matched to code. */
    Map<String, Object> git() {
        var m = new LinkedHashMap<String, Object>();
        try {
            var head = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").directory(root.toFile()).redirectErrorStream(true).start();
            m.put("head", new String(head.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
            head.waitFor(5, TimeUnit.SECONDS);
            var st = new ProcessBuilder("git", "status", "--porcelain", "--", "src", "pom.xml", "Procfile").directory(root.toFile())
                    .redirectErrorStream(true).start();
            var changed = new String(st.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().count();
            st.waitFor(5, TimeUnit.SECONDS);
            m.put("uncommitted_changes_in_src_pom_procfile", changed);
        } catch (IOException | InterruptedException e) {
            m.put("error", e.toString());
        }
        return m;
    }

    private static String cpuText(Map<String, Object> used) {
        return String.format("  cpu (cores): bot %.2f, bench+fakes %.2f, other processes %.2f",
                (double) used.get("bot_cores"), (double) used.get("bench_cores"), (double) used.get("other_processes_cores"));
    }

    Map<String, Object> machine() {
        var m = new LinkedHashMap<String, Object>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        try {
            for (var line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
            for (var line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal")) {
                    m.put("mem_total", line.substring(line.indexOf(':') + 1).trim());
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return m;
    }

    static long countLines(Path file, String needle) {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(needle)).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    static List<String> firstProblems(Path file) {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).limit(5).map(Bench::abbreviate).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    static String formBody(Map<String, String> form) {
        var sb = new StringBuilder(512);
        form.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    static double median(List<Double> xs) {
        var s = xs.stream().sorted().toList();
        if (s.isEmpty()) {
            return 0;
        }
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    static double ms(long ns) {
        return ns / 1e6;
    }

    private static double mb(Object kb) {
        return kb instanceof Number n ? n.doubleValue() / 1024.0 : -1;
    }

    static String abbreviate(String s) {
        return s.length() > 240 ? s.substring(0, 240) + "…" : s;
    }

    static void log(String s) {
        System.out.println("[bench " + DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC).format(Instant.now()) + "] " + s);
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Reads /proc/&lt;pid&gt;/status and CPU times. */
    static final class Proc {
        static Map<String, Long> status(long pid) {
            var out = new LinkedHashMap<String, Long>();
            try {
                for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    var colon = line.indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    var key = line.substring(0, colon);
                    if (key.equals("VmRSS") || key.equals("VmHWM") || key.equals("Threads") || key.equals("RssAnon")
                            || key.equals("RssFile")) {
                        out.put(key, Long.parseLong(line.substring(colon + 1).trim().split("\\s+")[0]));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // process gone
            }
            return out;
        }

        static Map<String, Object> memory(long pid) {
            return new LinkedHashMap<>(status(pid));
        }

        /** Busy CPU time of the whole machine (all processes, kernel included), from /proc/stat, in seconds. */
        static double machineBusySeconds() {
            try {
                var f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < f.length; i++) {
                    if (i != 4 && i != 5) { // idle, iowait
                        busy += Long.parseLong(f[i]);
                    }
                }
                return busy / 100.0; // USER_HZ
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /** {own utime+stime, reaped children's cutime+cstime} of this JVM, in seconds. */
        static double[] selfTimes() {
            try {
                var stat = Files.readString(Path.of("/proc/self/stat"));
                var f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                return new double[]{(Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0,
                        (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0};
            } catch (IOException | RuntimeException e) {
                return new double[]{Proc.cpuSeconds(ProcessHandle.current()), 0};
            }
        }

        static double cpuSeconds(ProcessHandle h) {
            return h.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
        }
    }

    /** Samples the bot's VmRSS every 100 ms while load runs. */
    static final class Sampler implements Runnable {
        private final long pid;
        private volatile boolean running = true;
        volatile String phase = "idle";
        volatile long maxRss;
        volatile long maxThreads;
        final Map<String, Long> byPhase = new java.util.concurrent.ConcurrentSkipListMap<>();
        private Thread thread;

        Sampler(long pid) {
            this.pid = pid;
        }

        void start() {
            thread = new Thread(this, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(2000);
        }

        @Override
        public void run() {
            while (running) {
                var s = status(pid);
                var rss = s.getOrDefault("VmRSS", 0L);
                maxRss = Math.max(maxRss, rss);
                maxThreads = Math.max(maxThreads, s.getOrDefault("Threads", 0L));
                byPhase.merge(phase, rss, Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static Map<String, Long> status(long pid) {
            return Proc.status(pid);
        }
    }
}
