package cloud.pinata.revokebot.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import cloud.pinata.revokebot.revocation.KeyLookup;
import cloud.pinata.revokebot.revocation.Keys;
import cloud.pinata.revokebot.revocation.Outcome;
import cloud.pinata.revokebot.revocation.RequestKey;
import cloud.pinata.revokebot.revocation.RequestState;
import cloud.pinata.revokebot.revocation.RevocationRequest;
import cloud.pinata.revokebot.revocation.RevokeOutcome;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The confirmation card in each of its states, and the result message. Every piece of user or Pinata text is clipped
 * to a bounded length and escaped here, once, and goes only into {@code verbatim} text objects ({@link Mrkdwn#text}).
 * Parts that grow with the input (bulk key lines, failure explanations) are split across section blocks, so every
 * card stays within Block Kit's limits (https://docs.slack.dev/reference/block-kit/blocks).
 */
public final class Cards {
    public static final String CONFIRM_ACTION = "revoke_confirm";
    public static final String CANCEL_ACTION = "revoke_cancel";
    public static final String ACTIONS_BLOCK = "revoke_actions";
    /** Slack's limit: "You can include up to 50 blocks in each message" (https://docs.slack.dev/reference/block-kit/blocks). */
    static final int MAX_BLOCKS = 50;
    /** Pinata key names, scopes and error details are shown at most this long (escaping can make them 5× longer). */
    static final int NAME_SHOWN = 100;

    static final int DETAIL_SHOWN = 300;

    private Cards() {}

    /** The card as first posted: details, expiry, and the two buttons carrying only the request id. */
    public static List<LayoutBlock> pending(RevocationRequest r, KeyLookup lookup) {
        return pending(r, lookup, Optional.empty());
    }

    /**
     * The card as first posted; {@code notify}, a user group ID, is mentioned in the headline ({@code <!subteam^S…>})
     * so that the admins get a notification. A card made from a leaked JWT names the key, never any part of the JWT.
     */
    public static List<LayoutBlock> pending(RevocationRequest r, KeyLookup lookup, Optional<String> notify) {
        var blocks = new ArrayList<LayoutBlock>();
        var what = r.fromLeakedJwt() ? "the key of a leaked JWT" : what(r);
        var headline = (r.dryRun()
                        ? ":test_tube: *DRY RUN: revoke " + what + "?* Confirming revokes nothing."
                        : ":rotating_light: *Revoke " + what + "?*")
                + (r.fromLeakedJwt()
                        ? "\nLeaked JWT of key " + Mrkdwn.code(Keys.shorten(r.apiKey())) + keyName(r)
                                + ". The JWT itself is not shown or stored; after the revoke the bot asks Pinata once, with the leaked "
                                + "JWT, whether it still works. The key id was read from the JWT, whose signature nobody can "
                                + "check offline: make sure this is the key that leaked (Pinata's details below)."
                        : "")
                + notify.map(g -> "\n" + mention(g) + " an admin's decision is needed.")
                        .orElse("");
        blocks.add(section(s -> s.text(Mrkdwn.text(headline))));
        blocks.add(section(s -> s.text(Mrkdwn.text(requestFacts(r)))));
        // Headline, request facts, context and actions take four of the message's 50 blocks.
        blocks.addAll(Mrkdwn.sections(r.isBulk() ? bulkKeyLines(r) : keyFacts(r, lookup), MAX_BLOCKS - 4));
        blocks.add(context(c -> c.elements(List.of(
                Mrkdwn.text("Expires " + date(r.expiresAt()) + ". Only members of the admin user group can confirm; "
                        + "the request is recorded in the audit trail.")))));
        var confirm = r.dryRun()
                ? ConfirmationDialogObject.builder()
                        .title(plainText("Confirm the dry run?"))
                        .text(plainText("This is a dry run: " + plainWhat(r) + " will NOT be revoked."))
                        .confirm(plainText("Confirm dry run"))
                        .deny(plainText("Back"))
                        .build()
                : ConfirmationDialogObject.builder()
                        .title(plainText("Revoke this key?"))
                        .text(
                                plainText(
                                        r.isBulk()
                                                ? r.keys().size()
                                                        + " Pinata keys stop working immediately, for every app that uses them. This cannot be undone."
                                                : "Pinata key " + Keys.shorten(r.apiKey())
                                                        + " stops working immediately, for every app that uses it. This cannot be undone."))
                        .confirm(plainText("Revoke"))
                        .deny(plainText("Keep it"))
                        .style("danger")
                        .build();
        var label = r.dryRun() ? "Confirm (dry run)" : "Revoke";
        var style = r.dryRun() ? "primary" : "danger";
        blocks.add(actions(a -> a.blockId(ACTIONS_BLOCK)
                .elements(List.of(
                        button(b -> b.actionId(CONFIRM_ACTION)
                                .text(plainText(label))
                                .style(style)
                                .value(r.id())
                                .confirm(confirm)),
                        button(b -> b.actionId(CANCEL_ACTION)
                                .text(plainText("Cancel"))
                                .value(r.id()))))));
        return blocks;
    }

    /** The card after it left {@code PENDING}: no buttons, who decided, when, and what happened. */
    public static List<LayoutBlock> decided(RevocationRequest r) {
        var key = r.isBulk() ? "" : Mrkdwn.code(Keys.shorten(r.apiKey()));
        var keys = r.isBulk() ? r.keys().size() + " Pinata API keys" : "Pinata API key " + key;
        var done = r.keys().stream().filter(RequestKey::revoked).count();
        var by = r.decidedBy() == null ? "" : " by <@" + r.decidedBy() + ">";
        var when = r.decidedAt() == null ? "" : " " + date(r.decidedAt());
        var headline = switch (r.state()) {
            case PENDING -> ":rotating_light: *Revoke " + keys + "?*";
            case REVOKING -> ":hourglass_flowing_sand: *Revoking " + keys + "…* confirmed" + by + when;
            case REVOKED ->
                doubtful(r)
                        ? doubtfulHeadline(r, keys) + ", confirmed" + by + when
                        : ":white_check_mark: *"
                                + (r.isBulk() ? "All " + keys + " revoked*" : keys + " revoked*" + verification(r))
                                + ", confirmed" + by + when;
            case FAILED ->
                doubtful(r)
                        ? doubtfulHeadline(r, keys) + ", confirmed" + by + when
                        : r.isBulk()
                                ? ":x: *" + done + " of " + r.keys().size() + " Pinata API keys revoked*, confirmed"
                                        + by + when
                                : unknown(r)
                                        ? ":warning: *Revocation of " + keys + ": outcome unknown*, confirmed" + by
                                                + when
                                        : ":x: *Revocation of " + keys + " failed*, confirmed" + by + when;
            case DRY_RUN_CONFIRMED ->
                ":test_tube: *Dry run confirmed*" + by + when + ": every check passed. Nothing was revoked.";
            case CANCELLED -> ":no_entry_sign: *Cancelled*" + by + when + ". Nothing was revoked.";
            case EXPIRED ->
                ":hourglass: *Expired* " + date(r.expiresAt()) + " without a decision. Nothing was revoked.";
        };
        var blocks = new ArrayList<LayoutBlock>();
        blocks.add(section(s -> s.text(Mrkdwn.text(headline))));
        var proof = jwtProof(r);
        if (!proof.isEmpty()) {
            blocks.add(section(s -> s.text(Mrkdwn.text(proof))));
        }
        // Headline, the proof line and context take three of the message's 50 blocks.
        if (r.isBulk()
                && r.state() != RequestState.EXPIRED
                && r.state() != RequestState.CANCELLED
                && r.state() != RequestState.DRY_RUN_CONFIRMED) {
            blocks.addAll(Mrkdwn.sections(bulkKeyLines(r), MAX_BLOCKS - 3));
        } else if (r.state() == RequestState.FAILED) {
            blocks.addAll(Mrkdwn.sections(failureExplanation(r), MAX_BLOCKS - 3));
        }
        // Two context elements rather than one text: each stays within a text object's 3,000 characters.
        var facts = r.isBulk()
                ? List.of(Mrkdwn.text(requestFacts(r)))
                : List.of(
                        Mrkdwn.text("Key " + Mrkdwn.code(Keys.shorten(r.apiKey())) + keyName(r)),
                        Mrkdwn.text(requestFacts(r)));
        blocks.add(context(c -> c.elements(List.copyOf(facts))));
        return blocks;
    }

    /**
     * A REVOKING card whose process is stopping: the revoke may or may not have reached Pinata, and another instance
     * (or this one, once restarted) settles the request by what Pinata lists. No buttons.
     */
    public static List<LayoutBlock> interrupted(RevocationRequest r, java.time.Duration settleWithin) {
        var facts = r.isBulk()
                ? List.of(Mrkdwn.text(requestFacts(r)))
                : List.of(
                        Mrkdwn.text("Key " + Mrkdwn.code(Keys.shorten(r.apiKey())) + keyName(r)),
                        Mrkdwn.text(requestFacts(r)));
        return List.of(
                section(s -> s.text(Mrkdwn.text(interruptedText(r, settleWithin)))),
                context(c -> c.elements(List.copyOf(facts))));
    }

    /** The interrupted card's headline, also its fallback text. */
    public static String interruptedText(RevocationRequest r, java.time.Duration settleWithin) {
        var what = r.isBulk()
                ? r.keys().size() + " Pinata API keys"
                : "Pinata API key " + Mrkdwn.code(Keys.shorten(r.apiKey()));
        var by = r.decidedBy() == null ? "" : ", confirmed by <@" + r.decidedBy() + ">,";
        return ":warning: *Revoking " + what + by + " was interrupted: the bot is restarting.* It may or may not be "
                + "revoked yet. The next running instance settles it by what Pinata lists (it never sends the revoke "
                + "twice) at its next sweep, every " + Math.max(1, settleWithin.toSeconds()) + " s, once it has read "
                + "Pinata's key list (a few minutes at most after a restart); the result follows here. Nothing to do "
                + "unless no result arrives.";
    }

    /** The result message as blocks: {@link #result} split within Block Kit's limits. */
    public static List<LayoutBlock> resultBlocks(RevocationRequest r) {
        var proof = jwtProof(r);
        return Mrkdwn.sections(proof.isEmpty() ? result(r) : result(r) + "\n" + proof, MAX_BLOCKS);
    }

    /** A user group mention: Slack notifies its members. */
    static String mention(String usergroup) {
        return "<!subteam^" + usergroup + ">";
    }

    /**
     * What the one check of a leaked JWT showed, for a request made from one that has ended; empty otherwise. Said as
     * it is: refused (Pinata's status), still accepted, not checked, or skipped (the JWT was only in the memory of a
     * process that is gone, or of another instance).
     */
    static String jwtProof(RevocationRequest r) {
        if (!r.fromLeakedJwt() || (r.state() != RequestState.REVOKED && r.state() != RequestState.FAILED)) {
            return "";
        }
        var p = r.jwtProof();
        if (p == null) {
            return r.state() == RequestState.FAILED
                    ? ":warning: The leaked JWT was not checked: its key is not shown revoked (see above), so assume the JWT "
                            + "still works."
                    : ":warning: *The leaked JWT was not checked* (proof skipped): the bot held it in memory only, and the "
                            + "process that held it restarted (or another instance finished this request) before the check. It "
                            + "was never stored, so it cannot be checked now; the key's state above is from Pinata's key list.";
        }
        return switch (p.kind()) {
            case REFUSED ->
                ":lock: Pinata now refuses the leaked credential (HTTP " + p.status() + "). This shows the JWT no "
                        + "longer works, not that it ever did: a forged or mistyped JWT gets the same answer. The key's "
                        + "revocation is shown above.";
            case STILL_ACCEPTED ->
                ":warning: *Pinata still accepts the leaked JWT* (HTTP " + p.status() + ") after the "
                        + "revoke: the leak may not be closed. Check the key in the Pinata dashboard (API Keys) and revoke it "
                        + "there if it is still active.";
            case NOT_CHECKED ->
                ":warning: Whether Pinata still accepts the leaked JWT *could not be checked* ("
                        + Mrkdwn.escape(p.detail()) + (p.status() == 0 ? "" : ", HTTP " + p.status())
                        + "). The bot does not "
                        + "keep the JWT, so it will not try again.";
        };
    }

    /** The message posted in the channel once a revocation has a final outcome, as mrkdwn of any length. */
    public static String result(RevocationRequest r) {
        var key = Mrkdwn.code(Keys.shorten(r.apiKey())) + keyName(r);
        if (r.state() == RequestState.DRY_RUN_CONFIRMED) {
            return ":test_tube: Dry run for Pinata API key " + key + " confirmed by <@" + r.decidedBy()
                    + ">: every check passed, and nothing was revoked. Run it without `--dry-run` to revoke.";
        }
        if (r.isBulk()) {
            var done = r.keys().stream().filter(RequestKey::revoked).count();
            var head = done == r.keys().size()
                    ? ":white_check_mark: All " + done + " Pinata API keys are revoked"
                    : ":x: " + done + " of " + r.keys().size() + " Pinata API keys are revoked; the others were *not*";
            return head + " (confirmed by <@" + r.decidedBy() + ">, requested by <@" + r.requesterId() + ">):\n"
                    + bulkKeyLines(r);
        }
        if (r.outcome() == Outcome.ACCEPTED_UNVERIFIED) {
            return ":warning: Pinata accepted the revoke call for key " + key + " (confirmed by <@" + r.decidedBy()
                    + ">), but this is *not verified*: Pinata answers OK to any string, and its key list could not be "
                    + "read before the card. Check the key in the Pinata dashboard.";
        }
        if (stillListed(r)) {
            return ":warning: Pinata answered OK to revoking key " + key + " (confirmed by <@" + r.decidedBy()
                    + ">, requested by <@" + r.requesterId() + ">), but still lists the key as active: it may *not* be "
                    + "revoked. Check it in the Pinata dashboard, and revoke it there if it is still active.";
        }
        if (unknown(r)) {
            return ":warning: Pinata API key " + key + " may or may not be revoked: nobody can tell yet. "
                    + failureExplanation(r);
        }
        if (r.state() == RequestState.REVOKED) {
            var warning = "";
            return ":white_check_mark: Pinata API key " + key + " has been revoked" + verification(r)
                    + " (confirmed by <@"
                    + r.decidedBy() + ">, requested by <@" + r.requesterId()
                    + ">). Apps still using it will now get errors."
                    + warning;
        }
        return ":x: Pinata API key " + key + " was *not* revoked. " + failureExplanation(r);
    }

    /**
     * The top-level {@code text}: what notifications and screen readers get instead of the blocks, so a full sentence
     * saying what happened, to which key, and who asked or decided. No user or Pinata text goes in: this field has no
     * {@code verbatim} switch.
     */
    public static String fallback(RevocationRequest r) {
        var what = plainWhat(r);
        var requester = "<@" + r.requesterId() + ">";
        var by = r.decidedBy() == null ? "" : " by <@" + r.decidedBy() + ">";
        var done = r.keys().stream().filter(RequestKey::revoked).count();
        return switch (r.state()) {
            case PENDING ->
                r.dryRun()
                        ? requester + " asks for a dry run of revoking " + what
                                + ": an admin can confirm or cancel it on the card, and nothing will be revoked."
                        : requester + " asks to revoke " + what + ": an admin must confirm or cancel it on the card.";
            case REVOKING -> "Revoking " + what + ", confirmed" + by + " (requested by " + requester + ").";
            case REVOKED ->
                (doubtful(r)
                                ? doubtfulFallback(r, what)
                                : r.isBulk()
                                        ? "All " + what + " were revoked"
                                        : what + " was revoked" + verification(r))
                        + ", confirmed" + by + " (requested by " + requester + ")."
                        + (r.fromLeakedJwt()
                                        && r.jwtProof() != null
                                        && r.jwtProof().kind()
                                                == cloud.pinata.revokebot.revocation.JwtProof.Kind.REFUSED
                                ? " Pinata now refuses the leaked credential (HTTP "
                                        + r.jwtProof().status() + ")."
                                : r.fromLeakedJwt() ? " The leaked JWT is not proven dead: see the result." : "");
            case FAILED ->
                (doubtful(r)
                                ? doubtfulFallback(r, what)
                                : r.isBulk()
                                        ? done + " of " + r.keys().size()
                                                + " Pinata API keys were revoked and the others were not"
                                        : unknown(r)
                                                ? what + " may or may not be revoked: Pinata gave no definite answer"
                                                : what + " was not revoked: "
                                                        + shortReason(r.outcome(), r.pinataStatus()))
                        + ", confirmed" + by + " (requested by " + requester + ").";
            case DRY_RUN_CONFIRMED ->
                "The dry run for " + what + " was confirmed" + by + " (requested by " + requester
                        + "); nothing was revoked.";
            case CANCELLED ->
                "The request to revoke " + what + " was cancelled" + by + " (requested by " + requester
                        + "); nothing was revoked.";
            case EXPIRED ->
                "The request by " + requester + " to revoke " + what
                        + " expired without a decision; nothing was revoked.";
        };
    }

    /** The reminder at half a pending card's time, posted in the card's thread; {@code notify} is mentioned. */
    public static String reminder(RevocationRequest r, Optional<String> notify) {
        var what = r.fromLeakedJwt()
                ? "the key of a leaked JWT, " + Mrkdwn.code(Keys.shorten(r.apiKey()))
                : plainWhat(r).replace(Keys.shorten(r.apiKey()), Mrkdwn.code(Keys.shorten(r.apiKey())));
        return notify.map(g -> mention(g) + " ").orElse("") + ":alarm_clock: *Still waiting for an admin:* <@"
                + r.requesterId() + "> asked to revoke " + what + ". The card expires " + date(r.expiresAt())
                + "; an admin can confirm or cancel it on the card above.";
    }

    /** The failure in a few words, for {@link #fallback}. */
    private static String shortReason(Outcome outcome, Integer status) {
        var http = status == null ? "" : " (HTTP " + status + ")";
        if (outcome == null) {
            return "Pinata gave no definite answer" + http + ", so the key may still be active";
        }
        return switch (outcome) {
            case BOT_CREDENTIAL_INVALID -> "Pinata rejected the bot's own credential" + http;
            case BOT_NOT_ALLOWED -> "Pinata refused the bot's key" + http;
            case BOT_KEY_REVOKED -> "the bot's own Pinata key has been revoked" + http;
            case KEY_NOT_FOUND -> "Pinata answered 404" + http;
            case ROUTE_NOT_FOUND -> "Pinata's API has no such route" + http + ": check PINATA_API_URL";
            case REJECTED -> "Pinata rejected the request" + http;
            case NOT_ACTIVE -> "it is not an active key of this organisation";
            case PINATA_UNAVAILABLE, FAILED, PARTIAL ->
                "Pinata gave no definite answer" + http + ", so the key may still be active";
            case ACCEPTED_UNVERIFIED ->
                "Pinata accepted the call but nothing showed the key active before: not verified";
            case REVOKED, ALREADY_REVOKED, CANCELLED, EXPIRED, DRY_RUN_CONFIRMED, CARD_NOT_POSTED -> outcome.code();
        };
    }

    /**
     * Pinata answered 200, but the evidence does not support "revoked": no listing showed the key active before, or
     * a listing still shows it active afterwards. Ends FAILED since V8's code (older rows may say REVOKED).
     */
    private static boolean doubtful(RevocationRequest r) {
        return !r.isBulk() && (r.outcome() == Outcome.ACCEPTED_UNVERIFIED || stillListed(r));
    }

    private static String doubtfulHeadline(RevocationRequest r, String keys) {
        return r.outcome() == Outcome.ACCEPTED_UNVERIFIED
                ? ":warning: *Revoke call for " + keys + " accepted, not verified*"
                : ":warning: *Pinata accepted the revoke call for " + keys + " but still lists it as active*";
    }

    private static String doubtfulFallback(RevocationRequest r, String what) {
        return r.outcome() == Outcome.ACCEPTED_UNVERIFIED
                ? "Pinata accepted the revoke call for " + what + ", but it is not verified"
                : "Pinata accepted the revoke call for " + what + " but still lists it as active";
    }

    /** Pinata answered 200, yet its list still shows the key active: not a success to show with a green check. */
    private static boolean stillListed(RevocationRequest r) {
        return !r.isBulk() && "still_listed_active".equals(r.outcomeDetail());
    }

    /** An unclear failure after which Pinata's lists could not say whether the key is still active. */
    private static boolean unknown(RevocationRequest r) {
        return !r.isBulk()
                && r.state() == RequestState.FAILED
                && r.outcome() == Outcome.PINATA_UNAVAILABLE
                && (r.outcomeDetail() == null || !r.outcomeDetail().endsWith(RevokeOutcome.Unavailable.STILL_ACTIVE));
    }

    /** " and verified" when Pinata's key list confirmed the revocation. */
    static String verification(RevocationRequest r) {
        return "verified".equals(r.outcomeDetail()) ? " and verified" : "";
    }

    /** The confirm dialog's text is plain_text: no mrkdwn there. */
    private static String plainWhat(RevocationRequest r) {
        return r.isBulk() ? r.keys().size() + " Pinata API keys" : "Pinata API key " + Keys.shorten(r.apiKey());
    }

    /** "N Pinata API keys" or "Pinata API key `a1b2…c9d0`". */
    private static String what(RevocationRequest r) {
        return r.isBulk()
                ? r.keys().size() + " Pinata API keys"
                : "Pinata API key " + Mrkdwn.code(Keys.shorten(r.apiKey()));
    }

    /** One line per key of a bulk request: its details before the decision, its outcome after. */
    static String bulkKeyLines(RevocationRequest r) {
        var sb = new StringBuilder();
        for (var k : r.keys()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            var key = Mrkdwn.code(Keys.shorten(k.apiKey()));
            var name = k.details() != null && k.details().name() != null
                    ? " (" + Mrkdwn.clipped(k.details().name(), NAME_SHOWN) + ")"
                    : "";
            if (k.outcome() == null) {
                var note = k.revokedBefore()
                        ? " · already revoked, will be skipped"
                        : k.lookupNote() == null
                                ? ""
                                : switch (k.lookupNote()) {
                                    case NOT_ACTIVE ->
                                        " · :warning: not an active key of this organisation, will be skipped";
                                    case UNAVAILABLE -> " · _details unavailable, result will not be verified_";
                                };
                sb.append("• ").append(key).append(name).append(note);
            } else if (k.stillListedActive()) {
                sb.append(":warning: ")
                        .append(key)
                        .append(name)
                        .append(": Pinata accepted the revoke call but still lists ")
                        .append(
                                "it as active. Check it in the Pinata dashboard (API Keys) and revoke it there if needed.");
            } else if (k.revoked()) {
                sb.append(":white_check_mark: ")
                        .append(key)
                        .append(name)
                        .append(
                                k.outcome() == Outcome.ALREADY_REVOKED
                                        ? " was already revoked"
                                        : "verified".equals(k.detail())
                                                ? " revoked and verified"
                                                : " revoked (not verified: Pinata's list could not be read afterwards)");
            } else {
                sb.append(":x: ")
                        .append(key)
                        .append(name)
                        .append(": ")
                        .append(failureExplanation(k.outcome(), k.detail(), k.pinataStatus()));
            }
        }
        return sb.toString();
    }

    static String failureExplanation(RevocationRequest r) {
        return failureExplanation(r.outcome(), r.outcomeDetail(), r.pinataStatus());
    }

    static String failureExplanation(Outcome outcome, String outcomeDetail, Integer pinataStatus) {
        var status = pinataStatus == null
                ? ""
                : " (HTTP " + pinataStatus
                        + (outcomeDetail != null && outcome != null && outcome != Outcome.PINATA_UNAVAILABLE
                                ? " " + Mrkdwn.clipped(outcomeDetail, DETAIL_SHOWN)
                                : "")
                        + ")";
        if (outcome == null) {
            return noDefiniteAnswer(outcomeDetail, status);
        }
        return switch (outcome) {
            case BOT_CREDENTIAL_INVALID ->
                "Pinata rejected the bot's own credential" + status
                        + ": its key was revoked or deleted, or `PINATA_ADMIN_JWT` is mistyped. Whoever runs the bot must set "
                        + "the JWT of a live Admin key. Until then, revoke the key in the Pinata dashboard.";
            case BOT_NOT_ALLOWED ->
                "Pinata refused" + status + ": the bot's key is not an Admin key. "
                        + "Give the bot an Admin key in `PINATA_ADMIN_JWT`; meanwhile revoke the key in the Pinata dashboard.";
            case BOT_KEY_REVOKED ->
                "Pinata refused" + status + ": the bot's own key has been revoked. "
                        + "Whoever runs the bot must create a new Admin key and set its JWT as `PINATA_ADMIN_JWT`; "
                        + "meanwhile revoke the key in the Pinata dashboard.";
            case ROUTE_NOT_FOUND ->
                "Pinata's API answered 404 for this route" + status
                        + ": check `PINATA_API_URL` (it must be https://api.pinata.cloud). Nothing shows the key was revoked: "
                        + "revoke it in the Pinata dashboard.";
            case NOT_ACTIVE ->
                "not an active key of this organisation (typo? another organisation? already revoked?); "
                        + "not sent to Pinata";
            case KEY_NOT_FOUND ->
                "Pinata answered 404" + status
                        + ". Check the key id: it may belong to another organisation, or be deleted already.";
            case REJECTED -> "Pinata rejected the request" + status + ". Check the key id and try again.";
            case ACCEPTED_UNVERIFIED ->
                "Pinata answered OK, but it answers OK to any string, and no "
                        + "listing showed this key active before: *not verified*. Check the key in the Pinata dashboard.";
            case REVOKED ->
                RequestKey.STILL_LISTED_ACTIVE.equals(outcomeDetail)
                        ? "Pinata accepted the revoke call but still lists the key as active. Check it in the Pinata dashboard "
                                + "(API Keys) and revoke it there if needed."
                        : "revoked";
            case ALREADY_REVOKED -> "already revoked before this request";
            case PINATA_UNAVAILABLE, PARTIAL, FAILED -> noDefiniteAnswer(outcomeDetail, status);
            case CANCELLED, EXPIRED, DRY_RUN_CONFIRMED, CARD_NOT_POSTED -> "not revoked (" + outcome.code() + ")";
        };
    }

    private static String noDefiniteAnswer(String outcomeDetail, String status) {
        return outcomeDetail != null && outcomeDetail.endsWith(RevokeOutcome.Unavailable.STILL_ACTIVE)
                ? "Pinata did not complete the revocation" + status + " (" + Mrkdwn.clipped(outcomeDetail, DETAIL_SHOWN)
                        + "). The key is still active: run `/pinata-revoke` again in a minute, or revoke it in the Pinata dashboard."
                : "Pinata gave no definite answer" + status
                        + (outcomeDetail == null ? "" : " (" + Mrkdwn.clipped(outcomeDetail, DETAIL_SHOWN) + ")")
                        + ". The key may still be active: run `/pinata-revoke` again or check the Pinata dashboard.";
    }

    private static String requestFacts(RevocationRequest r) {
        var reason = r.reason() == null || r.reason().isBlank() ? "_no reason given_" : Mrkdwn.escape(r.reason());
        return "Requested by <@" + r.requesterId() + "> " + date(r.createdAt()) + " · Reason: " + reason;
    }

    private static String keyFacts(RevocationRequest r, KeyLookup lookup) {
        if (lookup instanceof KeyLookup.Found found) {
            var d = found.details();
            var name = d.name() == null || d.name().isBlank() ? "—" : Mrkdwn.clipped(d.name(), NAME_SHOWN);
            return "*Name:* " + name + "   *Created:* " + orDash(d.createdAt()) + "   *Scopes:* " + orDash(d.scopes());
        }
        if (lookup instanceof KeyLookup.NotListed) {
            // Refused before a card is posted (RevocationService); kept so that no look-up renders as "active".
            return ":warning: Pinata does not list this key as an active key of the organisation.";
        }
        var reason =
                lookup instanceof KeyLookup.Unavailable u ? " (" + Mrkdwn.clipped(u.reason(), DETAIL_SHOWN) + ")" : "";
        return ":warning: _Key details unavailable" + reason + "._ The bot could not check that this is an active key "
                + "of the organisation, so the result will say *not verified*.";
    }

    private static String keyName(RevocationRequest r) {
        return r.details() != null && r.details().name() != null
                ? " (" + Mrkdwn.clipped(r.details().name(), NAME_SHOWN) + ")"
                : "";
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "—" : Mrkdwn.clipped(s, DETAIL_SHOWN);
    }

    /** Slack renders this in each reader's own time zone; the fallback is UTC. */
    static String date(Instant at) {
        return "<!date^" + at.getEpochSecond() + "^{date_short_pretty} at {time}|" + at.toString() + ">";
    }
}
