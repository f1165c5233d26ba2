package cloud.pinata.revokebot.revocation;

import java.time.Duration;
import java.util.List;

/**
 * What the domain tells a person or a channel, as data. The words live in the Slack package, which renders every
 * notice through a {@link Renderer}: adding a notice here does not compile until it has its text there.
 */
public sealed interface Notice {
    <T> T render(Renderer<T> r);

    /** One method per notice; implemented by the Slack package's text. */
    interface Renderer<T> {
        T channelNotAllowed(List<String> allowedChannels);

        T notAdmin();

        T adminCheckFailed(String error);

        T selfKey();

        T alreadyRevoked(List<String> apiKeys);

        T notActiveKeys(List<String> notActive, List<String> revoked);

        T cardNotPosted(String error, boolean directMessage);

        T unknownRequest();

        T alreadyDecided(RevocationRequest request);

        T expired();

        T secondAdminRequired();

        T staleCard();

        T waitingOnPinata(String apiKey, Duration delay, boolean rateLimited);

        T lateRevoked(String apiKey);

        T busy();

        T internalError(String what);

        T nothingInMessage(String unusableJwt, boolean unmappedSecret);

        T deleteTheMessage(boolean holdsASecret);
    }

    /**
     * The message shortcut found no key id and no usable JWT; {@code unusableJwt}: why a JWT it found could not be
     * used (null: none); {@code unmappedSecret}: it holds a secret no key can be read from.
     */
    record NothingInMessage(String unusableJwt, boolean unmappedSecret) implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.nothingInMessage(unusableJwt, unmappedSecret);
        }
    }

    /** After the shortcut's card: the message still holds what leaked, and only its author (or an admin) can delete it. */
    record DeleteTheMessage(boolean holdsASecret) implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.deleteTheMessage(holdsASecret);
        }
    }

    record ChannelNotAllowed(List<String> allowedChannels) implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.channelNotAllowed(allowedChannels);
        }
    }

    record NotAdmin() implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.notAdmin();
        }
    }

    /** {@code error}: Slack's error code or a short description. */
    record AdminCheckFailed(String error) implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.adminCheckFailed(error);
        }
    }

    record SelfKey() implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.selfKey();
        }
    }

    record AlreadyRevoked(List<String> apiKeys) implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.alreadyRevoked(apiKeys);
        }
    }

    /** Refused before the card: no complete, fresh listing shows these keys active; {@code revoked}: V3 shows them revoked. */
    record NotActiveKeys(List<String> notActive, List<String> revoked) implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.notActiveKeys(notActive, revoked);
        }
    }

    /** The card could not be posted; {@code directMessage}: the command came from a conversation between people. */
    record CardNotPosted(String error, boolean directMessage) implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.cardNotPosted(error, directMessage);
        }
    }

    record UnknownRequest() implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.unknownRequest();
        }
    }

    record AlreadyDecided(RevocationRequest request) implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.alreadyDecided(request);
        }
    }

    record Expired() implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.expired();
        }
    }

    record SecondAdminRequired() implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.secondAdminRequired();
        }
    }

    /** A click on a card that is not the request's card (a duplicate post): use the current card. */
    record StaleCard() implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.staleCard();
        }
    }

    /** In the channel while a revoke waits on Pinata ({@code rateLimited}: Pinata asked the bot to wait). */
    record WaitingOnPinata(String apiKey, Duration delay, boolean rateLimited) implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.waitingOnPinata(apiKey, delay, rateLimited);
        }
    }

    /** In the channel when a verified revocation arrived after another instance had settled the request. */
    record LateRevoked(String apiKey) implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.lateRevoked(apiKey);
        }
    }

    /** The bot is overloaded and did not start the work. */
    record Busy() implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.busy();
        }
    }

    /** Something failed inside the bot while handling {@code what}. */
    record InternalError(String what) implements Notice {
        public <T> T render(Renderer<T> r) {
            return r.internalError(what);
        }
    }

    /** A DM (D…) or group DM: Slack names them "directmessage" and "mpdm-…" in a slash command's channel_name. */
    static boolean isDirectMessage(Caller caller) {
        var id = caller.channelId() == null ? "" : caller.channelId();
        var name = caller.channelName() == null ? "" : caller.channelName();
        return id.startsWith("D") || name.equals("directmessage") || name.startsWith("mpdm-");
    }
}
