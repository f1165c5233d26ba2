-- The lease on a REVOKING request names its holder: renewals, per-key outcomes and the final state are written only
-- by the process that holds it, and a process settles another's request only after taking the lapsed lease over.
ALTER TABLE revocation_request ADD COLUMN lease_owner VARCHAR(64);
