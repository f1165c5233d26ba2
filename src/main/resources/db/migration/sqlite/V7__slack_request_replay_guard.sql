-- Every signed Slack request accepted over HTTP, by its signature, so that the same signed request is accepted once
-- across every instance sharing this database (a replay within Slack's five-minute window changes nothing). Rows are
-- pruned once their timestamp is well outside that window; request_ts is Slack's X-Slack-Request-Timestamp (seconds).
CREATE TABLE slack_request_seen (
    signature VARCHAR(100) PRIMARY KEY,
    request_ts BIGINT NOT NULL,
    seen_at BIGINT NOT NULL
);
CREATE INDEX slack_request_seen_ts ON slack_request_seen (request_ts);
