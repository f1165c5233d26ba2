-- A dry run goes through every check and the card, but confirming it calls no mutating Pinata endpoint.
ALTER TABLE revocation_request ADD COLUMN dry_run SMALLINT NOT NULL DEFAULT 0;
