package cloud.pinata.revokebot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import cloud.pinata.revokebot.revocation.Caller;
import cloud.pinata.revokebot.revocation.Click;
import cloud.pinata.revokebot.revocation.Notice;
import cloud.pinata.revokebot.revocation.Ports.Messenger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP click path hands exactly Slack-shaped clicks on our two buttons to the listeners, and nothing else. */
class ClickFastPathTest {
    private final List<Click> confirms = new ArrayList<>();
    private final List<Click> cancels = new ArrayList<>();
    private final Messenger messenger = mock(Messenger.class);
    private final Jobs jobs = new Jobs(Runnable::run, Runnable::run, messenger);
    private final ClickFastPath path = new ClickFastPath(Map.of(
            Cards.CONFIRM_ACTION, new CardButtonListener("confirm", confirms::add, jobs),
            Cards.CANCEL_ACTION, new CardButtonListener("cancel", cancels::add, jobs)));

    private static String click(String actionId) {
        return "{\"type\":\"block_actions\",\"team\":{\"id\":\"T0TEAM\"},\"user\":{\"id\":\"U0ADMIN\",\"team_id\":\"T0TEAM\"},"
                + "\"channel\":{\"id\":\"C0INC\",\"name\":\"inc-leak\"},\"response_url\":\"https://hooks.slack.test/actions/1\","
                + "\"container\":{\"type\":\"message\",\"message_ts\":\"1700000000.000100\",\"channel_id\":\"C0INC\"},"
                + "\"actions\":[{\"action_id\":\"" + actionId
                + "\",\"block_id\":\"b\",\"value\":\"0123456789abcdef0123456789abcdef\","
                + "\"type\":\"button\",\"action_ts\":\"1700000000.000200\"}]}";
    }

    private static String form(String json) {
        return "payload=" + URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    @Test
    void confirmClickReachesTheConfirmListenerWithEveryField() {
        assertTrue(path.handle(form(click(Cards.CONFIRM_ACTION))));

        assertEquals(
                List.of(new Click(
                        new Caller("T0TEAM", "C0INC", "inc-leak", "U0ADMIN", "https://hooks.slack.test/actions/1"),
                        "0123456789abcdef0123456789abcdef",
                        "1700000000.000100")),
                confirms);
        assertTrue(cancels.isEmpty());
    }

    @Test
    void cancelClickReachesTheCancelListenerOnly() {
        assertTrue(path.handle(form(click(Cards.CANCEL_ACTION))));

        assertEquals(1, cancels.size());
        assertTrue(confirms.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not-a-form",
                "payload=%7Bnot+json",
                "payload=null",
                "payload=%5B%5D",
            })
    void malformedBodiesAreLeftToBolt(String body) {
        assertFalse(path.handle(body));
        assertTrue(confirms.isEmpty() && cancels.isEmpty());
    }

    @Test
    void anythingButOurButtonsIsLeftToBolt() {
        var confirm = click(Cards.CONFIRM_ACTION);
        for (var json : List.of(
                click("some_other_action"),
                confirm.replace("\"block_actions\"", "\"view_submission\""),
                confirm.replace("\"team\":{\"id\":\"T0TEAM\"},", ""),
                confirm.replace("\"user\":{\"id\":\"U0ADMIN\",\"team_id\":\"T0TEAM\"},", ""),
                confirm.replace("\"channel\":{\"id\":\"C0INC\",\"name\":\"inc-leak\"},", ""),
                confirm.replace("\"id\":\"C0INC\"", "\"id\":\"\""),
                "{\"type\":\"block_actions\",\"actions\":[]}",
                confirm.replace("\"action_id\":\"revoke_confirm\",", ""),
                confirm.replace("\"actions\":[{", "\"actions\":[null,{"),
                confirm.replace(
                        "\"actions\":[{", "\"actions\":[{\"action_id\":\"revoke_cancel\",\"value\":\"x\"},{"))) {
            assertFalse(path.handle(form(json)), json);
        }
        // A second form field is not what Slack sends: Bolt judges it.
        assertFalse(path.handle(form(confirm) + "&token=x"));
        assertTrue(confirms.isEmpty() && cancels.isEmpty());
    }

    @Test
    void clickTheExecutorCannotTakeIsAnsweredBusyToTheClickerAlone() {
        var notices = new ArrayList<Runnable>();
        var full = new Jobs(
                task -> {
                    throw new RejectedExecutionException("full");
                },
                notices::add,
                messenger);
        var busy =
                new ClickFastPath(Map.of(Cards.CONFIRM_ACTION, new CardButtonListener("confirm", confirms::add, full)));

        assertTrue(busy.handle(form(click(Cards.CONFIRM_ACTION))));

        assertTrue(confirms.isEmpty());
        // The ack does not wait for Slack: the notice is queued, and sent only when the notice thread runs it.
        verify(messenger, never()).tell(any(), any());
        assertEquals(1, notices.size());
        notices.get(0).run();
        verify(messenger)
                .tell(
                        eq(new Caller("T0TEAM", "C0INC", "inc-leak", "U0ADMIN", "https://hooks.slack.test/actions/1")),
                        eq(new Notice.Busy()));
        verify(messenger, never()).postResult(any());
    }

    @Test
    void clickRefusedWhileTheNoticeQueueIsFullIsStillAcknowledged() {
        Jobs full = new Jobs(
                task -> {
                    throw new RejectedExecutionException("workers full");
                },
                task -> {
                    throw new RejectedExecutionException("notices full");
                },
                messenger);
        var busy =
                new ClickFastPath(Map.of(Cards.CONFIRM_ACTION, new CardButtonListener("confirm", confirms::add, full)));

        assertTrue(
                busy.handle(form(click(Cards.CONFIRM_ACTION))), "the ack goes out; the notice is logged as not sent");

        assertTrue(confirms.isEmpty());
        verify(messenger, never()).tell(any(), any());
    }
}
