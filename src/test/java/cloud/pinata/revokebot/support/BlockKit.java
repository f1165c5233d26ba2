package cloud.pinata.revokebot.support;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Block Kit's documented rules, as Slack applies them before it accepts a message: written from Slack's Block Kit
 * reference (https://docs.slack.dev/reference/block-kit) and the Java SDK's block model
 * ({@code com.slack.api.model.block}). Each rule cites its page. Strict where the docs are: an unknown block type,
 * element type or field is refused too, because Slack refuses what it does not know ({@code invalid_blocks}).
 * <p>
 * Only the block types and elements this bot may use are modelled (section, context, actions, header, divider;
 * button, image; plain_text, mrkdwn; confirm): anything else fails, so a new kind of block needs a rule here first.
 * <p>
 * Every payload that passes is counted (distinct JSON texts, per test JVM) in
 * {@code target/strict-slack-payloads-<fork>.txt}, one file for each of the JVMs surefire runs side by side.
 */
public final class BlockKit {
    private static final String DOCS = "https://docs.slack.dev/reference/block-kit/";
    private static final Set<String> PASSED = ConcurrentHashMap.newKeySet();
    private static final Set<String> SENT = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                Files.createDirectories(Path.of("target"));
                                Files.writeString(
                                        Path.of(
                                                "target",
                                                "strict-slack-payloads-"
                                                        + System.getProperty("surefire.fork", "1")
                                                        + ".txt"),
                                        "distinct payloads accepted by the strict Block Kit validator: " + PASSED.size()
                                                + "; of them sent by a running bot over HTTP (Web API, response_url, acks): "
                                                + SENT.size() + "\n");
                            } catch (IOException e) {
                                // Counting is a report, not a check.
                            }
                        },
                        "block-kit-count"));
    }

    /** Where a message comes from: the rules for its top-level fields differ. */
    public enum Kind {
        /** chat.postMessage, chat.update, chat.postEphemeral: form fields text and blocks (a JSON string). */
        WEB_API,
        /** A JSON body posted to a response_url. */
        RESPONSE_URL,
        /** The JSON body of an HTTP 200 acknowledging a slash command. */
        ACK
    }

    private BlockKit() {}

    /** Counts a payload a running bot sent and the fake accepted (the rest are rendered by unit and property tests). */
    public static void countSent(String payload) {
        SENT.add(payload);
    }

    /** How many distinct payloads have passed so far in this JVM. */
    public static int distinctPassed() {
        return PASSED.size();
    }

    /**
     * The problems of one message given as its top-level {@code text} (may be null) and {@code blocks} (a JSON array,
     * may be null); empty when Slack would accept it.
     */
    public static List<String> check(Kind kind, String text, String blocksJson) {
        var errors = new ArrayList<String>();
        JsonArray blocks = null;
        if (blocksJson != null) {
            try {
                var parsed = JsonParser.parseString(blocksJson);
                if (!parsed.isJsonArray()) {
                    errors.add("blocks must be an array [" + DOCS + "blocks]");
                } else {
                    blocks = parsed.getAsJsonArray();
                }
            } catch (RuntimeException e) {
                errors.add("blocks is not JSON: invalid_blocks_format");
            }
        }
        // chat.postMessage: "text ... required unless you provide blocks"; with blocks it is "used as a fallback
        // string to display in notifications" and Slack's guidance is to always give it. This fake requires it:
        // the bot's own rule that every message has a full-sentence fallback
        // (https://docs.slack.dev/reference/methods/chat.postMessage#arg_text).
        if (text == null || text.isBlank()) {
            errors.add(
                    "top-level text missing (no_text / the fallback rule) [https://docs.slack.dev/reference/methods/chat.postMessage]");
        } else if (text.length() > 40_000) {
            // chat.postMessage: "truncated ... at 40,000 characters"; anything near that is a bug here.
            errors.add(
                    "top-level text over 40000 characters [https://docs.slack.dev/reference/methods/chat.postMessage]");
        }
        if (blocks != null) {
            checkBlocks(blocks, errors);
        }
        if (errors.isEmpty()) {
            PASSED.add(kind + "\u0000" + text + "\u0000" + blocksJson);
        }
        return errors;
    }

    /** A whole JSON message (response_url body or ack body): its top-level fields, then {@link #check}. */
    public static List<String> checkJson(Kind kind, String json) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            return List.of("body is not a JSON object");
        }
        var errors = new ArrayList<String>();
        // Message payloads for response_url and acks: https://docs.slack.dev/interactivity/handling-user-interaction
        // (response_type: "in_channel" or "ephemeral"; replace_original / delete_original booleans).
        var allowed = Set.of(
                "text",
                "blocks",
                "response_type",
                "replace_original",
                "delete_original",
                "thread_ts",
                "mrkdwn",
                "metadata",
                "attachments");
        for (var key : o.keySet()) {
            if (!allowed.contains(key)) {
                errors.add("unknown message field " + key);
            }
        }
        if (o.has("response_type")) {
            var type = string(o, "response_type");
            if (!"ephemeral".equals(type) && !"in_channel".equals(type)) {
                errors.add("response_type must be ephemeral or in_channel");
            }
        }
        if (kind == Kind.RESPONSE_URL) {
            // The bot's own rule (docs/design.md): a response_url post says it is ephemeral and never replaces the
            // message it came from, instead of relying on today's defaults.
            if (!"ephemeral".equals(string(o, "response_type"))) {
                errors.add("response_url post without explicit response_type: ephemeral (the bot's rule)");
            }
            if (!o.has("replace_original") || o.get("replace_original").getAsBoolean()) {
                errors.add("response_url post without explicit replace_original: false (the bot's rule)");
            }
        }
        if (o.has("attachments")) {
            errors.add("attachments: this bot sends none (secondary content the fake does not model)");
        }
        var text =
                o.has("text") && o.get("text").isJsonPrimitive() ? o.get("text").getAsString() : null;
        var blocks = o.has("blocks") ? o.get("blocks").toString() : null;
        errors.addAll(check(kind, text, blocks));
        return errors;
    }

    /**
     * A {@code views.publish} view (the App Home tab): {@code type} "home", at most 100 blocks ("Each view can contain
     * up to 100 blocks" [surfaces]), each block held to the same rules as in a message; private_metadata at most 3,000
     * characters.
     */
    public static List<String> checkView(String viewJson) {
        var errors = new ArrayList<String>();
        JsonObject view;
        try {
            view = JsonParser.parseString(viewJson == null ? "" : viewJson).getAsJsonObject();
        } catch (RuntimeException e) {
            errors.add("view is not a JSON object");
            return errors;
        }
        if (!"home".equals(string(view, "type"))) {
            errors.add("view/type: must be home for views.publish of an App Home");
        }
        if (view.has("private_metadata")
                && string(view, "private_metadata") != null
                && string(view, "private_metadata").length() > 3000) {
            errors.add("view/private_metadata: over 3000 characters");
        }
        if (!view.has("blocks") || !view.get("blocks").isJsonArray()) {
            errors.add("view/blocks: required array");
            return errors;
        }
        checkBlocks(view.getAsJsonArray("blocks"), errors, 100);
        return errors;
    }

    private static void checkBlocks(JsonArray blocks, List<String> errors) {
        checkBlocks(blocks, errors, 50);
    }

    private static void checkBlocks(JsonArray blocks, List<String> errors, int maxBlocks) {
        // "You can include up to 50 blocks in each message" [blocks]; 100 in a view.
        if (blocks.size() > maxBlocks) {
            errors.add("more than " + maxBlocks + " blocks (" + blocks.size() + ") [" + DOCS + "blocks]");
        }
        var blockIds = new HashSet<String>();
        for (int i = 0; i < blocks.size(); i++) {
            var at = "/blocks/" + i;
            if (!blocks.get(i).isJsonObject()) {
                errors.add(at + ": not an object");
                continue;
            }
            var b = blocks.get(i).getAsJsonObject();
            // block_id: "Maximum length for this field is 255 characters ... should be unique for each message"
            if (b.has("block_id")) {
                var id = string(b, "block_id");
                if (id == null || id.isEmpty() || id.length() > 255) {
                    errors.add(at + "/block_id: 1 to 255 characters [" + DOCS + "blocks]");
                } else if (!blockIds.add(id)) {
                    errors.add(at + "/block_id: repeated block_id " + id + " [" + DOCS + "blocks]");
                }
            }
            var type = string(b, "type");
            switch (type == null ? "" : type) {
                case "section" -> section(b, at, errors);
                case "context" -> context(b, at, errors);
                case "actions" -> actions(b, at, errors);
                case "header" -> header(b, at, errors);
                case "divider" -> only(b, at, errors, "type", "block_id");
                default -> errors.add(at + ": block type " + type + " unknown to this validator [" + DOCS + "blocks]");
            }
        }
    }

    /** Section block: https://docs.slack.dev/reference/block-kit/blocks/section-block */
    private static void section(JsonObject b, String at, List<String> errors) {
        only(b, at, errors, "type", "block_id", "text", "fields", "accessory", "expand");
        // "text: ... Maximum length for the text in this field is 3000 characters. This field is not required if a
        // valid array of fields objects is provided instead."
        if (!b.has("text") && !b.has("fields")) {
            errors.add(at + ": section needs text or fields [" + DOCS + "blocks/section-block]");
        }
        if (b.has("text")) {
            textObject(b.get("text"), at + "/text", errors, false, 3000);
        }
        // "fields: ... Maximum number of items is 10. Maximum length for the text in each item is 2000 characters."
        if (b.has("fields")) {
            var fields = array(b, "fields", at, errors);
            if (fields != null) {
                if (fields.isEmpty() || fields.size() > 10) {
                    errors.add(at + "/fields: 1 to 10 items [" + DOCS + "blocks/section-block]");
                }
                for (int i = 0; i < fields.size(); i++) {
                    textObject(fields.get(i), at + "/fields/" + i, errors, false, 2000);
                }
            }
        }
        if (b.has("accessory")) {
            element(b.get("accessory"), at + "/accessory", errors);
        }
    }

    /** Context block: https://docs.slack.dev/reference/block-kit/blocks/context-block */
    private static void context(JsonObject b, String at, List<String> errors) {
        only(b, at, errors, "type", "block_id", "elements");
        // "elements: An array of image elements and text objects. Maximum number of items is 10." (required)
        var elements = array(b, "elements", at, errors);
        if (elements == null) {
            return;
        }
        if (elements.isEmpty() || elements.size() > 10) {
            errors.add(at + "/elements: 1 to 10 items (" + elements.size() + ") [" + DOCS + "blocks/context-block]");
        }
        for (int i = 0; i < elements.size(); i++) {
            var e = elements.get(i);
            var type = e.isJsonObject() ? string(e.getAsJsonObject(), "type") : null;
            if ("image".equals(type)) {
                image(e.getAsJsonObject(), at + "/elements/" + i, errors);
            } else {
                textObject(e, at + "/elements/" + i, errors, false, 3000);
            }
        }
    }

    /** Actions block: https://docs.slack.dev/reference/block-kit/blocks/actions-block */
    private static void actions(JsonObject b, String at, List<String> errors) {
        only(b, at, errors, "type", "block_id", "elements");
        // "elements: An array of interactive element objects ... There is a maximum of 25 elements in each action
        // block."
        var elements = array(b, "elements", at, errors);
        if (elements == null) {
            return;
        }
        if (elements.isEmpty() || elements.size() > 25) {
            errors.add(at + "/elements: 1 to 25 items [" + DOCS + "blocks/actions-block]");
        }
        // action_id: "Should be unique among all other action_ids in the containing block."
        // (https://docs.slack.dev/reference/block-kit/block-elements/button-element)
        var actionIds = new HashSet<String>();
        for (int i = 0; i < elements.size(); i++) {
            var e = elements.get(i);
            element(e, at + "/elements/" + i, errors);
            if (e.isJsonObject() && e.getAsJsonObject().has("action_id")) {
                var id = string(e.getAsJsonObject(), "action_id");
                if (!actionIds.add(id)) {
                    errors.add(at + "/elements/" + i + "/action_id: repeated in one block: " + id + " [" + DOCS
                            + "block-elements/button-element]");
                }
            }
        }
    }

    /** Header block: https://docs.slack.dev/reference/block-kit/blocks/header-block */
    private static void header(JsonObject b, String at, List<String> errors) {
        only(b, at, errors, "type", "block_id", "text");
        // "text: The text for the block, in the form of a plain_text text object. Maximum length for the text in this
        // field is 150 characters."
        if (!b.has("text")) {
            errors.add(at + ": header needs text [" + DOCS + "blocks/header-block]");
            return;
        }
        textObject(b.get("text"), at + "/text", errors, true, 150);
    }

    /** Interactive elements the bot uses: the button (https://docs.slack.dev/reference/block-kit/block-elements/button-element). */
    private static void element(JsonElement el, String at, List<String> errors) {
        if (!el.isJsonObject()) {
            errors.add(at + ": not an object");
            return;
        }
        var e = el.getAsJsonObject();
        var type = string(e, "type");
        if ("image".equals(type)) {
            image(e, at, errors);
            return;
        }
        if (!"button".equals(type)) {
            errors.add(at + ": element type " + type + " unknown to this validator [" + DOCS + "block-elements]");
            return;
        }
        only(e, at, errors, "type", "text", "action_id", "url", "value", "style", "confirm", "accessibility_label");
        // "text: A text object that defines the button's text. Can only be of type: plain_text. ... Maximum length
        // for the text in this field is 75 characters."
        if (!e.has("text")) {
            errors.add(at + ": button needs text [" + DOCS + "block-elements/button-element]");
        } else {
            textObject(e.get("text"), at + "/text", errors, true, 75);
        }
        // "action_id: ... Maximum length is 255 characters."
        length(e, "action_id", 1, 255, at, errors, "block-elements/button-element");
        // "value: ... Maximum length is 2000 characters."
        length(e, "value", 1, 2000, at, errors, "block-elements/button-element");
        // "url: ... Maximum length is 3000 characters."
        length(e, "url", 1, 3000, at, errors, "block-elements/button-element");
        // "accessibility_label: ... Maximum length is 75 characters."
        length(e, "accessibility_label", 1, 75, at, errors, "block-elements/button-element");
        // "style: ... primary ... danger ... If you don't include this field, the default button style will be used."
        if (e.has("style") && !Set.of("primary", "danger").contains(string(e, "style"))) {
            errors.add(at + "/style: primary or danger [" + DOCS + "block-elements/button-element]");
        }
        if (e.has("confirm")) {
            confirm(e.get("confirm"), at + "/confirm", errors);
        }
    }

    /** Confirmation dialog object: https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object */
    private static void confirm(JsonElement el, String at, List<String> errors) {
        if (!el.isJsonObject()) {
            errors.add(at + ": not an object");
            return;
        }
        var c = el.getAsJsonObject();
        only(c, at, errors, "title", "text", "confirm", "deny", "style");
        // "title: A plain_text text object ... Maximum length for this field is 100 characters." (required)
        // "text: A plain_text text object ... Maximum length for the text in this field is 300 characters." (required)
        // "confirm: A plain_text text object ... Maximum length for the text in this field is 30 characters."
        // (required)
        // "deny: A plain_text text object ... Maximum length for the text in this field is 30 characters." (required)
        int[] limits = {100, 300, 30, 30};
        String[] fields = {"title", "text", "confirm", "deny"};
        for (int i = 0; i < fields.length; i++) {
            if (!c.has(fields[i])) {
                errors.add(at + ": confirm needs " + fields[i] + " [" + DOCS
                        + "composition-objects/confirmation-dialog-object]");
            } else {
                textObject(c.get(fields[i]), at + "/" + fields[i], errors, true, limits[i]);
            }
        }
        // "style: ... either danger or primary"
        if (c.has("style") && !Set.of("primary", "danger").contains(string(c, "style"))) {
            errors.add(at + "/style: primary or danger [" + DOCS + "composition-objects/confirmation-dialog-object]");
        }
    }

    /** Image element: https://docs.slack.dev/reference/block-kit/block-elements/image-element */
    private static void image(JsonObject e, String at, List<String> errors) {
        only(e, at, errors, "type", "image_url", "alt_text", "slack_file");
        // "alt_text: A plain-text summary of the image." (required); image_url or slack_file required.
        if (!e.has("alt_text") || (!e.has("image_url") && !e.has("slack_file"))) {
            errors.add(at + ": image needs alt_text and image_url [" + DOCS + "block-elements/image-element]");
        }
    }

    /**
     * Text object: https://docs.slack.dev/reference/block-kit/composition-objects/text-object — "type: plain_text
     * or mrkdwn", "text: ... minimum of 1 and maximum of 3000 characters", "emoji: ... only usable when type is
     * plain_text", "verbatim: ... only usable when type is mrkdwn". {@code plainOnly}: the field takes plain_text
     * only; {@code max}: the field's own limit.
     */
    private static void textObject(JsonElement el, String at, List<String> errors, boolean plainOnly, int max) {
        if (!el.isJsonObject()) {
            errors.add(at + ": a text object is an object");
            return;
        }
        var t = el.getAsJsonObject();
        var type = string(t, "type");
        if (!"plain_text".equals(type) && !"mrkdwn".equals(type)) {
            errors.add(
                    at + "/type: plain_text or mrkdwn, not " + type + " [" + DOCS + "composition-objects/text-object]");
            return;
        }
        if (plainOnly && !"plain_text".equals(type)) {
            errors.add(at + ": must be plain_text [" + DOCS + "composition-objects/text-object]");
        }
        if ("plain_text".equals(type)) {
            only(t, at, errors, "type", "text", "emoji");
        } else {
            only(t, at, errors, "type", "text", "verbatim");
        }
        var text = string(t, "text");
        if (text == null || text.isEmpty()) {
            errors.add(at + "/text: at least 1 character [" + DOCS + "composition-objects/text-object]");
        } else if (text.length() > Math.min(max, 3000)) {
            errors.add(at + "/text: must be at most " + max + " characters, is " + text.length() + " [" + DOCS
                    + "composition-objects/text-object]");
        }
    }

    private static void length(
            JsonObject o, String field, int min, int max, String at, List<String> errors, String doc) {
        if (!o.has(field)) {
            return;
        }
        var v = string(o, field);
        if (v == null || v.length() < min || v.length() > max) {
            errors.add(at + "/" + field + ": " + min + " to " + max + " characters [" + DOCS + doc + "]");
        }
    }

    /** Slack refuses fields it does not know on a block or element: they are never silently dropped. */
    private static void only(JsonObject o, String at, List<String> errors, String... allowed) {
        var known = Set.of(allowed);
        for (var key : o.keySet()) {
            if (!known.contains(key)) {
                errors.add(at + ": unknown field " + key);
            }
        }
    }

    private static JsonArray array(JsonObject o, String field, String at, List<String> errors) {
        if (!o.has(field) || !o.get(field).isJsonArray()) {
            errors.add(at + "/" + field + ": required array");
            return null;
        }
        return o.getAsJsonArray(field);
    }

    private static String string(JsonObject o, String field) {
        var v = o.get(field);
        return v != null && v.isJsonPrimitive() ? v.getAsString() : null;
    }

    /**
     * Every mrkdwn text object in {@code blocksJson} whose text contains {@code needle} and that does not say
     * {@code verbatim: true}, as JSON: such an object lets Slack auto-parse a typed {@code @channel} into a mention.
     */
    public static List<String> mrkdwnWithoutVerbatim(String blocksJson, String needle) {
        var out = new ArrayList<String>();
        if (blocksJson != null) {
            collectMrkdwn(JsonParser.parseString(blocksJson), needle, out);
        }
        return out;
    }

    private static void collectMrkdwn(JsonElement e, String needle, List<String> out) {
        if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> collectMrkdwn(x, needle, out));
        } else if (e.isJsonObject()) {
            var o = e.getAsJsonObject();
            if ("mrkdwn".equals(string(o, "type"))
                    && string(o, "text") != null
                    && string(o, "text").contains(needle)
                    && !(o.has("verbatim") && o.get("verbatim").getAsBoolean())) {
                out.add(o.toString());
            }
            o.entrySet().forEach(x -> collectMrkdwn(x.getValue(), needle, out));
        }
    }
}
