package cloud.pinata.revokebot.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.pinata.RequestBudget.Priority;
import cloud.pinata.revokebot.retry.RetryPolicy;
import cloud.pinata.revokebot.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared Pinata budget, with a clock that only its sleeper moves. */
class RequestBudgetTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T03:00:00Z"));
    final List<Instant> sent = new ArrayList<>();
    /** Every wait the budget asked for, in order. */
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    /** Records each wait and moves the clock by it; a budget that keeps waiting far too often fails instead of spinning. */
    final RetryPolicy.Sleeper sleeper = d -> {
        sleeps.add(d);
        if (sleeps.size() > 1_000) {
            throw new AssertionError("the budget never let the call go: " + sleeps.subList(0, 10) + " …");
        }
        clock.advance(d);
    };

    final RequestBudget budget = new RequestBudget(10, clock, sleeper);

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

    @Test
    void aBudgetOfOneRequestAMinuteIsAllowedAndLetsExactlyOneThroughPerMinute() throws Exception {
        var one = new RequestBudget(1, clock, sleeper);
        var start = clock.instant();

        one.acquire(Priority.URGENT);
        assertEquals(start, clock.instant(), "the first request of a one-a-minute budget goes at once");
        one.acquire(Priority.BACKGROUND);

        assertEquals(start.plus(Duration.ofMinutes(1)), clock.instant(), "the second waited for the first to age out");
        assertEquals(2, one.spent(), "both requests counted");
    }

    @Test
    void atTheLimitTheNextRequestWaitsExactlyUntilTheOldestLeavesTheWindow() throws Exception {
        var start = clock.instant();
        send(Priority.URGENT, 10);
        clock.advance(Duration.ofMillis(59_500));

        send(Priority.URGENT, 1);

        assertEquals(List.of(Duration.ofMillis(500)), sleeps, "one wait, for the rest of the oldest send's minute");
        assertEquals(start.plus(Duration.ofMinutes(1)), clock.instant(), "sent as the oldest left the window");
    }

    @Test
    void longWaitsAreSleptInSlicesOfAtMostASecond() throws Exception {
        // A caller that slept through Pinata's whole Retry-After would not notice an urgent caller arriving meanwhile.
        budget.pause(Duration.ofSeconds(60));

        send(Priority.URGENT, 1);

        assertEquals(Collections.nCopies(60, Duration.ofSeconds(1)), sleeps, "sixty one-second slices");
    }

    @Test
    void aWaitShorterThanAMillisecondIsSleptAsOneMillisecondNeverAsZero() throws Exception {
        budget.pause(Duration.ofNanos(300_000));

        send(Priority.URGENT, 1);

        assertEquals(List.of(Duration.ofMillis(1)), sleeps, "a zero-length sleep would make the caller spin");
    }

    @Test
    void backgroundWorkWaitsUntilFewerThanItsShareWereSentInTheLastMinute() throws Exception {
        // Ten urgent calls, 100 ms apart, took the whole budget including the reserve. Background work may send once
        // fewer than 8 (its share) remain in the window: when the third oldest, sent at +200 ms, leaves it.
        var start = clock.instant();
        for (int i = 0; i < 10; i++) {
            if (i > 0) {
                clock.advance(Duration.ofMillis(100));
            }
            send(Priority.URGENT, 1);
        }

        send(Priority.BACKGROUND, 1);

        assertEquals(
                start.plus(Duration.ofMillis(60_200)),
                clock.instant(),
                "background sent the moment its share was free again, not later");
    }

    @Test
    void aBackgroundCallerThatWaitsIsSentOnceThePauseEnds() throws Exception {
        var start = clock.instant();
        budget.pause(Duration.ofSeconds(2));

        send(Priority.BACKGROUND, 1);

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), sleeps, "waited the pause out, no more");
        assertEquals(start.plusSeconds(2), sent.get(0), "sent when the pause ended");
    }

    @Test
    void anUrgentCallerThatWaitedLeavesNoClaimBehindOnceSent() throws Exception {
        budget.pause(Duration.ofSeconds(3));
        send(Priority.URGENT, 1);
        sleeps.clear();
        var afterUrgent = clock.instant();

        send(Priority.BACKGROUND, 1);

        assertEquals(List.of(), sleeps, "nobody urgent is waiting any more: background goes at once");
        assertEquals(afterUrgent, clock.instant(), "no time passed");
    }

    @Test
    void backgroundWorkYieldsWhileAnUrgentCallIsWaiting() throws Exception {
        var urgentAsleep = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var urgentSent = new CountDownLatch(1);
        var order = new CopyOnWriteArrayList<String>();
        var backgroundSleeps = new CopyOnWriteArrayList<Duration>();
        var urgentThread = new Thread[1];
        RetryPolicy.Sleeper twoCallers = d -> {
            if (Thread.currentThread() == urgentThread[0]) {
                urgentAsleep.countDown();
                if (!release.await(5, TimeUnit.SECONDS)) {
                    throw new AssertionError("background never yielded to the waiting urgent call");
                }
                return;
            }
            backgroundSleeps.add(d);
            if (backgroundSleeps.size() > 100) {
                throw new AssertionError("background kept yielding after the urgent call was sent");
            }
            release.countDown();
            if (!urgentSent.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("the urgent call was not sent once background yielded");
            }
        };
        var shared = new RequestBudget(10, clock, twoCallers);
        shared.pause(Duration.ofSeconds(1));
        urgentThread[0] = new Thread(
                () -> {
                    try {
                        shared.acquire(Priority.URGENT);
                        order.add("urgent");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        urgentSent.countDown();
                    }
                },
                "urgent-caller");
        try {
            urgentThread[0].start();
            assertTrue(urgentAsleep.await(5, TimeUnit.SECONDS), "the urgent call never waited on the pause");
            clock.advance(Duration.ofSeconds(1)); // the pause is over while the urgent caller still sleeps

            shared.acquire(Priority.BACKGROUND);
            order.add("background");
        } finally {
            release.countDown();
            urgentThread[0].join(5_000);
        }

        assertEquals(List.of("urgent", "background"), order, "the waiting urgent call went first");
        assertEquals(List.of(Duration.ofMillis(250)), backgroundSleeps, "background yielded for one poll, no more");
        assertEquals(2, shared.spent(), "both calls were sent");
    }
}
