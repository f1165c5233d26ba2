package cloud.pinata.revokebot.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling; never a fixed sleep. */
public final class Eventually {
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private Eventually() {}

    public static void await(String what, BooleanSupplier condition) {
        await(what, DEADLINE, condition);
    }

    /** For slow things such as a JVM starting on a busy machine. */
    public static void await(String what, Duration deadline, BooleanSupplier condition) {
        var end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
        fail("timed out after " + deadline.toSeconds() + " s waiting for " + what);
    }

    /** Waits until {@code value} returns non-null, and returns it. (Not an overload of await: a Boolean would match both.) */
    public static <T> T awaitValue(String what, Supplier<T> value) {
        Object[] box = new Object[1];
        await(what, () -> (box[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        var t = (T) box[0];
        return t;
    }
}
