package cloud.pinata.revokebot.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.RETURNS_SELF;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Slack's route during start-up: requests wait for the real handler, briefly, and never reach a missing one. */
class WhenReadyTest {

    @Test
    void requestWaitingAtTheGateGoesOnWhenItOpens() throws Exception {
        var gate = new WhenReady();
        var ctx = mock(Context.class, RETURNS_SELF);
        var reached = new CountDownLatch(1);
        Handler real = c -> reached.countDown();

        var request = CompletableFuture.runAsync(() -> {
            try {
                gate.handle(ctx);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertFalse(gate.isOpen());
        gate.open(real);

        assertTrue(
                reached.await(WhenReady.WAIT_MILLIS + 5_000, TimeUnit.MILLISECONDS),
                "the waiting request reached the handler");
        request.get(5, TimeUnit.SECONDS);
        assertTrue(gate.isOpen());
        verify(ctx, never()).status(HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void gateThatNeverOpensAnswers503AndCallsNothing() throws Exception {
        var gate = new WhenReady();
        var ctx = mock(Context.class, RETURNS_SELF);

        gate.handle(ctx);

        verify(ctx).status(HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void saysWhyItIsNotReadyUntilOpen() {
        var gate = new WhenReady();
        assertEquals("starting", gate.notReadyBecause());
        gate.notReady("Slack unreachable: UnknownHostException");
        assertEquals("Slack unreachable: UnknownHostException", gate.notReadyBecause());
        gate.open(ctx -> {});
        assertNull(gate.notReadyBecause(), "open: nothing to report");
    }
}
