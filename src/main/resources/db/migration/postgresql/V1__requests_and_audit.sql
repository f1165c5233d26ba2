-- Requests and their state. Times are epoch milliseconds (UTC) so SQLite and PostgreSQL agree.
CREATE TABLE revocation_request (
    id             VARCHAR(64)  NOT NULL PRIMARY KEY,
    team_id        VARCHAR(32)  NOT NULL,
    channel_id     VARCHAR(32)  NOT NULL,
    requester_id   VARCHAR(32)  NOT NULL,
    api_key        VARCHAR(64)  NOT NULL,
    reason         TEXT         NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    created_at     BIGINT       NOT NULL,
    expires_at     BIGINT       NOT NULL,
    decided_by     VARCHAR(32),
    decided_at     BIGINT,
    outcome        VARCHAR(80),
    outcome_detail TEXT,
    pinata_status  INTEGER,
    card_ts        VARCHAR(32),
    key_known      SMALLINT     NOT NULL DEFAULT 0,
    key_name       TEXT,
    key_created    TEXT,
    key_scopes     TEXT
);
CREATE INDEX revocation_request_state_expiry ON revocation_request (state, expires_at);

-- Terminal states never change, whatever the code does.
CREATE FUNCTION revocation_request_terminal() RETURNS trigger AS $$
BEGIN
    IF OLD.state IN ('REVOKED', 'FAILED', 'CANCELLED', 'EXPIRED') THEN
        RAISE EXCEPTION 'a request in a terminal state cannot change';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER revocation_request_terminal BEFORE UPDATE ON revocation_request
    FOR EACH ROW EXECUTE FUNCTION revocation_request_terminal();

-- The audit trail: one row per command and click, only ever appended.
CREATE TABLE audit_log (
    id            BIGSERIAL    PRIMARY KEY,
    at            BIGINT       NOT NULL,
    team_id       VARCHAR(32),
    channel_id    VARCHAR(32),
    user_id       VARCHAR(32),
    action        VARCHAR(32)  NOT NULL,
    request_id    VARCHAR(64),
    api_key       VARCHAR(64),
    reason        TEXT,
    outcome       VARCHAR(80)  NOT NULL,
    pinata_status INTEGER
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
