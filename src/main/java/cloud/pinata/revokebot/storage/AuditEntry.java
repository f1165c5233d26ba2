package cloud.pinata.revokebot.storage;

import cloud.pinata.revokebot.revocation.AuditRecord;

/** One stored audit row with its place in the hash chain; {@code prevHash} and {@code hash} are null for rows older than the chain. */
public record AuditEntry(long id, AuditRecord record, String prevHash, String hash) {}
