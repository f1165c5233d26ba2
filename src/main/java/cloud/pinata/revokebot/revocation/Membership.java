package cloud.pinata.revokebot.revocation;

/** Answer to "is this user an admin?"; anything but {@link Member} denies (fail closed). */
public sealed interface Membership {
    record Member() implements Membership {}

    record NotMember() implements Membership {}

    /** The look-up failed; {@code error} is Slack's error code or a short description. */
    record Unknown(String error) implements Membership {}
}
