package cloud.pinata.revokebot.revocation;

import cloud.pinata.revokebot.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The domain tier's world: an in-memory store and audit log, a scripted Pinata and admin directory, a recording
 * messenger and a clock the test moves. No HTTP, no database, no threads but a lease ticker that never fires.
 */
final class DomainParts implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-12-01T03:00:00Z");
    static final String TEAM = "T0TEAM";
    static final String CHANNEL = "C0INC";
    static final String ADMIN = "U0ADMIN";
    static final String ADMIN2 = "U0ADMIN2";
    static final String OUTSIDER = "U0OUTSIDER";
    static final String BOT_KEY = "b0b0b0b0b0b0b0b0b0b0";

    final MutableClock clock = new MutableClock(T0);
    final InMemoryRequestStore store = new InMemoryRequestStore();
    final AuditLogInMemory audit = new AuditLogInMemory();
    final ScriptedPinata pinata = new ScriptedPinata();
    final Admins admins = new Admins(Set.of(ADMIN, ADMIN2));
    final RecordingMessenger slack = new RecordingMessenger();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger ids = new AtomicInteger();
    List<String> allowedChannels = List.of();
    boolean secondAdmin = true;

    RevocationService service() {
        var policy = new Policy(allowedChannels, Duration.ofMinutes(10), secondAdmin, Optional.of(BOT_KEY));
        // Renewals happen where the code asks for them; the ticker's period is longer than any test.
        var leases = new Leases(store, clock, "test", ticker, Duration.ofHours(1));
        return new RevocationService(
                policy,
                admins,
                pinata,
                store,
                audit,
                slack,
                clock,
                () -> "req" + ids.incrementAndGet(),
                () -> {},
                leases);
    }

    static Caller in(String user, String channel) {
        return new Caller(TEAM, channel, channel.equals(CHANNEL) ? "inc-leak" : "general", user, null);
    }

    static Caller admin() {
        return in(ADMIN, CHANNEL);
    }

    static Command.Revoke revoke(String... keys) {
        return new Command.Revoke(List.of(keys), "leaked in CI", false);
    }

    /** A click on the request's stored card. */
    Click click(String user, String requestId) {
        var ts = store.find(requestId).map(RevocationRequest::cardTs).orElse(null);
        return new Click(in(user, CHANNEL), requestId, ts);
    }

    RevocationRequest request(String id) {
        return store.find(id).orElseThrow();
    }

    List<String> outcomes() {
        return audit.records.stream().map(AuditRecord::outcome).toList();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    static KeyDetails active(String name) {
        return new KeyDetails(name, "2026-01-01T00:00:00Z", "admin", false);
    }

    static final class AuditLogInMemory implements Ports.AuditLog {
        final List<AuditRecord> records = new ArrayList<>();

        @Override
        public synchronized void append(AuditRecord record) {
            records.add(record);
        }

        @Override
        public synchronized List<AuditRecord> recent(int limit) {
            var out = new ArrayList<>(records);
            java.util.Collections.reverse(out);
            return out.stream().limit(limit).toList();
        }

        @Override
        public synchronized List<AuditRecord> recent(String teamId, String channelId, int limit) {
            return recent(Integer.MAX_VALUE).stream()
                    .filter(r -> teamId.equals(r.teamId()) && channelId.equals(r.channelId()))
                    .limit(limit)
                    .toList();
        }
    }

    /** Pinata as a script: what the look-ups say, what each revoke call answers, what the lists show afterwards. */
    static final class ScriptedPinata implements Ports.KeyService {
        final Map<String, KeyLookup> lookups = new HashMap<>();
        final Deque<RevokeOutcome> answers = new ArrayDeque<>();
        final Map<String, KeyState> statesAfter = new HashMap<>();
        final List<String> revokeCalls = new ArrayList<>();
        final Set<String> learnedRevoked = new HashSet<>();
        Runnable duringRevoke = () -> {};
        boolean ready = true;

        /** A key a fresh listing shows active; its revoke answers 200 and it is gone from the list afterwards. */
        void activeKey(String key) {
            lookups.put(key, new KeyLookup.Found(active("ci-" + key.substring(0, 4))));
            statesAfter.put(key, new KeyState.NotActive());
        }

        @Override
        public KeyLookup lookup(String apiKey) {
            return lookups.getOrDefault(apiKey, new KeyLookup.NotListed());
        }

        @Override
        public Map<String, KeyLookup> lookupAll(List<String> apiKeys) {
            var out = new LinkedHashMap<String, KeyLookup>();
            apiKeys.forEach(k -> out.put(k, lookup(k)));
            return out;
        }

        @Override
        public RevokeOutcome revoke(String apiKey, Ports.Attempts attempts) {
            if (!attempts.stillHeld()) {
                return new RevokeOutcome.Unavailable(0, RevokeOutcome.Unavailable.LEASE_LOST);
            }
            revokeCalls.add(apiKey);
            duringRevoke.run();
            return answers.isEmpty()
                    ? new RevokeOutcome.Revoked(200, RevokeOutcome.Verification.UNVERIFIED)
                    : answers.poll();
        }

        @Override
        public KeyState stateNow(String apiKey, KeyDetails known) {
            return statesAfter.getOrDefault(apiKey, new KeyState.Unknown("not scripted"));
        }

        @Override
        public void learnRevoked(String apiKey, KeyDetails details) {
            learnedRevoked.add(apiKey);
        }

        @Override
        public boolean ready() {
            return ready;
        }

        final List<LeakedJwt> credentialChecks = new ArrayList<>();
        JwtProof proof = JwtProof.refused(401);

        @Override
        public JwtProof testCredential(LeakedJwt leaked) {
            credentialChecks.add(leaked);
            return proof;
        }
    }

    static final class Admins implements Ports.AdminDirectory {
        final Set<String> members;
        String failure;
        final List<Boolean> freshChecks = new ArrayList<>();

        Admins(Set<String> members) {
            this.members = members;
        }

        @Override
        public Membership check(String userId, boolean fresh) {
            freshChecks.add(fresh);
            if (failure != null) {
                return new Membership.Unknown(failure);
            }
            return members.contains(userId) ? new Membership.Member() : new Membership.NotMember();
        }
    }

    /** Everything the domain asked Slack to do, as data. */
    static final class RecordingMessenger implements Ports.Messenger {
        final List<Map.Entry<Caller, Notice>> told = new ArrayList<>();
        final List<RevocationRequest> cards = new ArrayList<>();
        final List<RevocationRequest> updates = new ArrayList<>();
        final List<RevocationRequest> results = new ArrayList<>();
        final List<Notice> notes = new ArrayList<>();
        final List<List<AuditRecord>> histories = new ArrayList<>();
        String cardError;
        private int ts;

        @Override
        public void tell(Caller to, Notice notice) {
            told.add(Map.entry(to, notice));
        }

        List<Notice> notices() {
            return told.stream().map(Map.Entry::getValue).toList();
        }

        /** Runs once the card is in the channel, before the bot has its ts: a click as quick as Slack's answer. */
        java.util.function.Consumer<String> beforeTheTsIsSaved = ts -> {};

        @Override
        public Ports.CardPost postCard(RevocationRequest request, KeyLookup lookup) {
            cards.add(request);
            if (cardError != null) {
                return new Ports.CardPost.NotPosted(cardError);
            }
            var posted = "1700000000.%06d".formatted(++ts);
            beforeTheTsIsSaved.accept(posted);
            return new Ports.CardPost.Posted(posted);
        }

        @Override
        public void updateCard(RevocationRequest request) {
            updates.add(request);
        }

        @Override
        public void postResult(RevocationRequest request) {
            results.add(request);
        }

        @Override
        public void showHistory(Caller to, List<AuditRecord> records) {
            histories.add(records);
        }

        /** Each status answer: the key asked about and what the look-up found. */
        final List<Map.Entry<String, KeyLookup>> statuses = new ArrayList<>();

        @Override
        public void showStatus(Caller to, String apiKey, KeyLookup lookup) {
            statuses.add(Map.entry(apiKey, lookup));
        }

        final List<RevocationRequest> interrupted = new ArrayList<>();

        @Override
        public void interrupted(RevocationRequest request, Duration settleWithin) {
            interrupted.add(request);
        }

        final List<Map.Entry<String, Home>> homes = new ArrayList<>();

        @Override
        public void publishHome(String userId, Home home) {
            homes.add(Map.entry(userId, home));
        }

        final List<RevocationRequest> reminders = new ArrayList<>();

        @Override
        public void remind(RevocationRequest request) {
            reminders.add(request);
        }

        @Override
        public void postNote(RevocationRequest request, Notice notice) {
            notes.add(notice);
        }
    }
}
