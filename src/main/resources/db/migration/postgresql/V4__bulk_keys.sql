-- The keys of a bulk request (one card, one confirmation, several keys), each with its own outcome.
-- Single-key requests keep using revocation_request's own columns and have no rows here.
CREATE TABLE request_key (
    request_id     VARCHAR(64)  NOT NULL,
    position       INTEGER      NOT NULL,
    api_key        VARCHAR(64)  NOT NULL,
    key_known      SMALLINT     NOT NULL DEFAULT 0,
    key_name       TEXT,
    key_created    TEXT,
    key_scopes     TEXT,
    lookup_note    VARCHAR(32),
    revoked_before SMALLINT     NOT NULL DEFAULT 0,
    outcome        VARCHAR(80),
    outcome_detail TEXT,
    pinata_status  INTEGER,
    PRIMARY KEY (request_id, position)
);
