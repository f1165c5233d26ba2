package cloud.pinata.revokebot.revocation;

import static cloud.pinata.revokebot.revocation.DomainParts.ADMIN2;
import static cloud.pinata.revokebot.revocation.DomainParts.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The leaked-JWT proof and the half-time reminder, in the domain tier: one rule per test. */
class LeakedJwtDomainTest {
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    static final String JWT =
            TestJwtShapes.pinata("{\"scopedKeyKey\":\"" + KEY + "\",\"scopedKeySecret\":\"" + "cd".repeat(32) + "\"}");

    final DomainParts d = new DomainParts();

    @AfterEach
    void close() {
        d.close();
    }

    private static Command.Revoke leaked() {
        var decoded = (LeakedJwt.Usable) LeakedJwt.decode(JWT);
        return Command.Revoke.leaked(decoded.jwt(), "in a ticket", false);
    }

    private String card(RevocationService service) {
        d.pinata.activeKey(KEY);
        service.startRevocation(admin(), leaked());
        assertEquals(1, d.slack.cards.size(), "one card");
        return d.slack.cards.get(0).id();
    }

    @Test
    void afterTheRevokeTheLeakedJwtIsCheckedOnceAndOnlyItsFingerprintIsKept() {
        var service = d.service();
        var id = card(service);
        assertEquals(LeakedJwt.sha256(JWT), d.request(id).leakedJwtSha256());
        service.confirm(d.click(ADMIN2, id));
        assertEquals(
                List.of(JWT),
                d.pinata.credentialChecks.stream().map(LeakedJwt::reveal).toList());
        assertEquals(JwtProof.refused(401), d.request(id).jwtProof());
        assertEquals(RequestState.REVOKED, d.request(id).state());
        assertTrue(d.outcomes().contains("jwt_refused"), d.outcomes().toString());
        assertTrue(d.audit.records.stream().noneMatch(a -> String.valueOf(a).contains(JWT.split("\\.")[1])), "audit");
    }

    @Test
    void aProcessThatNeverHeldTheJwtSkipsTheCheck() {
        var id = card(d.service());
        d.service().confirm(d.click(ADMIN2, id)); // another process (a restart, another instance) takes the click
        assertTrue(d.pinata.credentialChecks.isEmpty());
        assertNull(d.request(id).jwtProof());
        assertEquals(RequestState.REVOKED, d.request(id).state());
        assertTrue(
                d.outcomes().contains("jwt_check_skipped:not_in_memory"),
                d.outcomes().toString());
    }

    @Test
    void aLeaseLostBeforeTheCheckSkipsIt() {
        var service = d.service();
        var id = card(service);
        d.pinata.duringRevoke = () -> d.store.takeOver(id, "other/1");
        service.confirm(d.click(ADMIN2, id));
        assertTrue(d.pinata.credentialChecks.isEmpty(), "a process without the lease sends nothing more");
        assertTrue(
                d.outcomes().contains("jwt_check_skipped:lease_lost"),
                d.outcomes().toString());
    }

    @Test
    void aRevokeThatFailedIsNotChecked() {
        var service = d.service();
        var id = card(service);
        d.pinata.answers.add(
                new RevokeOutcome.Refused(RevokeOutcome.Reason.BOT_CREDENTIAL_INVALID, 401, "INVALID_CREDENTIALS"));
        service.confirm(d.click(ADMIN2, id));
        assertTrue(d.pinata.credentialChecks.isEmpty());
        assertEquals(RequestState.FAILED, d.request(id).state());
    }

    @Test
    void aCancelledRequestForgetsTheJwt() {
        var service = d.service();
        var id = card(service);
        service.cancel(d.click(ADMIN2, id));
        assertEquals(RequestState.CANCELLED, d.request(id).state());
        assertTrue(d.pinata.credentialChecks.isEmpty());
    }

    @Test
    void aJwtWhoseRequestAnotherInstanceEndedIsForgottenAtTheNextSweep() {
        var holder = d.service();
        var id = card(holder);
        // Another instance serves the Cancel click; the process holding the JWT never sees the request end.
        d.service().cancel(d.click(ADMIN2, id));
        assertEquals(RequestState.CANCELLED, d.request(id).state());
        assertEquals(1, holder.forgetEndedJwts(), "the ended request's JWT is dropped");
        assertEquals(0, holder.forgetEndedJwts());
        holder.startRevocation(admin(), leaked());
        var open = d.slack.cards.get(1).id();
        assertEquals(0, holder.forgetEndedJwts(), "a pending request keeps its JWT until its check");
        assertEquals(RequestState.PENDING, d.request(open).state());
    }

    // --- the reminder at half time ------------------------------------------------------------------------------

    @Test
    void oneReminderAtHalfTimeEvenAcrossRestarts() {
        var service = d.service();
        var id = card(service);
        d.clock.advance(Duration.ofMinutes(5).minusSeconds(1)); // the TTL is 10 minutes
        assertEquals(0, service.remindDue(), "not before half time");
        d.clock.advance(Duration.ofSeconds(1));
        assertEquals(1, service.remindDue());
        assertEquals(
                List.of(id),
                d.slack.reminders.stream().map(RevocationRequest::id).toList());
        assertEquals(0, service.remindDue(), "once");
        assertEquals(0, d.service().remindDue(), "once, for a restarted process too");
        assertTrue(d.outcomes().contains("reminded"));
    }

    @Test
    void noReminderForADecidedRequest() {
        var service = d.service();
        var id = card(service);
        service.cancel(d.click(ADMIN2, id));
        d.clock.advance(Duration.ofMinutes(6));
        assertEquals(0, service.remindDue());
        assertTrue(d.slack.reminders.isEmpty());
    }
}
