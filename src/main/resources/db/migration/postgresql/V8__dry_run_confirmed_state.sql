-- A confirmed dry run gets a terminal state of its own (it was CANCELLED with outcome 'dry_run_confirmed').
-- The terminal-state guard is rebuilt around it: every state but PENDING and REVOKING is final.
ALTER TABLE revocation_request ALTER COLUMN state TYPE VARCHAR(32);

DROP TRIGGER revocation_request_terminal ON revocation_request;

UPDATE revocation_request SET state = 'DRY_RUN_CONFIRMED'
WHERE state = 'CANCELLED' AND outcome = 'dry_run_confirmed';

CREATE OR REPLACE FUNCTION revocation_request_terminal() RETURNS trigger AS $$
BEGIN
    IF OLD.state NOT IN ('PENDING', 'REVOKING') THEN
        RAISE EXCEPTION 'a request in a terminal state cannot change';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER revocation_request_terminal BEFORE UPDATE ON revocation_request
    FOR EACH ROW EXECUTE FUNCTION revocation_request_terminal();
