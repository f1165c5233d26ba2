-- A confirmed dry run gets a terminal state of its own (it was CANCELLED with outcome 'dry_run_confirmed').
-- The terminal-state guard is rebuilt around it: every state but PENDING and REVOKING is final.
DROP TRIGGER revocation_request_terminal;

UPDATE revocation_request SET state = 'DRY_RUN_CONFIRMED'
WHERE state = 'CANCELLED' AND outcome = 'dry_run_confirmed';

CREATE TRIGGER revocation_request_terminal BEFORE UPDATE ON revocation_request
WHEN OLD.state NOT IN ('PENDING', 'REVOKING')
BEGIN
    SELECT RAISE(ABORT, 'a request in a terminal state cannot change');
END;
