-- Issue 14. A request made from a leaked JWT keeps only the JWT's SHA-256 (never the JWT), and what the one check
-- after the revoke showed (kind|status|detail: "refused|401|"); the reminder at half the request's time is sent
-- once, across restarts and instances (reminded_at, epoch millis); a card the message shortcut posted is a reply in
-- the thread of the message (thread_ts). All four are null for older rows.
ALTER TABLE revocation_request ADD COLUMN leaked_jwt_sha256 VARCHAR(64);
ALTER TABLE revocation_request ADD COLUMN jwt_proof VARCHAR(200);
ALTER TABLE revocation_request ADD COLUMN reminded_at BIGINT;
ALTER TABLE revocation_request ADD COLUMN thread_ts VARCHAR(32);
