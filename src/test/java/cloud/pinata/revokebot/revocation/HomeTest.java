package cloud.pinata.revokebot.revocation;

import static cloud.pinata.revokebot.revocation.DomainParts.ADMIN;
import static cloud.pinata.revokebot.revocation.DomainParts.ADMIN2;
import static cloud.pinata.revokebot.revocation.DomainParts.CHANNEL;
import static cloud.pinata.revokebot.revocation.DomainParts.OUTSIDER;
import static cloud.pinata.revokebot.revocation.DomainParts.T0;
import static cloud.pinata.revokebot.revocation.DomainParts.TEAM;
import static cloud.pinata.revokebot.revocation.DomainParts.admin;
import static cloud.pinata.revokebot.revocation.DomainParts.revoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The App Home in the domain tier: what an admin sees (waiting cards, latest outcomes) only in channels the bot saw
 * them request or decide in; other channels' waiting requests counted, nothing else said about them. AppHomeTest
 * proves the same through Slack; here each rule is one assertion on {@link Home}.
 */
class HomeTest {
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    static final String SEEN = CHANNEL;
    static final String PRIVATE = "C0PRIVATE";
    static final String CARD_TS = "1700000000.000001";

    final DomainParts d = new DomainParts();

    @AfterEach
    void close() {
        d.close();
    }

    /** A stored request of {@code requester} in {@code channel}; {@code decidedBy} and {@code cardTs} may be null. */
    private static RevocationRequest request(
            String id, String channel, String requester, RequestState state, String decidedBy, String cardTs) {
        return new RevocationRequest(
                id,
                TEAM,
                channel,
                requester,
                KEY,
                "leaked in CI",
                state,
                T0,
                T0.plus(Duration.ofMinutes(10)),
                decidedBy,
                decidedBy == null ? null : T0,
                null,
                null,
                null,
                cardTs,
                null,
                false,
                List.of());
    }

    private static RevocationRequest waiting(String id, String channel, String requester) {
        return request(id, channel, requester, RequestState.PENDING, null, CARD_TS);
    }

    private static RevocationRequest ended(String id, String channel, String requester, RequestState state) {
        return request(id, channel, requester, state, ADMIN2, CARD_TS);
    }

    private static List<String> ids(List<RevocationRequest> requests) {
        return requests.stream().map(RevocationRequest::id).toList();
    }

    // --- who sees what -----------------------------------------------------------------------------------------

    @Test
    void aNonAdminSeesNoRequestAndNoCount() {
        var home = Home.forNonAdmin();
        assertFalse(home.admin(), "a non-admin's Home is the how-to-ask Home");
        assertEquals(List.of(), home.pending(), "no waiting card for a non-admin");
        assertEquals(0, home.pendingElsewhere(), "no count for a non-admin");
        assertEquals(List.of(), home.outcomes(), "no outcome for a non-admin");
    }

    @Test
    void anAdminSeesTheWaitingCardsOfAChannelTheyRequestedIn() {
        var home = Home.forAdmin(ADMIN, List.of(waiting("r1", SEEN, ADMIN)));
        assertTrue(home.admin(), "an admin's Home");
        assertEquals(List.of("r1"), ids(home.pending()), "their own waiting card");
        assertEquals(0, home.pendingElsewhere(), "nothing waits elsewhere");
    }

    @Test
    void anAdminSeesAChannelTheyOnlyDecidedIn() {
        var home = Home.forAdmin(
                ADMIN,
                List.of(
                        waiting("r2", SEEN, ADMIN2),
                        request("r1", SEEN, ADMIN2, RequestState.CANCELLED, ADMIN, CARD_TS)));
        assertEquals(List.of("r2"), ids(home.pending()), "a channel where the admin cancelled a card is seen");
        assertEquals(List.of("r1"), ids(home.outcomes()), "and the request they decided is an outcome there");
        assertEquals(0, home.pendingElsewhere(), "the waiting card is shown, not counted");
    }

    @Test
    void anotherAdminsRequestInASeenChannelIsShown() {
        var home = Home.forAdmin(
                ADMIN,
                List.of(
                        waiting("r3", SEEN, ADMIN2),
                        ended("r2", SEEN, ADMIN2, RequestState.REVOKED),
                        ended("r1", SEEN, ADMIN, RequestState.EXPIRED)));
        assertEquals(List.of("r3"), ids(home.pending()), "the channel is seen, whoever asked there");
        assertEquals(List.of("r2", "r1"), ids(home.outcomes()), "every outcome of the seen channel, newest first");
    }

    @Test
    void aChannelTheAdminNeverActedInIsOnlyCounted() {
        var home = Home.forAdmin(
                ADMIN,
                List.of(
                        waiting("r4", PRIVATE, ADMIN2),
                        waiting("r3", SEEN, ADMIN),
                        waiting("r2", PRIVATE, OUTSIDER),
                        ended("r1", PRIVATE, ADMIN2, RequestState.REVOKED)));
        assertEquals(List.of("r3"), ids(home.pending()), "only the seen channel's waiting card");
        assertEquals(2, home.pendingElsewhere(), "the private channel's two waiting cards are counted");
        assertEquals(List.of(), home.outcomes(), "no outcome of the private channel");
    }

    @Test
    void anAdminWhoNeverActedAnywhereSeesOnlyACount() {
        var home = Home.forAdmin(
                ADMIN, List.of(waiting("r2", SEEN, ADMIN2), ended("r1", SEEN, OUTSIDER, RequestState.CANCELLED)));
        assertTrue(home.admin(), "still an admin's Home");
        assertEquals(List.of(), home.pending(), "no channel is seen: no card shown");
        assertEquals(1, home.pendingElsewhere(), "the waiting card is counted");
        assertEquals(List.of(), home.outcomes(), "no outcome shown");
    }

    @Test
    void aChannelIsSeenThroughAnyRequestOfTheAdminEvenOneWhoseCardWasNeverPosted() {
        var home = Home.forAdmin(
                ADMIN,
                List.of(waiting("r2", SEEN, ADMIN2), request("r1", SEEN, ADMIN, RequestState.CANCELLED, null, null)));
        assertEquals(List.of("r2"), ids(home.pending()), "the admin asked in this channel once: it is seen");
    }

    // --- which requests are waiting, which are outcomes ----------------------------------------------------------

    @Test
    void aPendingRequestWithoutACardIsNeitherShownNorCounted() {
        var home = Home.forAdmin(
                ADMIN,
                List.of(
                        request("r3", SEEN, ADMIN, RequestState.PENDING, null, null),
                        request("r2", PRIVATE, ADMIN2, RequestState.PENDING, null, null),
                        waiting("r1", SEEN, ADMIN)));
        assertEquals(List.of("r1"), ids(home.pending()), "a card not yet posted has nothing to open");
        assertEquals(0, home.pendingElsewhere(), "nor is it counted elsewhere");
        assertEquals(List.of(), home.outcomes(), "a pending request is no outcome");
    }

    @Test
    void aRequestBeingRevokedIsNeitherWaitingNorAnOutcome() {
        var home = Home.forAdmin(
                ADMIN,
                List.of(
                        request("r2", SEEN, ADMIN, RequestState.REVOKING, ADMIN2, CARD_TS),
                        request("r1", PRIVATE, ADMIN2, RequestState.REVOKING, ADMIN2, CARD_TS)));
        assertEquals(List.of(), home.pending(), "no decision waits on a request being revoked");
        assertEquals(0, home.pendingElsewhere(), "nor is it counted");
        assertEquals(List.of(), home.outcomes(), "it has no outcome yet");
    }

    @Test
    void everyFinalStateIsAnOutcomeNewestFirst() {
        var newest = List.of(
                ended("r5", SEEN, ADMIN, RequestState.DRY_RUN_CONFIRMED),
                ended("r4", SEEN, ADMIN, RequestState.EXPIRED),
                ended("r3", SEEN, ADMIN, RequestState.CANCELLED),
                ended("r2", SEEN, ADMIN, RequestState.FAILED),
                ended("r1", SEEN, ADMIN, RequestState.REVOKED));
        var home = Home.forAdmin(ADMIN, newest);
        assertEquals(List.of("r5", "r4", "r3", "r2", "r1"), ids(home.outcomes()), "every final state, in order");
        assertEquals(List.of(), home.pending(), "none of them waits");
    }

    @Test
    void atMostTheTenNewestOutcomesAreShown() {
        var newest = IntStream.rangeClosed(1, Home.OUTCOMES + 2)
                .mapToObj(i -> ended("r" + i, SEEN, ADMIN, RequestState.REVOKED))
                .toList();
        var home = Home.forAdmin(ADMIN, newest);
        assertEquals(
                ids(newest.subList(0, Home.OUTCOMES)), ids(home.outcomes()), "the first (newest) ten outcomes only");
    }

    @Test
    void atMostTwentyWaitingCardsAreShownWhileEveryOtherChannelsCardIsCounted() {
        var newest = new ArrayList<RevocationRequest>();
        for (int i = 1; i <= Home.PENDING_SHOWN + 1; i++) {
            newest.add(waiting("seen" + i, SEEN, ADMIN));
        }
        for (int i = 1; i <= Home.PENDING_SHOWN + 5; i++) {
            newest.add(waiting("private" + i, PRIVATE, ADMIN2));
        }
        var home = Home.forAdmin(ADMIN, newest);
        assertEquals(
                ids(newest.subList(0, Home.PENDING_SHOWN)),
                ids(home.pending()),
                "the twenty newest waiting cards of the seen channel");
        assertEquals(
                Home.PENDING_SHOWN + 5,
                home.pendingElsewhere(),
                "every waiting card of the other channel is counted, with no cap; the seen channel's 21st is not");
    }

    @Test
    void theHomeKeepsItsOwnCopyOfTheLists() {
        var pending = new ArrayList<>(List.of(waiting("r1", SEEN, ADMIN)));
        var outcomes = new ArrayList<>(List.of(ended("r2", SEEN, ADMIN, RequestState.REVOKED)));
        var home = new Home(true, pending, 0, outcomes);
        pending.clear();
        outcomes.clear();
        assertEquals(List.of("r1"), ids(home.pending()), "clearing the caller's list leaves the Home's");
        assertEquals(List.of("r2"), ids(home.outcomes()), "clearing the caller's list leaves the Home's");
        assertThrows(UnsupportedOperationException.class, () -> home.pending().clear(), "the Home is read only");
    }

    // --- through the service -------------------------------------------------------------------------------------

    @Test
    void anAdminOpeningTheHomeGetsItFromTheCachedMembership() {
        d.pinata.activeKey(KEY);
        var service = d.service();
        service.startRevocation(admin(), revoke(KEY));
        var id = d.slack.cards.get(0).id();
        service.showHome(TEAM, ADMIN);
        assertEquals(1, d.slack.homes.size(), "one Home published");
        assertEquals(ADMIN, d.slack.homes.get(0).getKey(), "published to the admin who opened it");
        var home = d.slack.homes.get(0).getValue();
        assertTrue(home.admin(), "an admin's Home");
        assertEquals(List.of(id), ids(home.pending()), "their waiting card");
        assertEquals(List.of(false, false), d.admins.freshChecks, "opening the Home only reads: cached membership");
    }

    @Test
    void aNonAdminOpeningTheHomeLearnsNothingOfTheRequests() {
        d.pinata.activeKey(KEY);
        var service = d.service();
        service.startRevocation(admin(), revoke(KEY));
        service.showHome(TEAM, OUTSIDER);
        assertEquals(OUTSIDER, d.slack.homes.get(0).getKey(), "published to the person who opened it");
        assertEquals(Home.forNonAdmin(), d.slack.homes.get(0).getValue(), "the how-to-ask Home, nothing else");
    }

    @Test
    void anAdminCheckThatFailsShowsTheNonAdminHome() {
        d.pinata.activeKey(KEY);
        var service = d.service();
        service.startRevocation(admin(), revoke(KEY));
        d.admins.failure = "ratelimited";
        service.showHome(TEAM, ADMIN);
        assertEquals(Home.forNonAdmin(), d.slack.homes.get(0).getValue(), "an unknown membership shows no request");
    }

    @Test
    void aDecisionMakesTheChannelSeenForTheAdminWhoDecided() {
        d.pinata.activeKey(KEY);
        var service = d.service();
        service.startRevocation(admin(), revoke(KEY));
        var id = d.slack.cards.get(0).id();
        service.showHome(TEAM, ADMIN2);
        var before = d.slack.homes.get(0).getValue();
        assertEquals(List.of(), before.pending(), "ADMIN2 has not acted in the channel yet");
        assertEquals(1, before.pendingElsewhere(), "the card is only counted");
        service.cancel(d.click(ADMIN2, id));
        service.showHome(TEAM, ADMIN2);
        var after = d.slack.homes.get(1).getValue();
        assertEquals(List.of(id), ids(after.outcomes()), "the request ADMIN2 cancelled is now an outcome they see");
        assertEquals(0, after.pendingElsewhere(), "nothing waits any more");
    }

    @Test
    void anotherWorkspacesRequestsAreNeverOnTheHome() {
        d.store.insert(new RevocationRequest(
                "other-team",
                "T0OTHER",
                CHANNEL,
                ADMIN,
                KEY,
                "elsewhere",
                RequestState.PENDING,
                T0,
                T0.plus(Duration.ofMinutes(10)),
                null,
                null,
                null,
                null,
                null,
                CARD_TS,
                null,
                false,
                List.of()));
        d.service().showHome(TEAM, ADMIN);
        var home = d.slack.homes.get(0).getValue();
        assertEquals(List.of(), home.pending(), "another workspace's card is not shown");
        assertEquals(0, home.pendingElsewhere(), "nor counted");
    }
}
