package cloud.pinata.revokebot.revocation;

import static cloud.pinata.revokebot.revocation.DomainParts.CHANNEL;
import static cloud.pinata.revokebot.revocation.DomainParts.OUTSIDER;
import static cloud.pinata.revokebot.revocation.DomainParts.active;
import static cloud.pinata.revokebot.revocation.DomainParts.admin;
import static cloud.pinata.revokebot.revocation.DomainParts.in;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code status <key>} and {@code history [N]}: read-only answers to one admin, each audited by what it showed. */
class QueriesTest {
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";

    final DomainParts d = new DomainParts();

    @AfterEach
    void close() {
        d.close();
    }

    static Stream<Arguments> lookups() {
        return Stream.of(
                Arguments.of(new KeyLookup.Found(active("ci-deploy")), "key_active"),
                Arguments.of(
                        new KeyLookup.Found(new KeyDetails("old", "2026-01-01T00:00:00Z", "admin", true)),
                        "key_revoked"),
                Arguments.of(new KeyLookup.NotListed(), "key_not_listed"),
                Arguments.of(new KeyLookup.Unavailable("HTTP 503 from Pinata"), "lookup_unavailable"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("lookups")
    void statusShowsWhatTheLookUpFoundAndAuditsIt(KeyLookup lookup, String audited) {
        d.pinata.lookups.put(KEY, lookup);

        d.service().answerQuery(admin(), new Command.Status(KEY));

        assertEquals(List.of(java.util.Map.entry(KEY, lookup)), d.slack.statuses, "the answer shows the look-up");
        assertEquals(List.of(audited), d.outcomes(), "the audit says what was shown");
        assertEquals(KEY, d.audit.records.get(0).apiKey(), "and which key was asked about");
        assertTrue(d.pinata.revokeCalls.isEmpty(), "a query never revokes");
        assertTrue(d.slack.cards.isEmpty(), "nor posts a card");
    }

    @Test
    void historyShowsOnlyThisChannelsRecordsAndAuditsHowMany() {
        d.pinata.activeKey(KEY);
        var service = d.service();
        service.startRevocation(admin(), DomainParts.revoke(KEY)); // one record in the incident channel
        service.startRevocation(in(DomainParts.ADMIN, "C0OTHER"), DomainParts.revoke(KEY)); // one elsewhere

        service.answerQuery(admin(), new Command.History(10));

        assertEquals(1, d.slack.histories.size(), "one answer");
        var shown = d.slack.histories.get(0);
        assertEquals(1, shown.size(), "only this channel's record: " + shown);
        assertEquals(CHANNEL, shown.get(0).channelId());
        assertEquals("shown:1", d.outcomes().get(d.outcomes().size() - 1));
    }

    @Test
    void aNonAdminLearnsNothingFromAQuery() {
        d.pinata.activeKey(KEY);

        d.service().answerQuery(in(OUTSIDER, CHANNEL), new Command.Status(KEY));

        assertTrue(d.slack.statuses.isEmpty(), "no status shown");
        assertEquals(List.of("not_admin"), d.outcomes());
        assertInstanceOf(Notice.NotAdmin.class, d.slack.notices().get(0));
    }
}
