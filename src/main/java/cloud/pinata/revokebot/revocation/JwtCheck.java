package cloud.pinata.revokebot.revocation;

import cloud.pinata.revokebot.revocation.Ports.KeyService;
import cloud.pinata.revokebot.revocation.Ports.RequestStore;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one check a request made from a leaked JWT gets after its key was revoked: does Pinata still accept the JWT?
 * What it showed is kept with the request ({@link JwtProof}) and audited; {@link Evidence}'s rules for the key's own
 * outcome are not changed by it.
 */
final class JwtCheck {
    private static final Logger log = LoggerFactory.getLogger(JwtCheck.class);

    private final KeyService keys;
    private final RequestStore requests;
    private final Outbox out;
    private final LeakedJwts leaked;

    JwtCheck(KeyService keys, RequestStore requests, Outbox out, LeakedJwts leaked) {
        this.keys = keys;
        this.requests = requests;
        this.out = out;
        this.leaked = leaked;
    }

    /**
     * A request made from a leaked JWT: once the key is revoked, ask Pinata once, with the leaked JWT itself, whether
     * it still accepts it; record what it showed while the lease is held. The JWT leaves this process's memory here,
     * whatever happens. Not held (a restart, another instance's card): nothing recorded, and the result says the
     * check was skipped. Not revoked: no check (the key was not revoked, so the JWT is expected to work).
     */
    void afterRevoke(Caller clicker, RevocationRequest request, RevokeOutcome outcome, Leases.Lease lease) {
        var jwt = leaked.take(request.id());
        if (jwt == null || !(outcome instanceof RevokeOutcome.Revoked) || !lease.renew()) {
            out.record(AuditEvent.of(
                            clicker,
                            AuditAction.CHECK_JWT,
                            jwt == null
                                    ? "jwt_check_skipped:not_in_memory"
                                    : outcome instanceof RevokeOutcome.Revoked
                                            ? "jwt_check_skipped:lease_lost"
                                            : "jwt_check_skipped:not_revoked")
                    .about(request));
            return;
        }
        JwtProof proof;
        try {
            proof = keys.testCredential(jwt);
        } catch (RuntimeException e) {
            log.error(
                    "Unexpected error checking the leaked JWT of request {}: {}",
                    request.id(),
                    e.getClass().getSimpleName());
            proof = JwtProof.notChecked(0, "internal error");
        }
        requests.recordJwtProof(request.id(), lease.owner(), proof);
        var event = AuditEvent.of(
                        clicker,
                        AuditAction.CHECK_JWT,
                        "jwt_" + proof.kind().name().toLowerCase(Locale.ROOT))
                .about(request);
        out.record(proof.status() == 0 ? event : event.withStatus(proof.status()));
    }
}
