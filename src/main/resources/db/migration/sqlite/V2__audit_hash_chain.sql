-- A hash chain over the audit trail: each row's hash covers the previous row's hash and the row's own fields,
-- so a changed, deleted or inserted row breaks every link after it (see JdbcAuditLog and `audit --verify`).
-- Rows written before this migration keep NULL in both columns: they come before the chain's first link.
-- The append-only triggers of V1 stay as they are; adding columns does not fire them.
ALTER TABLE audit_log ADD COLUMN prev_hash VARCHAR(64);
ALTER TABLE audit_log ADD COLUMN hash VARCHAR(64);
