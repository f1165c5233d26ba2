import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Realistic mode (issue 9, "Benchmark"): fake Slack answers every call after 100 ms, fake Pinata after 150 ms and
 * enforces the free plan's 60 requests per rolling minute (429, Retry-After: 60, X-RateLimit-*), the organisation has
 * 1,000 active keys (and some revoked ones). One bot instance with its production settings (PINATA_RATE_LIMIT unset:
 * 50/min). Phases, each bounded by a count and a deadline:
 * <ol>
 * <li>the index's first build: waited for (the bot logs "Key index: …"), timed and counted;</li>
 * <li>idle: nothing is sent for {@link #IDLE_SECONDS}; every Pinata request the bot makes meanwhile is counted;</li>
 * <li>single revocations, one at a time, {@link #SINGLE_EVERY_S} s apart (so the bot's 50/min budget never makes
 *     one wait): command→card, click→final card, and the Pinata requests each one caused;</li>
 * <li>one 20-key bulk revoke (one command, one confirm), after a minute without Pinata requests;</li>
 * <li>a burst of 10 revocations at once (10 commands, each card clicked as soon as it is posted), after another quiet
 *     minute: every 429, and the ones on the PUT.</li>
 * </ol>
 */
final class Realistic {
    static final int HARD_LIMIT_SECONDS = 840;
    static final Fakes.Options FAKES = new Fakes.Options(100, 150, 60, true);
    static final int ORG_ACTIVE = 1000;
    static final int ORG_REVOKED = 25;
    static final int SINGLES = 16;
    static final int SINGLE_EVERY_S = 6;
    static final int BULK = 20;
    static final int BURST = 10;
    static final int IDLE_SECONDS = 120;
    static final int BUILD_DEADLINE_S = 420;
    /** Tuning.production(): indexRebuildEvery = 6 h (src/main/java/cloud/pinata/revokebot/Tuning.java). */
    static final double REBUILD_EVERY_HOURS = 6;
    /** The bot's own key (the JWT's scopedKeyKey, Bench.jwt()): listed, never chosen. */
    static final String BOT_KEY = "b07b07b07b07b07b07b0";

    private final Bench b;
    private final List<String> flags;
    private final String jarPath;
    private final Map<String, Object> out = new LinkedHashMap<>();
    private final List<String[]> table = new ArrayList<>();
    private final List<Map<String, Object>> targets = new ArrayList<>();

    Realistic(Bench bench, List<String> flags, String jarPath) {
        this.b = bench;
        this.flags = flags;
        this.jarPath = jarPath;
    }

    int run(Bench.Cpu runCpu) throws Exception {
        var fakes = b.fakes;
        var random = new Random(9);
        // ---- the organisation: revoked keys first (oldest), then the bot's own key, then the active keys ----
        var revoked = new ArrayList<String[]>();
        for (int i = 0; i < ORG_REVOKED; i++) {
            revoked.add(new String[]{hex(random), String.format("old-ci-%03d", i)});
        }
        fakes.org.add(revoked, true, false);
        fakes.org.add(List.of(new String[][]{{BOT_KEY, "pinata-revoke-bot"}}), false, true);
        var active = new ArrayList<String[]>();
        for (int i = 0; i < ORG_ACTIVE - 1; i++) {
            active.add(new String[]{hex(random), String.format("svc-%04d", i)});
        }
        fakes.org.add(active, false, false);
        // Keys to revoke: distinct, at random places in the list (a leaked key can be any of them).
        var pool = new ArrayList<String>();
        active.forEach(k -> pool.add(k[0]));
        java.util.Collections.shuffle(pool, random);
        var pick = new java.util.ArrayDeque<>(pool);
        var org = new LinkedHashMap<String, Object>();
        org.put("active_keys", fakes.org.activeCount());
        org.put("revoked_keys", fakes.org.revokedCount());
        org.put("slack_delay_ms", FAKES.slackDelayMs());
        org.put("pinata_delay_ms", FAKES.pinataDelayMs());
        org.put("pinata_rate_limit_per_minute", FAKES.pinataRateLimit());
        org.put("bot_pinata_rate_limit", "default (PINATA_RATE_LIMIT unset: 50/min)");
        out.put("organisation", org);
        Bench.log("realistic mode: " + org);

        // ---- 1. start, and the index's first build ----
        var botLog = b.results.resolve(b.stamp + "-bot.log");
        var forkNs = System.nanoTime();
        var main = b.startBot(flags, jarPath, b.freshDb("main"), botLog, null);
        Bench.log(String.format("bot: pid %d, /health 200 after %.0f ms; waiting for the key index (at most %d s)",
                main.process().pid(), main.ms(), BUILD_DEADLINE_S));
        var buildDeadline = forkNs + TimeUnit.SECONDS.toNanos(BUILD_DEADLINE_S);
        long builtNs = 0;
        var lastReport = System.nanoTime();
        while (System.nanoTime() < buildDeadline) {
            if (!main.process().isAlive()) {
                throw new IllegalStateException("the bot exited during the index build; see " + botLog);
            }
            if (logContains(botLog, "Key index: ")) {
                builtNs = System.nanoTime();
                break;
            }
            if (System.nanoTime() - lastReport > 30_000_000_000L) {
                Bench.log("  index build: " + fakes.pinataRequests.get() + " Pinata requests so far");
                lastReport = System.nanoTime();
            }
            Thread.sleep(200);
        }
        var build = new LinkedHashMap<String, Object>();
        var buildCalls = fakes.pinataCallsBetween(forkNs, System.nanoTime());
        var firstCall = firstCallNs(fakes, forkNs);
        build.put("complete", builtNs != 0);
        build.put("seconds_from_bot_start", builtNs == 0 ? -1 : (builtNs - forkNs) / 1e9);
        build.put("seconds_first_to_last_request", (fakes.lastPinataCallNs() - firstCall) / 1e9);
        build.put("requests", buildCalls);
        build.put("requests_total", total(buildCalls));
        build.put("bot_log_line", firstLine(botLog, "Key index: "));
        out.put("index_first_build", build);
        Bench.log("index build: " + build);
        if (builtNs == 0) {
            throw new IllegalStateException("the key index was not built within " + BUILD_DEADLINE_S + " s; see " + botLog);
        }
        var load = new Load(main.port(), b.signingSecret, false);

        // ---- 2. idle ----
        Thread.sleep(1000);
        var idleFrom = System.nanoTime();
        Bench.log("idle for " + IDLE_SECONDS + " s: counting the bot's Pinata requests");
        sleepUntil(idleFrom + TimeUnit.SECONDS.toNanos(IDLE_SECONDS), main.process());
        var idleCalls = fakes.pinataCallsBetween(idleFrom, System.nanoTime());
        var idle = new LinkedHashMap<String, Object>();
        idle.put("seconds", IDLE_SECONDS);
        idle.put("requests", idleCalls);
        idle.put("requests_total", total(idleCalls));
        var perRebuild = (int) build.get("requests_total");
        idle.put("rebuild_every_hours", REBUILD_EVERY_HOURS);
        idle.put("requests_per_rebuild_measured", perRebuild);
        idle.put("requests_per_hour_idle", perRebuild / REBUILD_EVERY_HOURS + total(idleCalls) * 3600.0 / IDLE_SECONDS);
        out.put("idle", idle);
        Bench.log("idle: " + idle);

        // ---- 3. single revocations ----
        var singles = new ArrayList<Map<String, Object>>();
        var cardMs = new ArrayList<Double>();
        var finalMs = new ArrayList<Double>();
        var perRevocation = new ArrayList<Integer>();
        var verifiedSingles = 0;
        try (var conn = load.connect()) {
            for (int i = 0; i < SINGLES; i++) {
                var start = System.nanoTime();
                var key = pick.poll();
                var position = positionOf(fakes, key);
                var r = newReq(key, List.of(key));
                var res = revokeOne(load, conn, r, key + " leaked in a public repo (bench single " + (i + 1) + ")", 30, 90);
                var calls = fakes.pinataCallsBetween(r.cmdSentNs, System.nanoTime());
                res.put("key_position_in_active_list", position);
                res.put("pinata_requests", calls);
                res.put("pinata_requests_total", total(calls));
                res.put("pinata_requests_before_card", total(fakes.pinataCallsBetween(r.cmdSentNs, r.cardNs == 0 ? System.nanoTime() : r.cardNs)));
                singles.add(res);
                collect(res, cardMs, finalMs);
                if (Boolean.TRUE.equals(res.get("verified"))) {
                    verifiedSingles++;
                }
                perRevocation.add(total(calls));
                Bench.log(String.format("single %2d: key at position %3d, card %s ms, click->final card %s ms, %s, Pinata %s",
                        i + 1, position, res.get("command_to_card_ms"), res.get("click_to_final_card_ms"), res.get("final"), calls));
                sleepUntil(start + TimeUnit.SECONDS.toNanos(SINGLE_EVERY_S), main.process());
            }
        }
        out.put("singles", singles);

        // ---- 4. one 20-key bulk revoke ----
        quiet(fakes, main.process());
        var bulkKeys = new ArrayList<String>();
        for (int i = 0; i < BULK; i++) {
            bulkKeys.add(pick.poll());
        }
        Map<String, Object> bulk;
        try (var conn = load.connect()) {
            var r = newReq(bulkKeys.get(0), bulkKeys);
            bulk = revokeOne(load, conn, r, String.join(" ", bulkKeys) + " leaked together (bench bulk)", 60, 240);
            var calls = fakes.pinataCallsBetween(r.cmdSentNs, System.nanoTime());
            bulk.put("pinata_requests", calls);
            bulk.put("pinata_requests_total", total(calls));
            bulk.put("puts", r.puts.get());
            bulk.put("keys_no_longer_active_in_fake", bulkKeys.stream().filter(k -> !fakes.org.isActive(k)).count());
            bulk.put("all_revoked_headline", r.finalCardBlocks != null && r.finalCardBlocks.contains("All " + BULK + " Pinata API keys revoked"));
        }
        out.put("bulk", bulk);
        Bench.log("bulk: " + bulk);

        // ---- 5. a burst of 10 revocations at once ----
        quiet(fakes, main.process());
        var burstReqs = new ArrayList<Map<String, Object>>();
        var burstFrom = System.nanoTime();
        var put429Before = fakes.rateLimited.getOrDefault("PUT revokeApiKey", new java.util.concurrent.atomic.LongAdder()).sum();
        var gate = new CountDownLatch(1);
        var finished = new CountDownLatch(BURST);
        var results = new java.util.concurrent.ConcurrentLinkedQueue<Map<String, Object>>();
        for (int i = 0; i < BURST; i++) {
            var key = pick.poll();
            var n = i + 1;
            var t = new Thread(() -> {
                try (var conn = load.connect()) {
                    conn.prepare();
                    gate.await();
                    var r = newReq(key, List.of(key));
                    results.add(revokeOne(load, conn, r, key + " leaked (bench burst " + n + ")", 60, 100));
                } catch (Exception e) {
                    var m = new LinkedHashMap<String, Object>();
                    m.put("error", e.toString());
                    results.add(m);
                } finally {
                    finished.countDown();
                }
            }, "burst-" + i);
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(100);
        burstFrom = System.nanoTime();
        gate.countDown();
        finished.await(120, TimeUnit.SECONDS);
        var burstTo = System.nanoTime();
        burstReqs.addAll(results);
        var burstCalls = fakes.pinataCallsBetween(burstFrom, burstTo);
        var put429 = fakes.rateLimited.getOrDefault("PUT revokeApiKey", new java.util.concurrent.atomic.LongAdder()).sum() - put429Before;
        long lastFinal = 0;
        var burstVerified = 0;
        for (var res : burstReqs) {
            collect(res, cardMs, finalMs);
            if (Boolean.TRUE.equals(res.get("verified"))) {
                burstVerified++;
            }
            if (res.get("final_card_at_ns") instanceof Long ns) {
                lastFinal = Math.max(lastFinal, ns);
            }
        }
        var burst = new LinkedHashMap<String, Object>();
        burst.put("revocations", burstReqs.size());
        burst.put("verified", burstVerified);
        burst.put("seconds_first_command_to_last_final_card", lastFinal == 0 ? -1 : (lastFinal - burstFrom) / 1e9);
        burst.put("pinata_requests", burstCalls);
        burst.put("pinata_requests_total", total(burstCalls));
        burst.put("http_429_on_put", put429);
        burst.put("each", burstReqs);
        out.put("burst", burst);
        Bench.log("burst: " + burst);

        // ---- end ----
        out.put("http_429_whole_run", sumAdders(fakes.rateLimited));
        out.put("fake_calls", fakes.callCounts());
        out.put("fake_unmatched_calls", fakes.unmatched.sum());
        out.put("refused_not_active_key", fakes.refusals.sum());
        out.put("bot_shutdown_ms", b.stopBot(main.process()));
        out.put("bot_log", Map.of("file", b.root.relativize(botLog).toString(), "warn_lines", Bench.countLines(botLog, " WARN "),
                "error_lines", Bench.countLines(botLog, " ERROR "), "first_problems", Bench.firstProblems(botLog)));
        out.put("whole_run_cpu", b.cpuSince(runCpu));

        // ---- report ----
        row("index first build (" + ORG_ACTIVE + " active + " + ORG_REVOKED + " revoked keys)",
                String.format("%.0f s after start, %d requests %s", (double) build.get("seconds_from_bot_start"), perRebuild,
                        compact(buildCalls)), "-", null);
        row("idle bot, between rebuilds (" + IDLE_SECONDS + " s measured)", total(idleCalls) + " Pinata requests", "0", total(idleCalls) == 0);
        row("index requests per hour idle", String.format("%.1f /h (%d per rebuild, every %.0f h)",
                (double) idle.get("requests_per_hour_idle"), perRebuild, REBUILD_EVERY_HOURS), "-", null);
        var cardSorted = sorted(cardMs);
        var finalSorted = sorted(finalMs);
        var n = SINGLES + BURST;
        row("command->card (" + SINGLES + " singles + " + BURST + " burst)", dist(cardSorted) + " (" + cardSorted.length + "/" + n + ")",
                "p99 <= 1.5 s", cardSorted.length == n && pct(cardSorted, 99) <= 1500);
        var verified = verifiedSingles + burstVerified;
        row("click->final card \"revoked and verified\"", dist(finalSorted) + ", verified " + verified + "/" + n,
                "p99 <= 2 s, all verified", finalSorted.length == n && verified == n && pct(finalSorted, 99) <= 2000);
        var maxReq = perRevocation.stream().mapToInt(Integer::intValue).max().orElse(-1);
        var meanReq = perRevocation.stream().mapToInt(Integer::intValue).average().orElse(-1);
        row("Pinata requests per single revocation (warm)", String.format("mean %.2f, max %d, each %s", meanReq, maxReq, perRevocation),
                "<= 3", perRevocation.size() == SINGLES && maxReq <= 3);
        row("20-key bulk revoke (1 command, 1 confirm)", String.format("%s requests %s, click->final card %s ms, %s/20 revoked",
                bulk.get("pinata_requests_total"), compact(castMap(bulk.get("pinata_requests"))), bulk.get("click_to_final_card_ms"),
                bulk.get("keys_no_longer_active_in_fake")), "-", null);
        var burstSpan = (double) burst.get("seconds_first_command_to_last_final_card");
        row("burst: " + BURST + " revocations at once", String.format("%d/%d verified, last final card after %.1f s, %d requests, "
                        + "429 on PUT: %d", burstVerified, BURST, burstSpan, (int) burst.get("pinata_requests_total"), put429),
                "all within 60 s, 0 x 429 on PUT", burstVerified == BURST && burstSpan >= 0 && burstSpan <= 60 && put429 == 0);
        row("HTTP 429 from fake Pinata, whole run", out.get("http_429_whole_run").toString(), "-", null);

        b.json.put("realistic", out);
        b.json.put("targets", targets);
        print();
        var file = b.results.resolve(b.stamp + ".json");
        Files.writeString(file, Json.write(b.json));
        System.out.println();
        System.out.println("results: " + b.root.relativize(file) + "   bot log: " + b.root.relativize(botLog));
        return 0;
    }

    /** A new request: its own channel (and response_url), matched by the fakes through its keys. */
    private Fakes.Req newReq(String key, List<String> keys) {
        var s = b.seq.incrementAndGet();
        var r = new Fakes.Req(s, String.format("CB%07d", s), key);
        b.fakes.byChannel.put(r.channel, r);
        keys.forEach(k -> b.fakes.byKey.put(k, r));
        return r;
    }

    /** Command, card, click, final card and result for one request, each wait bounded; the timings in ms. */
    private Map<String, Object> revokeOne(Load load, Load.Conn conn, Fakes.Req r, String text, int cardSeconds, int doneSeconds)
            throws Exception {
        var res = new LinkedHashMap<String, Object>();
        res.put("channel", r.channel);
        var body = b.commandBody(r, text);
        var ts = Long.toString(System.currentTimeMillis() / 1000);
        r.cmdSentNs = System.nanoTime();
        var ack = conn.post("/slack/events", body, ts, load.sign(ts, body));
        res.put("command_ack_ms", Bench.ms(System.nanoTime() - r.cmdSentNs));
        if (ack.status() != 200 || !ack.body().contains("Checking your request")) {
            res.put("final", "command not accepted: HTTP " + ack.status());
            return res;
        }
        if (!b.awaitCount(() -> r.cardNs != 0 || r.refusedNs != 0, cardSeconds) || r.cardNs == 0) {
            res.put("final", r.refusedNs != 0 ? "refused: not an active key" : "no card within " + cardSeconds + " s");
            return res;
        }
        res.put("command_to_card_ms", round(Bench.ms(r.cardNs - r.cmdSentNs)));
        var click = "payload=" + URLEncoder.encode(clickPayload(r, b.fakes.responseUrl("click-" + r.seq)), StandardCharsets.UTF_8);
        ts = Long.toString(System.currentTimeMillis() / 1000);
        r.clickSentNs = System.nanoTime();
        var clickAck = conn.post("/slack/events", click, ts, load.sign(ts, click));
        res.put("click_ack_ms", round(Bench.ms(System.nanoTime() - r.clickSentNs)));
        if (clickAck.status() != 200) {
            res.put("final", "click not accepted: HTTP " + clickAck.status());
            return res;
        }
        if (!b.awaitCount(() -> r.finalCardNs != 0 && r.resultNs != 0, doneSeconds)) {
            res.put("final", "no final card and result within " + doneSeconds + " s");
            return res;
        }
        res.put("click_to_final_card_ms", round(Bench.ms(r.finalCardNs - r.clickSentNs)));
        res.put("click_to_result_ms", round(Bench.ms(r.resultNs - r.clickSentNs)));
        res.put("final_card_at_ns", r.finalCardNs);
        var blocks = r.finalCardBlocks == null ? "" : r.finalCardBlocks;
        res.put("verified", blocks.contains("revoked* and verified"));
        res.put("final", headline(blocks));
        return res;
    }

    private static String clickPayload(Fakes.Req r, String responseUrl) {
        return "{\"type\":\"block_actions\",\"team\":{\"id\":\"" + Fakes.TEAM + "\",\"domain\":\"bench\"},"
                + "\"user\":{\"id\":\"" + Fakes.ADMIN + "\",\"username\":\"admin1\",\"team_id\":\"" + Fakes.TEAM + "\"},"
                + "\"api_app_id\":\"A0BENCH\",\"token\":\"legacy-verification-token\","
                + "\"container\":{\"type\":\"message\",\"message_ts\":\"" + r.cardTs + "\",\"channel_id\":\"" + r.channel
                + "\",\"is_ephemeral\":false},\"trigger_id\":\"1." + r.seq + ".click\","
                + "\"channel\":{\"id\":\"" + r.channel + "\",\"name\":\"inc-bench\"},"
                + "\"response_url\":\"" + responseUrl + "\","
                + "\"actions\":[{\"action_id\":\"revoke_confirm\",\"block_id\":\"revoke_actions\",\"type\":\"button\","
                + "\"value\":\"" + r.requestId + "\",\"action_ts\":\"1700000000.1\"}]}";
    }

    /** The card's first text (its headline), shortened. */
    private static String headline(String blocks) {
        var i = blocks.indexOf("\"text\":\"");
        if (i < 0) {
            return blocks.length() > 120 ? blocks.substring(0, 120) : blocks;
        }
        var from = i + 8;
        var to = blocks.indexOf('"', from);
        var h = blocks.substring(from, to < 0 ? Math.min(blocks.length(), from + 160) : to);
        var confirmed = h.indexOf(", confirmed");
        h = confirmed > 0 ? h.substring(0, confirmed) : h;
        return h.length() > 160 ? h.substring(0, 160) : h;
    }

    /** Waits (at most 65 s) until the fake Pinata has had no request for 61 s: the rolling minute is empty. */
    private void quiet(Fakes fakes, Process bot) throws InterruptedException {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(65);
        Bench.log("waiting for a minute without Pinata requests (the rolling window empties)");
        while (System.nanoTime() < deadline && System.nanoTime() - fakes.lastPinataCallNs() < 61_000_000_000L) {
            if (!bot.isAlive()) {
                throw new IllegalStateException("the bot exited");
            }
            Thread.sleep(250);
        }
    }

    private static void sleepUntil(long ns, Process bot) throws InterruptedException {
        while (System.nanoTime() < ns) {
            if (!bot.isAlive()) {
                throw new IllegalStateException("the bot exited");
            }
            Thread.sleep(Math.max(1, Math.min(500, (ns - System.nanoTime()) / 1_000_000)));
        }
    }

    private static void collect(Map<String, Object> res, List<Double> cardMs, List<Double> finalMs) {
        if (res.get("command_to_card_ms") instanceof Double d) {
            cardMs.add(d);
        }
        if (res.get("click_to_final_card_ms") instanceof Double d) {
            finalMs.add(d);
        }
    }

    private static int positionOf(Fakes fakes, String key) {
        var keys = fakes.org.activeKeys();
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private static long firstCallNs(Fakes fakes, long from) {
        long first = Long.MAX_VALUE;
        for (var c : fakes.pinataLog) {
            if (c.ns() >= from) {
                first = Math.min(first, c.ns());
            }
        }
        return first == Long.MAX_VALUE ? from : first;
    }

    private static int total(Map<String, Integer> calls) {
        return calls.entrySet().stream().filter(e -> !e.getKey().startsWith("429 ")).mapToInt(Map.Entry::getValue).sum();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> castMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Integer>) m : Map.of();
    }

    private static String compact(Map<String, Integer> calls) {
        return calls.toString().replace("GET ", "").replace("PUT ", "");
    }

    private static Map<String, Long> sumAdders(Map<String, java.util.concurrent.atomic.LongAdder> m) {
        var out = new java.util.TreeMap<String, Long>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static boolean logContains(Path file, String needle) {
        return firstLine(file, needle) != null;
    }

    private static String firstLine(Path file, String needle) {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(needle)).findFirst().orElse(null);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    private static String hex(Random random) {
        var bytes = new byte[10];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }

    private static double[] sorted(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /** Nearest-rank percentile of sorted values; -1 when there are none. */
    private static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    private static String dist(double[] s) {
        return String.format("p50 %.0f / p99 %.0f / max %.0f ms", pct(s, 50), pct(s, 99), pct(s, 100));
    }

    private void row(String metric, String value, String target, Boolean pass) {
        table.add(new String[]{metric, value, target, pass == null ? "" : pass ? "PASS" : "MISS"});
        if (pass != null) {
            var t = new LinkedHashMap<String, Object>();
            t.put("metric", metric);
            t.put("value", value);
            t.put("target", target);
            t.put("pass", pass);
            targets.add(t);
        }
    }

    private void print() {
        int w0 = 0, w1 = 0, w2 = 0;
        for (var r : table) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
            w2 = Math.max(w2, r[2].length());
        }
        var fmt = "%-" + w0 + "s | %-" + w1 + "s | %-" + w2 + "s | %s%n";
        System.out.println();
        System.out.println("pinata-revoke-bot realistic benchmark " + b.stamp + " (Slack 100 ms, Pinata 150 ms, "
                + ORG_ACTIVE + " keys, 60 requests/min)");
        System.out.printf(fmt, "metric", "value", "target", "result");
        System.out.println("-".repeat(w0 + w1 + w2 + 17));
        for (var r : table) {
            System.out.printf(fmt, r[0], r[1], r[2], r[3]);
        }
        System.out.println("-".repeat(w0 + w1 + w2 + 17));
        var pass = targets.stream().filter(t -> (boolean) t.get("pass")).count();
        System.out.println(pass + "/" + targets.size() + " targets met");
        b.json.put("targets_met", pass + "/" + targets.size());
        @SuppressWarnings("unchecked")
        var whole = (Map<String, Object>) out.get("whole_run_cpu");
        System.out.printf("CPU over the whole run (%.0f s): bot %.2f cores, load generator + fakes %.2f, other processes %.2f%n",
                (double) whole.get("wall_s"), (double) whole.get("bot_cores"), (double) whole.get("bench_cores"),
                (double) whole.get("other_processes_cores"));
    }
}
