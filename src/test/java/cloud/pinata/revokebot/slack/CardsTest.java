package cloud.pinata.revokebot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.KeyDetails;
import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.revocation.Outcome;
import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.revocation.RevocationRequest;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.util.json.GsonFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The confirmation card and result message: the button contract, and no injection through user or Pinata text. */
class CardsTest {
    static final String ID = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a90";
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    static final Instant CREATED = Instant.parse("2026-05-01T10:00:00Z");
    static final String HOSTILE_REASON = "<!channel> see <https://evil.example|click here> & ping <@U123>";
    static final String HOSTILE_NAME = "<!here> ci <http://phish.example|key> <@U123>";
    static final String HOSTILE_DETAIL = "<!everyone> <https://evil.example/detail>";
    /** Any "<!" that is not the bot's own date formatting, any raw link, any mention of the user named in the text. */
    static final Pattern INJECTED = Pattern.compile("<!(?!date\\^)|<http|<@U123>");

    private static RevocationRequest request(RequestState state, String outcome, String detail, Integer status) {
        var decided = state == RequestState.PENDING ? null : "U0ADMIN";
        var decidedAt = state == RequestState.PENDING ? null : CREATED.plusSeconds(60);
        return new RevocationRequest(
                ID,
                "T0TEAM",
                "C0INC",
                "U0REQ",
                KEY,
                HOSTILE_REASON,
                state,
                CREATED,
                CREATED.plusSeconds(600),
                decided,
                decidedAt,
                Outcome.of(outcome),
                detail,
                status,
                "1714557600.000100",
                new KeyDetails(HOSTILE_NAME, "2026-01-01T00:00:00Z", "<!channel> admin", false),
                false,
                List.of());
    }

    private static RevocationRequest pending() {
        return request(RequestState.PENDING, null, null, null);
    }

    /** Every string value in the blocks, as Slack would receive it (decoded from the JSON the SDK sends). */
    private static String allText(List<LayoutBlock> blocks) {
        var json = GsonFactory.createSnakeCase().toJson(blocks);
        var out = new StringBuilder();
        collect(JsonParser.parseString(json), out);
        return out.toString();
    }

    private static void collect(JsonElement e, StringBuilder out) {
        if (e.isJsonPrimitive()) {
            out.append(e.getAsString()).append('\n');
        } else if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> collect(x, out));
        } else if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> x : e.getAsJsonObject().entrySet()) {
                collect(x.getValue(), out);
            }
        }
    }

    private static void assertNoInjection(String text) {
        var m = INJECTED.matcher(text);
        assertFalse(m.find(), () -> "raw markup '" + m.group() + "' reached Slack in: " + text);
    }

    private static List<ActionsBlock> actions(List<LayoutBlock> blocks) {
        return blocks.stream()
                .filter(ActionsBlock.class::isInstance)
                .map(ActionsBlock.class::cast)
                .toList();
    }

    @Test
    void pendingCardEscapesReasonAndKeyName() {
        var card =
                allText(Cards.pending(pending(), new KeyLookup.Found(pending().details())));
        assertNoInjection(card);
        assertTrue(
                card.contains("&lt;!channel&gt; see &lt;https://evil.example|click here&gt; &amp; ping &lt;@U123&gt;"),
                card);
        assertTrue(card.contains("&lt;!here&gt; ci"), card);
        // The requester mention and the expiry date are the bot's own markup and must survive.
        assertTrue(card.contains("<@U0REQ>"), card);
        assertTrue(card.contains("<!date^" + CREATED.plusSeconds(600).getEpochSecond() + "^"), card);
    }

    @Test
    void pendingCardEscapesTheLookupFailureReason() {
        var card = allText(Cards.pending(pending(), new KeyLookup.Unavailable("<!channel> <https://evil.example>")));
        assertNoInjection(card);
        assertTrue(card.contains("unavailable"), card);
    }

    @Test
    void pendingCardShowsTheKeyShortened() {
        var card = allText(Cards.pending(pending(), new KeyLookup.NotListed()));
        assertTrue(card.contains("`a1b2…c9d0`"), card);
        assertFalse(card.contains(KEY), card);
    }

    @Test
    void pendingCardHasDangerRevokeButtonWithConfirmDialogAndCancelButton() {
        var blocks = Cards.pending(pending(), new KeyLookup.NotListed());
        var actions = actions(blocks);
        assertEquals(1, actions.size());
        var buttons = actions.get(0).getElements();
        assertEquals(2, buttons.size());

        var revoke = assertInstanceOf(ButtonElement.class, buttons.get(0));
        assertEquals("revoke_confirm", revoke.getActionId());
        assertEquals("danger", revoke.getStyle());
        assertEquals(ID, revoke.getValue());
        assertNotNull(revoke.getConfirm(), "the Revoke button needs Slack's confirm dialog");
        assertNotNull(revoke.getConfirm().getTitle());
        assertNotNull(revoke.getConfirm().getConfirm());
        assertNotNull(revoke.getConfirm().getDeny());
        assertEquals("danger", revoke.getConfirm().getStyle());

        var cancel = assertInstanceOf(ButtonElement.class, buttons.get(1));
        assertEquals("revoke_cancel", cancel.getActionId());
        assertEquals(ID, cancel.getValue());
        assertNull(cancel.getConfirm());
        assertFalse("danger".equals(cancel.getStyle()));
    }

    @Test
    void actionIdsMatchTheContractConstants() {
        assertEquals("revoke_confirm", Cards.CONFIRM_ACTION);
        assertEquals("revoke_cancel", Cards.CANCEL_ACTION);
    }

    @ParameterizedTest
    @EnumSource(
            value = RequestState.class,
            names = {"REVOKING", "REVOKED", "FAILED", "CANCELLED", "EXPIRED"})
    void decidedCardHasNoButtons(RequestState state) {
        var blocks = Cards.decided(request(state, "pinata_unavailable", "Pinata answered HTTP 503", 503));
        assertTrue(actions(blocks).isEmpty(), () -> state + " card still has an actions block");
        var json = GsonFactory.createSnakeCase().toJson(blocks);
        assertFalse(json.contains("revoke_confirm"), json);
        assertFalse(json.contains("revoke_cancel"), json);
        assertFalse(json.contains("\"button\""), json);
    }

    @ParameterizedTest
    @EnumSource(
            value = RequestState.class,
            names = {"REVOKING", "REVOKED", "FAILED", "CANCELLED", "EXPIRED"})
    void decidedCardEscapesReasonKeyNameAndDetail(RequestState state) {
        for (var outcome : List.of("pinata_unavailable", "bot_credential_invalid", "key_not_found", "rejected")) {
            var card = allText(Cards.decided(request(state, outcome, HOSTILE_DETAIL, 500)));
            assertNoInjection(card);
            assertTrue(card.contains("&lt;!channel&gt;"), card);
            assertTrue(card.contains("&lt;!here&gt;"), card);
        }
    }

    @Test
    void decidedCardSaysWhoDecided() {
        var card = allText(Cards.decided(request(RequestState.REVOKED, "revoked", null, 200)));
        assertTrue(card.contains("<@U0ADMIN>"), card);
        assertTrue(card.contains("revoked"), card);
    }

    @Test
    void failedCardExplainsTheFailure() {
        var card = allText(
                Cards.decided(request(RequestState.FAILED, "bot_credential_invalid", "INVALID_CREDENTIALS", 401)));
        assertTrue(card.contains("PINATA_ADMIN_JWT"), card);
        assertTrue(card.contains("HTTP 401"), card);
    }

    @Test
    void resultMessageEscapesKeyNameAndDetail() {
        for (var state : List.of(RequestState.REVOKED, RequestState.FAILED)) {
            for (var outcome :
                    List.of("revoked", "pinata_unavailable", "bot_not_allowed", "key_not_found", "rejected")) {
                var text = Cards.result(request(state, outcome, HOSTILE_DETAIL, 502));
                assertNoInjection(text);
                assertTrue(text.contains("&lt;!here&gt;"), text);
            }
        }
    }

    @Test
    void resultMessageForFailureEscapesDetailShownInline() {
        var text = Cards.result(request(RequestState.FAILED, "pinata_unavailable", HOSTILE_DETAIL, 503));
        assertTrue(text.contains("&lt;!everyone&gt;"), text);
        // An unclear failure with no "still active" from Pinata's lists is unknown, never "not revoked".
        assertTrue(text.contains("may or may not be revoked"), text);
        assertFalse(text.contains("not* revoked"), text);
    }

    @Test
    void resultMessageForRevokedNamesRequesterAndConfirmer() {
        var text = Cards.result(request(RequestState.REVOKED, "revoked", null, 200));
        assertTrue(text.contains("<@U0ADMIN>"), text);
        assertTrue(text.contains("<@U0REQ>"), text);
        assertTrue(text.contains("has been revoked"), text);
    }

    @Test
    void aBulkKeyPinataStillListsActiveIsNeverShownAsRevoked() {
        var keys = List.of(
                new cloud.pinata.revokebot.revocation.RequestKey(
                        0, KEY, null, null, false, Outcome.REVOKED, "verified", 200),
                new cloud.pinata.revokebot.revocation.RequestKey(
                        1,
                        "b1b2c3d4e5f6a7b8c9d0",
                        null,
                        null,
                        false,
                        Outcome.REVOKED,
                        cloud.pinata.revokebot.revocation.RequestKey.STILL_LISTED_ACTIVE,
                        200));
        var r = request(RequestState.FAILED, "partial", "1 of 2 revoked", null).withKeys(keys);
        var text = allText(Cards.decided(r)) + Cards.result(r);
        assertTrue(text.contains("still lists it as active"), text);
        assertTrue(text.contains("revoked and verified"), text);
        assertFalse(text.contains("All 2"), text);
        assertEquals(
                1,
                r.keys().stream()
                        .filter(cloud.pinata.revokebot.revocation.RequestKey::revoked)
                        .count());
    }
}
