package cloud.pinata.revokebot.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.pinata.RequestBudget.Priority;
import cloud.pinata.revokebot.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared Pinata budget, with a clock that only its sleeper moves. */
class RequestBudgetTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T03:00:00Z"));
    final List<Instant> sent = new ArrayList<>();
    final RequestBudget budget = new RequestBudget(10, clock, clock::advance);

    private void send(Priority p, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            budget.acquire(p);
            sent.add(clock.instant());
        }
    }

    private int maxInAnyMinute() {
        var max = 0;
        for (var start : sent) {
            var n = (int) sent.stream()
                    .filter(t -> !t.isBefore(start) && t.isBefore(start.plus(Duration.ofMinutes(1))))
                    .count();
            max = Math.max(max, n);
        }
        return max;
    }

    @Test
    void neverMoreThanTheLimitInAnyRollingMinute() throws Exception {
        send(Priority.URGENT, 35);
        assertEquals(10, maxInAnyMinute(), () -> "sends: " + sent);
        assertEquals(35, budget.spent());
    }

    @Test
    void aBurstWithinTheLimitDoesNotWait() throws Exception {
        var start = clock.instant();
        send(Priority.URGENT, 10);
        assertEquals(start, clock.instant(), "ten at once, no wait");
    }

    @Test
    void backgroundWorkLeavesAReserveForRevocations() throws Exception {
        send(Priority.BACKGROUND, 8); // 10 - 10/5
        var beforeUrgent = clock.instant();
        send(Priority.URGENT, 2);
        assertEquals(beforeUrgent, clock.instant(), "the reserve was there for the revoke");
        send(Priority.BACKGROUND, 1);
        assertTrue(clock.instant().isAfter(beforeUrgent), "background waited for the window to move");
    }

    @Test
    void aRateLimitPausesEveryoneForRetryAfter() throws Exception {
        var start = clock.instant();
        budget.pause(Duration.ofSeconds(60));
        send(Priority.URGENT, 1);
        assertTrue(!clock.instant().isBefore(start.plusSeconds(60)), "waited until " + clock.instant());
    }

    @Test
    void refusesANonsensicalLimit() {
        assertThrows(IllegalArgumentException.class, () -> new RequestBudget(0, clock, clock::advance));
    }
}
