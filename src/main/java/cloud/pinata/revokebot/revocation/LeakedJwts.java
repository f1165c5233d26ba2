package cloud.pinata.revokebot.revocation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The leaked JWTs of open requests, in this process's memory only, by request id: from the card until the one
 * check after the revoke, or until the request ends otherwise. A restart (or a click that another instance serves)
 * loses them on purpose: the proof is then skipped and the result says so. Bounded, oldest dropped first.
 */
final class LeakedJwts {
    static final int MAX = 1_000;

    private final Map<String, LeakedJwt> byRequest = new LinkedHashMap<>();

    synchronized void hold(String requestId, LeakedJwt jwt) {
        byRequest.put(requestId, jwt);
        while (byRequest.size() > MAX) {
            byRequest.remove(byRequest.keySet().iterator().next());
        }
    }

    /** The JWT, handed over once: after this call the process no longer holds it. */
    synchronized LeakedJwt take(String requestId) {
        return byRequest.remove(requestId);
    }

    synchronized void drop(String requestId) {
        byRequest.remove(requestId);
    }

    /** The requests whose JWT this process holds now. */
    synchronized java.util.List<String> requestIds() {
        return java.util.List.copyOf(byRequest.keySet());
    }

    synchronized int size() {
        return byRequest.size();
    }
}
