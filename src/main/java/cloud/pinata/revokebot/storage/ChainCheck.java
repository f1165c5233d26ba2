package cloud.pinata.revokebot.storage;

/** What {@link JdbcAuditLog#verify()} found: the chain holds, or the first link that does not. */
public sealed interface ChainCheck {

    /**
     * Every link holds. {@code rows} counts all rows, {@code unchained} those written before the chain existed
     * (hash NULL, all at the start); {@code headId} and {@code headHash} are the newest chained row, null when none.
     */
    record Intact(long rows, long unchained, Long headId, String headHash) implements ChainCheck {}

    /** The first row, in id order, whose hash or link does not match; {@code checked} rows before it were fine. */
    record Broken(long rowId, String problem, long checked) implements ChainCheck {}
}
