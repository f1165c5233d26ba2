package cloud.pinata.revokebot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.AuditRecord;
import cloud.pinata.revokebot.revocation.KeyDetails;
import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.revocation.LookupNote;
import cloud.pinata.revokebot.revocation.Notice;
import cloud.pinata.revokebot.revocation.Outcome;
import cloud.pinata.revokebot.revocation.RequestKey;
import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.revocation.RevocationRequest;
import cloud.pinata.revokebot.revocation.RevokeOutcome;
import cloud.pinata.revokebot.support.BlockKit;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.util.json.GsonFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Every card and reply the bot can render, with input as large and hostile as the bot accepts (20 keys, 100-character
 * names full of {@code & < >}, a 500-character reason, long failure details, 50 history records), passes the strict
 * Block Kit validator: grown cards are split across blocks, never refused. (Named *Test so that surefire's default
 * includes run it; the *Properties classes are not run by {@code mvn verify}.)
 */
class CardsPropertiesTest {
    private static final Instant CREATED = Instant.parse("2026-05-01T10:00:00Z");
    /** Every outcome there is: a new one is rendered here the day it is added. */
    private static final List<Outcome> OUTCOMES = List.of(Outcome.values());

    /** As the SDK sends blocks: its own snake_case Gson. */
    private static List<String> valid(String text, List<LayoutBlock> blocks) {
        return BlockKit.check(
                BlockKit.Kind.WEB_API, text, GsonFactory.createSnakeCase().toJson(blocks));
    }

    private static void assertAccepted(String what, String text, List<LayoutBlock> blocks) {
        var errors = valid(text, blocks);
        assertEquals(List.of(), errors, () -> what + " refused: " + errors);
    }

    @Provide
    Arbitrary<String> hostile() {
        // Mostly the characters that escaping multiplies by four or five, plus mentions and emoji.
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("&<>@!|*_`~ ").ofMinLength(1).ofMaxLength(100),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(100),
                Arbitraries.of("<!channel> @channel @here <https://evil.example|x>", "😀".repeat(50), "&".repeat(100)));
    }

    @Provide
    Arbitrary<String> reason() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "&".repeat(500), "<@U1>".repeat(100)),
                Arbitraries.strings().withChars("&<>a @").ofMaxLength(500));
    }

    @Provide
    Arbitrary<RevocationRequest> request() {
        var keys = Arbitraries.integers().between(1, 20);
        var names = hostile();
        var states = Arbitraries.of(RequestState.class);
        var outcomes = Arbitraries.of(OUTCOMES);
        var details = Arbitraries.oneOf(
                Arbitraries.just((String) null),
                hostile(),
                Arbitraries.just("x".repeat(2_000) + " " + RevokeOutcome.Unavailable.STILL_ACTIVE));
        return Combinators.combine(
                        keys,
                        names,
                        states,
                        outcomes,
                        details,
                        reason(),
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 3))
                .as((n, name, state, outcome, detail, reason, dryRun, variant) ->
                        request(n, name, state, outcome, detail, reason, dryRun, variant));
    }

    private static RevocationRequest request(
            int n,
            String name,
            RequestState state,
            Outcome outcome,
            String detail,
            String reason,
            boolean dryRun,
            int variant) {
        var keys = new ArrayList<RequestKey>();
        for (int i = 0; i < n; i++) {
            var key = String.format("%020x", 0xa1b2c3d4L * (i + 1));
            var handled = state == RequestState.REVOKED || state == RequestState.FAILED;
            var keyOutcome = !handled
                    ? null
                    : state == RequestState.REVOKED
                            ? Outcome.REVOKED
                            : i % 3 == 0
                                    ? Outcome.REVOKED
                                    : i % 3 == 1
                                            ? Outcome.ALREADY_REVOKED
                                            : OUTCOMES.get((i + variant) % OUTCOMES.size());
            var note = (i + variant) % 4 == 0
                    ? LookupNote.NOT_ACTIVE
                    : (i + variant) % 4 == 1 ? LookupNote.UNAVAILABLE : null;
            keys.add(new RequestKey(
                    i,
                    key,
                    note == null ? new KeyDetails(name, "2026-01-01T00:00:00Z", name, false) : null,
                    note,
                    i == 2 && !handled,
                    keyOutcome,
                    detail,
                    handled ? 500 : null));
        }
        var decided = state == RequestState.PENDING || state == RequestState.EXPIRED ? null : "U0ADMIN";
        var shownOutcome = state == RequestState.DRY_RUN_CONFIRMED
                ? Outcome.DRY_RUN_CONFIRMED
                : state == RequestState.REVOKED
                        ? (variant % 3 == 2 ? Outcome.ACCEPTED_UNVERIFIED : Outcome.REVOKED)
                        : outcome;
        var shownDetail =
                state == RequestState.REVOKED ? (variant % 2 == 0 ? "verified" : "still_listed_active") : detail;
        return new RevocationRequest(
                "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a90",
                "T0TEAM",
                "C0INC",
                "U0REQ",
                keys.get(0).apiKey(),
                reason,
                state,
                CREATED,
                CREATED.plusSeconds(600),
                decided,
                decided == null ? null : CREATED.plusSeconds(60),
                shownOutcome,
                shownDetail,
                state == RequestState.FAILED ? 400 + variant : null,
                "1714557600.000100",
                new KeyDetails(name, "2026-01-01T00:00:00Z", name, false),
                dryRun,
                n == 1 ? List.of() : keys);
    }

    @Property(tries = 300)
    void everyPendingCardIsAccepted(@ForAll("request") RevocationRequest any, @ForAll("hostile") String text) {
        var r = pendingOf(any);
        for (KeyLookup lookup : List.of(
                new KeyLookup.Found(new KeyDetails(text, text, text, false)),
                new KeyLookup.NotListed(),
                new KeyLookup.Unavailable(text))) {
            assertAccepted("pending card", Cards.fallback(r), Cards.pending(r, lookup));
        }
    }

    @Property(tries = 400)
    void everyDecidedCardAndResultIsAccepted(@ForAll("request") RevocationRequest r) {
        assertAccepted(r.state() + " card", Cards.fallback(r), Cards.decided(r));
        if (r.state().isTerminal()) {
            assertAccepted(r.state() + " result", Cards.fallback(r), Cards.resultBlocks(r));
        }
    }

    @Property(tries = 50)
    void aBulkCardListsEveryKeyWithinTheLimits(
            @ForAll @IntRange(min = 1, max = 20) int n, @ForAll("hostile") String name) {
        var failed = request(
                n, name, RequestState.FAILED, Outcome.PINATA_UNAVAILABLE, "x".repeat(300), "&".repeat(500), false, 2);
        var blocks = Cards.decided(failed);
        assertAccepted("failed bulk card", Cards.fallback(failed), blocks);
        var shown = GsonFactory.createSnakeCase().toJson(blocks);
        for (var key : failed.keys()) {
            var k = key.apiKey();
            assertTrue(shown.contains(k.substring(0, 4) + "…" + k.substring(k.length() - 4)), () -> k + " missing");
        }
    }

    @Property(tries = 100)
    void historyOfUpTo50RecordsIsAccepted(
            @ForAll @IntRange(min = 0, max = 50) int n,
            @ForAll("reason") String reason,
            @ForAll("hostile") String outcome) {
        var records = new ArrayList<AuditRecord>();
        for (int i = 0; i < n; i++) {
            records.add(new AuditRecord(
                    CREATED.plusSeconds(i),
                    "T0TEAM",
                    "C0INC",
                    "U0ADMIN",
                    "confirm",
                    "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a90",
                    "a1b2c3d4e5f6a7b8c9d0",
                    reason,
                    outcome,
                    500));
        }
        assertAccepted(
                "history",
                Replies.historyFallback(records),
                Mrkdwn.sections(Replies.history(records), Cards.MAX_BLOCKS));
    }

    @Property(tries = 100)
    void statusAndFixedRepliesAreAccepted(@ForAll("hostile") String text) {
        for (KeyLookup lookup : List.of(
                new KeyLookup.Found(new KeyDetails(text, text, text, true)),
                new KeyLookup.Found(new KeyDetails(null, null, null, false)),
                new KeyLookup.NotListed(),
                new KeyLookup.Unavailable(text))) {
            assertAccepted(
                    "status",
                    Replies.statusFallback("a1b2c3d4e5f6a7b8c9d0", lookup),
                    Mrkdwn.sections(Replies.status("a1b2c3d4e5f6a7b8c9d0", lookup), Cards.MAX_BLOCKS));
        }
        var notices = List.<Notice>of(
                new Notice.ChannelNotAllowed(List.of("C0INC", "inc-")),
                new Notice.NotAdmin(),
                new Notice.AdminCheckFailed("paid_teams_only"),
                new Notice.AdminCheckFailed("<!channel> & *x*"),
                new Notice.SelfKey(),
                new Notice.AlreadyRevoked(List.of("a1b2c3d4e5f6a7b8c9d0")),
                new Notice.NotActiveKeys(List.of("a1b2c3d4e5f6a7b8c9d0"), List.of("b1b2c3d4e5f6a7b8c9d0")),
                new Notice.CardNotPosted("channel_not_found", true),
                new Notice.CardNotPosted("<bad>", false),
                new Notice.UnknownRequest(),
                new Notice.Expired(),
                new Notice.SecondAdminRequired(),
                new Notice.StaleCard(),
                new Notice.WaitingOnPinata("a1b2c3d4e5f6a7b8c9d0", java.time.Duration.ofSeconds(60), true),
                new Notice.LateRevoked("a1b2c3d4e5f6a7b8c9d0"),
                new Notice.Busy(),
                new Notice.InternalError("a click"));
        var fixedTexts = new java.util.ArrayList<>(List.of(
                Notices.usage(),
                Notices.invalid("a key has at most 40 hexadecimal characters"),
                Notices.secretPasted("JWT")));
        notices.forEach(n -> fixedTexts.add(Notices.text(n)));
        for (var fixed : fixedTexts) {
            assertAccepted("reply", fixed, Mrkdwn.sections(fixed, Cards.MAX_BLOCKS));
        }
    }

    /** Mrkdwn of any length splits into sections that give back every character, in order. */
    @Property(tries = 200)
    void sectionsKeepEveryCharacter(@ForAll("lines") String mrkdwn) {
        var blocks = Mrkdwn.sections(mrkdwn, 1_000);
        assertAccepted("sections", "A sentence.", blocks.size() > 50 ? blocks.subList(0, 50) : blocks);
        var joined = new StringBuilder();
        for (var b : blocks) {
            joined.append(((com.slack.api.model.block.SectionBlock) b).getText().getText());
        }
        // Lines of only spaces may go (an empty section is refused); every other character stays, in order.
        assertEquals(mrkdwn.replaceAll("\\s", ""), joined.toString().replaceAll("\\s", ""));
    }

    @Provide
    Arbitrary<String> lines() {
        var line = Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab &;<>").ofMinLength(1).ofMaxLength(4_000),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(100));
        return line.list().ofMinSize(1).ofMaxSize(30).map(l -> String.join("\n", l));
    }

    private static RevocationRequest pendingOf(RevocationRequest r) {
        var keys = r.keys().stream()
                .map(k -> new RequestKey(
                        k.position(), k.apiKey(), k.details(), k.lookupNote(), k.revokedBefore(), null, null, null))
                .toList();
        return new RevocationRequest(
                r.id(),
                r.teamId(),
                r.channelId(),
                r.requesterId(),
                r.apiKey(),
                r.reason(),
                RequestState.PENDING,
                r.createdAt(),
                r.expiresAt(),
                null,
                null,
                null,
                null,
                null,
                null,
                r.details(),
                r.dryRun(),
                keys);
    }
}
