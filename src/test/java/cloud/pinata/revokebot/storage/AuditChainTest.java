package cloud.pinata.revokebot.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.pinata.revokebot.revocation.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The hash chain's encoding (a contract: stored chains and outside verifiers depend on it) and its verifier. */
class AuditChainTest {
    static final AuditRecord CONFIRM = new AuditRecord(
            Instant.ofEpochMilli(1_700_000_000_123L),
            "T0TEAM",
            "C0INC",
            "U0ADMIN1",
            "confirm",
            "req-1",
            "a1b2c3d4e5f6a7b8c9d0",
            "leaked | \"é\"",
            "revoked",
            200);
    static final AuditRecord EXPIRE = new AuditRecord(
            Instant.ofEpochMilli(1_700_000_000_456L),
            "T0TEAM",
            null,
            null,
            "expire",
            "req-1",
            null,
            "",
            "expired",
            null);

    @Test
    void encodesEachFieldAsByteLengthColonValueOrTildeForNull() {
        assertEquals(
                "~|13:1700000000123|6:T0TEAM|5:C0INC|8:U0ADMIN1|7:confirm|5:req-1|20:a1b2c3d4e5f6a7b8c9d0"
                        + "|13:leaked | \"é\"|7:revoked|3:200",
                new String(AuditChain.canonical(null, CONFIRM), StandardCharsets.UTF_8));
    }

    @Test
    void hashesAreTheDocumentedSha256Values() {
        var first = AuditChain.hash(null, CONFIRM);
        assertEquals("93e53290ebc58192af472a1c87f9349aa45409e38fba162d4a038621193a9829", first);
        assertEquals(
                "f5146bcc534d8d1dbfa80074f2f464d75e95af791b4fe1b24717f63ee7a2625e", AuditChain.hash(first, EXPIRE));
    }

    @Test
    void textCannotBeShiftedFromOneFieldIntoTheNext() {
        var a = new AuditRecord(CONFIRM.at(), "T1", null, "U1", "command", null, null, "a|b", "c", null);
        var b = new AuditRecord(CONFIRM.at(), "T1", null, "U1", "command", null, null, "a", "b|c", null);
        var c = new AuditRecord(CONFIRM.at(), null, "T1", "U1", "command", null, null, "a|b", "c", null);
        assertNotEquals(AuditChain.hash(null, a), AuditChain.hash(null, b));
        assertNotEquals(AuditChain.hash(null, a), AuditChain.hash(null, c));
    }

    @Test
    void anEmptyReasonIsNotAMissingOne() {
        var empty = new AuditRecord(CONFIRM.at(), "T1", "C1", "U1", "command", null, null, "", "help", null);
        var missing = new AuditRecord(CONFIRM.at(), "T1", "C1", "U1", "command", null, null, null, "help", null);
        assertNotEquals(AuditChain.hash(null, empty), AuditChain.hash(null, missing));
    }

    @Test
    void everyHashDependsOnThePreviousOne() {
        assertNotEquals(AuditChain.hash(null, EXPIRE), AuditChain.hash("0".repeat(64), EXPIRE));
    }

    @Test
    void storedFormCutsTimeToMillisecondsAndRepairsLoneSurrogates() {
        var precise = new AuditRecord(
                Instant.ofEpochSecond(1_700_000_000L, 123_456_789),
                "T1",
                "C1",
                "U1",
                "command",
                null,
                null,
                "bad \uD800 text",
                "help",
                null);
        var stored = AuditChain.asStored(precise);
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), stored.at());
        assertEquals("bad ? text", stored.reason());
    }

    @Test
    void verifierAcceptsRowsFromBeforeTheChainOnlyAtTheStart() {
        var v = new AuditChain.Verifier();
        assertTrue(v.accept(new AuditEntry(1, CONFIRM, null, null)));
        var h2 = AuditChain.hash(null, CONFIRM);
        assertTrue(v.accept(new AuditEntry(2, CONFIRM, null, h2)));
        assertTrue(v.accept(new AuditEntry(3, EXPIRE, h2, AuditChain.hash(h2, EXPIRE))));
        assertEquals(new ChainCheck.Intact(3, 1, 3L, AuditChain.hash(h2, EXPIRE)), v.result());

        var late = new AuditChain.Verifier();
        late.accept(new AuditEntry(1, CONFIRM, null, h2));
        late.accept(new AuditEntry(2, EXPIRE, null, null));
        var broken = assertInstanceOf(ChainCheck.Broken.class, late.result());
        assertEquals(2, broken.rowId());
        assertTrue(broken.problem().contains("has no hash"), broken.problem());
    }
}
