package cloud.pinata.revokebot.storage;

import cloud.pinata.revokebot.revocation.AuditRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The audit trail's hash chain. A row's hash is lowercase hex of SHA-256 over, in this order, {@code prev_hash}, {@code at}
 * (epoch milliseconds), team, channel, user, action, request id, key, reason, outcome and Pinata status; each value is
 * written as its UTF-8 byte length, {@code :} and its bytes, or {@code ~} when null, values joined by {@code |}. The length
 * prefix means no text can move from one field into the next. The first chained row has a null {@code prev_hash}.
 * This encoding is a contract (README, "Operations: doctor and audit export"): changing it breaks every stored chain.
 */
public final class AuditChain {
    private AuditChain() {}

    /** The hash of {@code record} appended after a row whose hash is {@code prevHash} (null for the first link). */
    public static String hash(String prevHash, AuditRecord record) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical(prevHash, record)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static byte[] canonical(String prevHash, AuditRecord r) {
        var out = new ByteArrayOutputStream(256);
        field(out, prevHash);
        field(out, Long.toString(r.at().toEpochMilli()));
        field(out, r.teamId());
        field(out, r.channelId());
        field(out, r.userId());
        field(out, r.action());
        field(out, r.requestId());
        field(out, r.apiKey());
        field(out, r.reason());
        field(out, r.outcome());
        field(out, r.pinataStatus() == null ? null : r.pinataStatus().toString());
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (out.size() > 0) {
            out.write('|');
        }
        if (value == null) {
            out.write('~');
            return;
        }
        var bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.writeBytes(bytes);
    }

    /**
     * The record exactly as the database will give it back: time cut to milliseconds, text made valid UTF-8 (a lone
     * surrogate would be stored as a replacement character and the hash would no longer match).
     */
    static AuditRecord asStored(AuditRecord r) {
        return new AuditRecord(
                Instant.ofEpochMilli(r.at().toEpochMilli()),
                text(r.teamId()),
                text(r.channelId()),
                text(r.userId()),
                text(r.action()),
                text(r.requestId()),
                text(r.apiKey()),
                text(r.reason()),
                text(r.outcome()),
                r.pinataStatus());
    }

    private static String text(String s) {
        return s == null ? null : new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    /** Walks rows in id order and stops at the first link that does not hold. */
    static final class Verifier {
        private long rows;
        private long unchained;
        private Long headId;
        private String headHash;
        private ChainCheck.Broken broken;

        /** False once a broken link has been found; later rows are not looked at. */
        boolean accept(AuditEntry e) {
            if (broken != null) {
                return false;
            }
            if (e.hash() == null) {
                if (headId != null) {
                    return fail(
                            e,
                            "has no hash, but the chain started at an earlier row: it was written without the "
                                    + "chain (by a bot version older than the hash chain, still running?) or inserted by hand");
                }
                unchained++;
                rows++;
                return true;
            }
            var recomputed = hash(e.prevHash(), e.record());
            if (!recomputed.equals(e.hash())) {
                return fail(
                        e,
                        "hash mismatch: stored " + e.hash() + ", recomputed " + recomputed
                                + ": the row's fields (or its prev_hash) were changed after it was written");
            }
            if (headId == null && e.prevHash() != null) {
                return fail(
                        e,
                        "prev_hash is " + e.prevHash() + " but no earlier row carries that hash: "
                                + "the row(s) before it were deleted");
            }
            if (headId != null && !Objects.equals(e.prevHash(), headHash)) {
                return fail(
                        e,
                        "prev_hash " + (e.prevHash() == null ? "is empty" : "is " + e.prevHash())
                                + " but the previous row (id " + headId + ") has hash " + headHash
                                + ": a row between them was deleted, or rows were inserted or reordered");
            }
            headId = e.id();
            headHash = e.hash();
            rows++;
            return true;
        }

        private boolean fail(AuditEntry e, String problem) {
            broken = new ChainCheck.Broken(e.id(), problem, rows);
            return false;
        }

        ChainCheck result() {
            return broken != null ? broken : new ChainCheck.Intact(rows, unchained, headId, headHash);
        }
    }
}
