package cloud.pinata.revokebot.revocation;

/** A button click: who clicked where, the button's value (the request id, untrusted) and the card's message ts. */
public record Click(Caller clicker, String requestId, String messageTs) {}
