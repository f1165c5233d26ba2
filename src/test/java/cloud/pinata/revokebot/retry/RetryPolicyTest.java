package cloud.pinata.revokebot.retry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RetryPolicy}: the validation of a policy, the growth and cap of the full-jitter backoff, and Retry-After.
 * Every policy is built inside its test, so a broken constructor check fails here rather than in a class initialiser.
 */
class RetryPolicyTest {
    private static final int SAMPLES = 200;

    private static RetryPolicy policy(long baseMillis, long maxMillis) {
        return new RetryPolicy(4, Duration.ofMillis(baseMillis), Duration.ofMillis(maxMillis), Duration.ofSeconds(30));
    }

    /** Every sampled delay after {@code attempt} lies in [cap/2, cap], the full-jitter window of that attempt. */
    private static void assertDelaysWithin(RetryPolicy policy, int attempt, long lowMillis, long highMillis) {
        for (int i = 0; i < SAMPLES; i++) {
            var millis = policy.delayAfter(attempt, -1).toMillis();
            assertTrue(
                    millis >= lowMillis && millis <= highMillis,
                    "delay after attempt " + attempt + " was " + millis + " ms, expected " + lowMillis + ".."
                            + highMillis);
        }
    }

    // --- validation ------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void refusesFewerThanOneAttempt(int maxAttempts) {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(maxAttempts, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("maxAttempts"), e::getMessage);
    }

    @Test
    void refusesANegativeBaseDelay() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofMillis(-1), Duration.ofMillis(2), Duration.ofSeconds(1)));
    }

    @Test
    void refusesAMaxDelayBelowTheBaseDelay() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(4), Duration.ofSeconds(1)));
    }

    @Test
    void refusesANegativeDeadline() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(-1)));
    }

    @Test
    void acceptsTheBoundaryPolicyOfOneAttemptZeroDelaysAndZeroDeadline() {
        var p = assertDoesNotThrow(() -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        assertEquals(1, p.maxAttempts());
        assertEquals(Duration.ZERO, p.deadline());
    }

    @Test
    void acceptsAMaxDelayEqualToTheBaseDelay() {
        var p = assertDoesNotThrow(
                () -> new RetryPolicy(2, Duration.ofMillis(7), Duration.ofMillis(7), Duration.ofSeconds(1)));
        assertDelaysWithin(p, 3, 3, 7);
    }

    @Test
    void standardPolicyIsFourAttemptsFromAQuarterSecondCappedAtFourWithinTwentyFiveSeconds() {
        var p = RetryPolicy.standard();
        assertEquals(4, p.maxAttempts());
        assertEquals(Duration.ofMillis(250), p.baseDelay());
        assertEquals(Duration.ofSeconds(4), p.maxDelay());
        assertEquals(Duration.ofSeconds(25), p.deadline());
    }

    // --- backoff ---------------------------------------------------------------------------------------------------

    @Test
    void backoffDoublesWithEachAttemptWithinTheJitterWindow() {
        var p = policy(100, 10_000);
        assertDelaysWithin(p, 1, 50, 100);
        assertDelaysWithin(p, 2, 100, 200);
        assertDelaysWithin(p, 3, 200, 400);
        assertDelaysWithin(p, 4, 400, 800);
    }

    @Test
    void laterAttemptsNeverWaitLessThanHalfOfTheGrownDelay() {
        // Shifting the wrong way would make attempt 4 wait at most 12 ms.
        var p = policy(100, 10_000);
        for (int i = 0; i < SAMPLES; i++) {
            assertTrue(p.delayAfter(4, -1).toMillis() >= 400);
        }
    }

    @Test
    void backoffStopsGrowingAtTheMaxDelay() {
        var p = policy(100, 1_000);
        assertDelaysWithin(p, 5, 500, 1_000);
        assertDelaysWithin(p, 10, 500, 1_000);
    }

    @ParameterizedTest
    @ValueSource(ints = {21, 22, 63, 64, 65, 1_000, Integer.MAX_VALUE})
    void hugeAttemptNumbersStayAtTheMaxDelayWithoutOverflow(int attempt) {
        assertDelaysWithin(policy(100, 4_000), attempt, 2_000, 4_000);
    }

    @Test
    void aOneMillisecondBaseCanWaitTheWholeMillisecond() {
        // The window is inclusive of the cap: [0, 1] ms, never an empty range.
        var p = policy(1, 1);
        var sawOne = false;
        for (int i = 0; i < SAMPLES; i++) {
            var millis = p.delayAfter(1, -1).toMillis();
            assertTrue(millis == 0 || millis == 1, "delay " + millis);
            sawOne |= millis == 1;
        }
        assertTrue(sawOne, "the cap itself is never drawn");
    }

    // --- Retry-After -----------------------------------------------------------------------------------------------

    @Test
    void retryAfterOfZeroMeansRetryAtOnce() {
        var p = policy(100, 10_000);
        for (int attempt = 1; attempt <= 4; attempt++) {
            assertEquals(Duration.ZERO, p.delayAfter(attempt, 0));
        }
    }

    @Test
    void retryAfterOverridesTheBackoffEvenPastTheMaxDelay() {
        var p = policy(100, 1_000);
        assertEquals(Duration.ofSeconds(7), p.delayAfter(1, 7));
        assertEquals(Duration.ofSeconds(120), p.delayAfter(3, 120));
    }

    @Test
    void noRetryAfterFallsBackToTheBackoff() {
        var millis = policy(100, 10_000).delayAfter(1, -1).toMillis();
        assertTrue(millis >= 50 && millis <= 100, "delay " + millis);
    }

    @ParameterizedTest
    @CsvSource({"0,0", "7,7", "' 12 ',12", "-5,0", "86400,86400"})
    void readsRetryAfterDeltaSeconds(String header, long seconds) {
        assertEquals(seconds, RetryPolicy.retryAfterSeconds(header));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "soon", "1.5", "Wed, 21 Oct 2026 07:28:00 GMT", "99999999999999999999"})
    void absentOrUnreadableRetryAfterIsMinusOne(String header) {
        assertEquals(-1, RetryPolicy.retryAfterSeconds(header));
    }
}
