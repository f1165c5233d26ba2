package cloud.pinata.revokebot.revocation;

import static cloud.pinata.revokebot.revocation.DomainParts.OUTSIDER;
import static cloud.pinata.revokebot.revocation.DomainParts.admin;
import static cloud.pinata.revokebot.revocation.DomainParts.in;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.support.TestJwt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The message shortcut's scan in the domain tier: which words of a message are key ids, which JWT is used, which
 * secrets are only noted, and what request the findings start. MessageShortcutTest proves the same through Slack.
 */
class MessageScanTest {
    static final String KEY = "a1b2c3d4e5f6a7b8c9d0";
    static final String KEY2 = "b1b2c3d4e5f6a7b8c9d0";
    static final String KEY3 = "c1b2c3d4e5f6a7b8c9d0";
    static final String SECRET = "3c".repeat(32);
    static final String LEAKED = TestJwt.forKey(KEY, SECRET);
    static final String LEAKED2 = TestJwt.forKey(KEY2, "4d".repeat(32));
    /** Shaped like a Pinata JWT, but its payload names no key. */
    static final String NO_KEY_JWT = TestJwtShapes.pinata("{\"sub\":\"u1\"}");
    /** Shaped like a JWT, but not HS256. */
    static final String NOT_HS256_JWT =
            TestJwtShapes.withHeader("{\"alg\":\"none\"}", "{\"scopedKeyKey\":\"" + KEY + "\"}");

    static final String THREAD = "1764630000.000001";

    final DomainParts d = new DomainParts();

    @AfterEach
    void close() {
        d.close();
    }

    private static String problemOf(String jwt) {
        return ((LeakedJwt.Unusable) LeakedJwt.decode(jwt)).problem();
    }

    private static void assertNoSecretIn(String shown, String... secrets) {
        for (var secret : secrets) {
            for (var part : secret.split("\\.")) {
                assertFalse(shown.contains(part), "no part of a secret in: " + shown);
            }
        }
    }

    // --- key ids --------------------------------------------------------------------------------------------------

    @Test
    void aWordOfTwentyHexCharactersIsAKeyId() {
        var found = MessageScan.scan("the deploy key " + KEY + " is in the public repo");
        assertEquals(List.of(KEY), found.keyIds(), "the 20-hex word is the key id");
        assertNull(found.jwt(), "no JWT in the message");
        assertNull(found.unusableJwt(), "no JWT to complain about");
        assertFalse(found.unmappedSecret(), "no secret in the message");
        assertFalse(found.nothing(), "a key id is something to revoke");
    }

    @Test
    void commitHashesDatesAndHexWordsOfAnotherLengthAreNotKeyIds() {
        var found = MessageScan.scan(
                "build 3f2a1b7c of 2026-12-01 is green; commit 0123456789abcdef0123456789abcdef01234567,"
                        + " ids a1b2c3d4e5f6a7b8c9d and a1b2c3d4e5f6a7b8c9d0e");
        assertEquals(List.of(), found.keyIds(), "only words of exactly 20 hex characters are key ids");
        assertTrue(found.nothing(), "nothing to revoke");
        assertFalse(found.unmappedSecret(), "none of these is a secret either");
    }

    @Test
    void twentyHexCharactersGluedToAWordAreNotAKeyId() {
        for (var text : List.of("x" + KEY, KEY + "x", "_" + KEY, KEY + "_", "-" + KEY, KEY + "-", "9" + KEY)) {
            assertEquals(List.of(), MessageScan.scan(text).keyIds(), "part of a longer word, not a key id: " + text);
        }
    }

    @Test
    void aKeyIdInACodeBlockOrBetweenPunctuationIsFound() {
        for (var text : List.of(
                "```" + KEY + "```",
                "`" + KEY + "`",
                "(" + KEY + ")",
                "PINATA_API_KEY=" + KEY,
                "key:" + KEY + ",",
                "line one\n" + KEY + "\nline three")) {
            assertEquals(List.of(KEY), MessageScan.scan(text).keyIds(), "a key id between punctuation: " + text);
        }
    }

    @Test
    void keyIdsAreLowerCasedAndDistinctInTheOrderWritten() {
        var found = MessageScan.scan(KEY2 + " then " + KEY.toUpperCase() + ", again " + KEY + " and " + KEY2);
        assertEquals(List.of(KEY2, KEY), found.keyIds(), "each key once, lower case, first mention first");
    }

    @Test
    void aMessageAsSlackStoresItWithEscapesIsReadAsText() {
        var found = MessageScan.scan("&lt;" + KEY + "&gt; &amp; " + KEY2.toUpperCase());
        assertEquals(List.of(KEY, KEY2), found.keyIds(), "the key ids beside Slack's escapes");
    }

    @Test
    void anEmptyOrMissingMessageHoldsNothing() {
        for (var text : new String[] {null, "", "   \n"}) {
            var found = MessageScan.scan(text);
            assertTrue(found.nothing(), "nothing in: " + text);
            assertNull(found.unusableJwt(), "no JWT in: " + text);
            assertFalse(found.unmappedSecret(), "no secret in: " + text);
        }
    }

    // --- JWTs and secrets ----------------------------------------------------------------------------------------

    @Test
    void aUsableJwtInACodeBlockIsFoundWithItsKey() {
        var found = MessageScan.scan("oops, from the CI log:\n```PINATA_JWT=" + LEAKED + "\nOTHER=1```");
        assertNotNull(found.jwt(), "the leaked JWT is found");
        assertEquals(KEY, found.jwt().apiKey(), "its scopedKeyKey is the key");
        assertEquals(LEAKED, found.jwt().reveal(), "the whole JWT, for the one check after the revoke");
        assertEquals(List.of(), found.keyIds(), "no key id written out");
        assertNull(found.unusableJwt(), "the JWT was usable");
        assertFalse(found.unmappedSecret(), "the JWT maps to its key");
        assertFalse(found.nothing(), "a JWT is something to revoke");
    }

    @Test
    void aJwtThatIsTheWholeMessageIsFound() {
        assertEquals(KEY, MessageScan.scan(LEAKED).jwt().apiKey(), "a JWT up to the last character of the message");
    }

    @Test
    void aKeyIdShapedPartOfAJwtIsNotTakenForAKeyId() {
        var jwt = TestJwtShapes.withPayloadPart(KEY2);
        var found = MessageScan.scan("this " + jwt + " and key " + KEY);
        assertEquals(List.of(KEY), found.keyIds(), "the JWT's 20-hex payload part is not a key id");
        assertEquals(problemOf(jwt), found.unusableJwt(), "the JWT is noted as unusable");
        assertNull(found.jwt(), "and not used");
    }

    @Test
    void theFirstUsableJwtWinsAndOnlyItsKeyIsRevoked() {
        var found = MessageScan.scan(LEAKED + " and later " + LEAKED2);
        assertEquals(KEY, found.jwt().apiKey(), "the first JWT of the message");
        var command = found.command(CommandParser.MAX_KEYS);
        assertEquals(List.of(KEY), command.apiKeys(), "one request, for the first JWT's key only");
        assertEquals(found.jwt(), command.leakedJwt(), "the request carries the JWT, for the check after the revoke");
    }

    @Test
    void anUnusableJwtIsNotedWithTheFirstProblemFound() {
        var found = MessageScan.scan(NO_KEY_JWT + "\n" + NOT_HS256_JWT);
        assertEquals(problemOf(NO_KEY_JWT), found.unusableJwt(), "the first unusable JWT's problem");
        assertFalse(problemOf(NO_KEY_JWT).equals(problemOf(NOT_HS256_JWT)), "two different problems");
        assertNull(found.jwt(), "neither JWT can be used");
        assertTrue(found.nothing(), "an unusable JWT alone is nothing to revoke");
        assertFalse(found.unmappedSecret(), "a whole JWT is never an unmapped secret");
    }

    @Test
    void aUsableJwtAfterAnUnusableOneIsStillUsed() {
        var found = MessageScan.scan(NO_KEY_JWT + " " + LEAKED + " " + NOT_HS256_JWT);
        assertEquals(KEY, found.jwt().apiKey(), "the usable JWT, wherever it is");
        assertEquals(problemOf(NO_KEY_JWT), found.unusableJwt(), "the unusable one is still noted");
        assertFalse(found.nothing(), "the usable JWT is something to revoke");
    }

    @Test
    void aHexApiSecretIsOnlyNoted() {
        var found = MessageScan.scan("PINATA_API_SECRET=" + SECRET);
        assertTrue(found.unmappedSecret(), "a 64-hex secret names no key: noted");
        assertEquals(List.of(), found.keyIds(), "no key id inside a secret");
        assertTrue(found.nothing(), "nothing to revoke from a secret alone");
        assertNull(found.unusableJwt(), "no JWT");
    }

    @Test
    void aJwtSplitAcrossLinesIsOnlyNoted() {
        var cut = LEAKED.indexOf('.') + 10;
        var found = MessageScan.scan(LEAKED.substring(0, cut) + "\n" + LEAKED.substring(cut));
        assertTrue(found.unmappedSecret(), "a split JWT cannot be decoded, only noted");
        assertNull(found.jwt(), "a split JWT is not used");
        assertNull(found.unusableJwt(), "a split JWT is no whole JWT to complain about");
        assertTrue(found.nothing(), "nothing to revoke");
    }

    @Test
    void aKeyIdBesideASecretIsStillFound() {
        var found = MessageScan.scan("key " + KEY + " secret " + SECRET);
        assertEquals(List.of(KEY), found.keyIds(), "the key id");
        assertTrue(found.unmappedSecret(), "and the secret noted");
        assertFalse(found.nothing(), "the key id is something to revoke");
    }

    @Test
    void aTwentyHexPieceOfASplitApiSecretIsNoKeyId() {
        for (var text : List.of(
                "secret: " + SECRET.substring(0, 20) + "\n" + SECRET.substring(20),
                SECRET.substring(0, 44) + " " + SECRET.substring(44),
                SECRET.substring(0, 20) + ":" + SECRET.substring(20, 40) + ":" + SECRET.substring(40))) {
            var found = MessageScan.scan(text);
            assertEquals(List.of(), found.keyIds(), "a piece of the secret, not a key id: " + text);
            assertTrue(found.unmappedSecret(), "the split secret is noted: " + text);
            assertTrue(found.nothing(), "nothing to revoke: " + text);
        }
    }

    /** The shapes a security review found getting through the first fix: no piece of the secret is a key id. */
    @Test
    void noPieceOfASplitSecretIsAKeyIdWhateverStandsAroundIt() {
        var other = "5d".repeat(32);
        var sha = "0123456789abcdef0123456789abcdef01234567";
        for (var text : List.of(
                SECRET.substring(0, 20) + " " + SECRET.substring(20) + " " + KEY,
                SECRET.substring(0, 20) + " " + SECRET.substring(20) + " " + sha,
                SECRET.substring(0, 20) + "\n" + SECRET.substring(20) + "\ndeadbeef",
                SecretDetectorTest.pieces(SECRET, "20,20,24", " ") + " deadbeef",
                SecretDetectorTest.pieces(SECRET, "20,44", " ") + " " + SecretDetectorTest.pieces(other, "20,44", " "),
                SecretDetectorTest.pieces(SECRET, "20,20,20,4", " "),
                KEY + " " + SecretDetectorTest.pieces(SECRET, "20,20,20,4", " "),
                "&gt; " + SECRET.substring(0, 20) + "\n&gt; " + SECRET.substring(20),
                "• " + SECRET.substring(0, 20) + "\n• " + SECRET.substring(20),
                "*" + SECRET.substring(0, 20) + "*" + SECRET.substring(20),
                "~" + SECRET.substring(0, 20) + "~ " + SECRET.substring(20),
                "SECRET=" + SECRET.substring(0, 20) + "\n" + SECRET.substring(20))) {
            var found = MessageScan.scan(text);
            for (var id : found.keyIds()) {
                assertFalse(
                        SECRET.contains(id) || other.contains(id),
                        "a piece of a secret taken as a key id: " + id.substring(0, 4) + "… in " + found);
            }
            assertTrue(found.unmappedSecret(), "the split secret is noted: " + found);
        }
        assertEquals(
                List.of(KEY),
                MessageScan.scan(KEY + " " + SecretDetectorTest.pieces(SECRET, "20,20,20,4", " "))
                        .keyIds(),
                "the key id before the secret is still one");
    }

    /**
     * A message is up to 40,000 characters, written by anyone in the channel: the scan is one pass whatever it holds
     * (it was one full secret scan per 20-hex word, seconds for a crafted message, and minutes with a long run of
     * {@code eyJ}). The timeout only guards against that hang; it is no speed target.
     */
    @Test
    void aCraftedMessageOfTheLargestSizeIsScannedInOnePass() {
        var ids = new StringBuilder();
        for (int i = 0; ids.length() < 39_000; i++) {
            ids.append(String.format(java.util.Locale.ROOT, "%020x ", 0xabc0000000L + i));
        }
        var manyIds = SECRET.substring(0, 32) + " " + SECRET.substring(32) + " " + ids;
        var blobAndIds = "eyJ".repeat(6_000) + " " + ids.substring(0, 21_000);
        var found = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20),
                () -> List.of(MessageScan.scan(manyIds), MessageScan.scan(blobAndIds)));
        assertTrue(
                found.get(0).keyIds().size() > 1_800,
                "every id is still read: " + found.get(0).keyIds().size());
        assertTrue(found.get(0).unmappedSecret());
        assertEquals(1_000, found.get(1).keyIds().size());
        assertTrue(found.get(1).unmappedSecret(), "the eyJ run is noted as a possible JWT");
    }

    @Test
    void aKeyIdTheSplitSecretBesideItDoesNotNeedIsStillAKeyId() {
        var found = MessageScan.scan(KEY + " " + SECRET.substring(0, 32) + "\n" + SECRET.substring(32));
        assertEquals(List.of(KEY), found.keyIds(), "the secret's two halves are a secret without the key id");
        assertTrue(found.unmappedSecret(), "and the split secret is noted");
    }

    @Test
    void theFindingsNeverHoldTheSecretsOfTheMessage() {
        var found = MessageScan.scan(
                "jwt " + LEAKED + " bad " + NO_KEY_JWT + " secret " + SECRET + " key " + KEY2 + " etc");
        assertNoSecretIn(found.toString(), LEAKED, NO_KEY_JWT, SECRET);
        assertNoSecretIn(found.unusableJwt(), NO_KEY_JWT);
        var command = found.command(CommandParser.MAX_KEYS);
        assertEquals(MessageScan.REASON, command.reason(), "the reason is fixed text, never the message's");
        assertNoSecretIn(command.toString(), LEAKED, SECRET);
    }

    // --- the request the findings start -------------------------------------------------------------------------

    @Test
    void aJwtsKeyIsRevokedAndTheKeyIdsBesideItAreNot() {
        var found = MessageScan.scan(KEY2 + " " + LEAKED + " " + KEY3);
        assertEquals(List.of(KEY2, KEY3), found.keyIds(), "the key ids are found");
        var command = found.command(CommandParser.MAX_KEYS);
        assertEquals(List.of(KEY), command.apiKeys(), "only the JWT's key is revoked");
        assertEquals(found.jwt(), command.leakedJwt(), "from the leaked JWT");
        assertEquals(MessageScan.REASON, command.reason(), "the fixed reason");
        assertFalse(command.dryRun(), "the shortcut is never a dry run");
    }

    @Test
    void withoutAJwtTheKeyIdsAreRevokedUpToTheMaximum() {
        var found = MessageScan.scan(KEY + " " + KEY2 + " " + KEY3);
        assertEquals(List.of(KEY, KEY2), found.command(2).apiKeys(), "the first two of three");
        assertEquals(List.of(KEY, KEY2, KEY3), found.command(3).apiKeys(), "exactly the maximum: all three");
        var command = found.command(CommandParser.MAX_KEYS);
        assertEquals(List.of(KEY, KEY2, KEY3), command.apiKeys(), "fewer than the maximum: all three");
        assertNull(command.leakedJwt(), "no JWT");
        assertEquals(MessageScan.REASON, command.reason(), "the fixed reason");
        assertFalse(command.dryRun(), "the shortcut is never a dry run");
    }

    @Test
    void theFindingsKeepTheirOwnCopyOfTheKeyIds() {
        var keys = new ArrayList<>(List.of(KEY));
        var found = new MessageScan.Findings(null, keys, null, false);
        keys.clear();
        assertEquals(List.of(KEY), found.keyIds(), "clearing the caller's list leaves the findings'");
        assertThrows(UnsupportedOperationException.class, () -> found.keyIds().add(KEY2), "read only");
    }

    // --- through the service ------------------------------------------------------------------------------------

    @Test
    void aKeyIdInAMessageStartsACardInTheMessagesThread() {
        d.pinata.activeKey(KEY);
        d.service().startFromMessage(admin(), "the deploy key " + KEY + " is in the repo", THREAD);
        assertEquals(1, d.slack.cards.size(), "one card");
        var request = d.request(d.slack.cards.get(0).id());
        assertEquals(KEY, request.apiKey(), "for the message's key");
        assertEquals(THREAD, request.threadTs(), "a reply in the message's thread");
        assertEquals(MessageScan.REASON, request.reason(), "the fixed reason, not the message");
        assertEquals(List.of(new Notice.DeleteTheMessage(false)), d.slack.notices(), "told to delete the message");
    }

    @Test
    void aLeakedJwtInAMessageStartsACardAndSaysTheMessageHoldsASecret() {
        d.pinata.activeKey(KEY);
        d.service().startFromMessage(admin(), "```PINATA_JWT=" + LEAKED + "```", THREAD);
        var request = d.request(d.slack.cards.get(0).id());
        assertEquals(KEY, request.apiKey(), "the JWT's key");
        assertEquals(LeakedJwt.sha256(LEAKED), request.leakedJwtSha256(), "only the JWT's fingerprint is stored");
        assertEquals(List.of(new Notice.DeleteTheMessage(true)), d.slack.notices(), "the message holds a secret");
        assertNoSecretIn(d.audit.records.toString(), LEAKED);
        assertNoSecretIn(d.slack.told.toString(), LEAKED);
    }

    @Test
    void aKeyIdBesideAHexSecretSaysTheMessageHoldsASecret() {
        d.pinata.activeKey(KEY);
        d.service().startFromMessage(admin(), KEY + " / " + SECRET, THREAD);
        assertEquals(1, d.slack.cards.size(), "a card for the key id");
        assertEquals(List.of(new Notice.DeleteTheMessage(true)), d.slack.notices(), "the secret is in the message");
        assertNoSecretIn(d.audit.records.toString() + d.slack.told, SECRET);
    }

    @Test
    void aMessageWithNothingToRevokeIsAnsweredAndStartsNothing() {
        d.service().startFromMessage(admin(), "hello, the build of 3f2a1b7c is green", THREAD);
        assertEquals(List.of(new Notice.NothingInMessage(null, false)), d.slack.notices(), "told nothing was found");
        assertEquals(List.of("nothing_found"), d.outcomes(), "audited");
        assertTrue(d.slack.cards.isEmpty(), "no card");
    }

    @Test
    void aMessageWithOnlyAnUnusableJwtSaysWhy() {
        d.service().startFromMessage(admin(), "token " + NO_KEY_JWT, THREAD);
        assertEquals(
                List.of(new Notice.NothingInMessage(problemOf(NO_KEY_JWT), false)),
                d.slack.notices(),
                "told why the JWT cannot be used");
        assertEquals(List.of("jwt_unusable"), d.outcomes(), "audited");
        assertTrue(d.slack.cards.isEmpty(), "no card");
        assertNoSecretIn(d.audit.records.toString() + d.slack.told, NO_KEY_JWT);
    }

    @Test
    void aMessageWithOnlyAHexSecretSaysNoKeyCanBeReadFromIt() {
        d.service().startFromMessage(admin(), "PINATA_API_SECRET=" + SECRET, THREAD);
        assertEquals(List.of(new Notice.NothingInMessage(null, true)), d.slack.notices(), "told of the secret");
        assertEquals(List.of("secret_unmapped"), d.outcomes(), "audited");
        assertTrue(d.slack.cards.isEmpty(), "no card");
        assertNoSecretIn(d.audit.records.toString() + d.slack.told, SECRET);
    }

    @Test
    void aSplitSecretWithATwentyHexPieceIsNeverEchoedAsAKey() {
        var piece = SECRET.substring(0, 20);
        d.service().startFromMessage(admin(), "PINATA_API_SECRET:\n" + piece + "\n" + SECRET.substring(20), THREAD);
        assertEquals(List.of(new Notice.NothingInMessage(null, true)), d.slack.notices(), "told of the secret only");
        assertEquals(List.of("secret_unmapped"), d.outcomes(), "audited as a secret, not as a key");
        assertNoSecretIn(d.audit.records.toString() + d.slack.told, piece);
    }

    @Test
    void aNonAdminLearnsNothingOfWhatTheScanWouldFind() {
        d.pinata.activeKey(KEY);
        d.service().startFromMessage(in(OUTSIDER, DomainParts.CHANNEL), "key " + KEY, THREAD);
        assertEquals(List.of(new Notice.NotAdmin()), d.slack.notices(), "refused, nothing else said");
        assertEquals(List.of("not_admin"), d.outcomes(), "audited");
        assertTrue(d.slack.cards.isEmpty(), "no card");
    }

    @Test
    void aKeyTheChecksRefuseStartsNoCardAndNoDeleteReminder() {
        d.service().startFromMessage(admin(), "key " + KEY, THREAD); // not listed active
        assertEquals(
                List.of(new Notice.NotActiveKeys(List.of(KEY), List.of())),
                d.slack.notices(),
                "the same refusal as the command's, and no reminder to delete the message");
        assertTrue(d.slack.cards.isEmpty(), "no card");
    }
}
