-- While an instance works on a REVOKING request it refreshes heartbeat_at; recovery only takes requests whose
-- heartbeat is older than the lease, so one instance never settles a request another is still revoking.
ALTER TABLE revocation_request ADD COLUMN heartbeat_at BIGINT;
