package io.attune.core.slack;

import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Slack Block Kit messages for the channel messages (docs/channels.md). Every text taken from an inquiry is
 * escaped for Slack's mrkdwn ({@code &}, {@code <}, {@code >}), so a prompt cannot mention {@code @channel} or forge
 * a link; every text is cut to Slack's limits.
 */
public final class SlackMessages {
    /** The block that holds the buttons: the message update replaces it by who decided. */
    public static final String ACTIONS_BLOCK = "attune_decision";
    public static final String OPEN = "attune_open";
    private static final int SECTION_MAX = 2900;
    private static final int FIELD_MAX = 1900;
    private static final int FIELDS_MAX = 10;

    private SlackMessages() {
    }

    /**
     * The message for one channel message ({@code {"type", "timestamp", "data": {"inquiry", "links", "context"}}}).
     * {@code decisionField}: buttons answer with it (see {@link SlackDecision}); empty: a link to the inquiry.
     */
    public static ObjectNode of(JsonNode message, Optional<String> decisionField) {
        String type = message.path("type").asString("");
        JsonNode data = message.path("data");
        JsonNode inquiry = data.path("inquiry");
        long id = inquiry.path("id").asLong();
        String prompt = inquiry.path("prompt").asString("");
        String view = data.path("links").path("view").asString(null);
        ArrayNode blocks = Json.mapper().createArrayNode();
        String headline = switch (type) {
            case "inquiry.created" -> "Approval needed";
            case "inquiry.reminder" -> "Reminder: approval still needed";
            case "inquiry.escalated" -> "Escalated: approval needed";
            case "inquiry.responded" -> "Answered";
            case "inquiry.timeout" -> "Timed out";
            case "inquiry.cancelled" -> "Cancelled";
            case "channel.test" -> "Test message from Attune";
            default -> type.isEmpty() ? "Attune" : type;
        };
        boolean asking = type.equals("inquiry.created") || type.equals("inquiry.reminder")
                || type.equals("inquiry.escalated");
        blocks.add(header(headline));
        if (!prompt.isEmpty()) {
            blocks.add(section("*" + escape(prompt) + "*"));
        }
        fields(data.path("context")).ifPresent(blocks::add);
        blocks.add(context(id, inquiry, type));
        if (asking && id > 0) {
            ArrayNode elements = Json.mapper().createArrayNode();
            if (decisionField.isPresent()) {
                elements.add(button(SlackDecision.APPROVE, "Approve", "primary", String.valueOf(id)));
                ObjectNode reject = button(SlackDecision.REJECT, "Reject", "danger", String.valueOf(id));
                reject.set("confirm", confirm());
                elements.add(reject);
            }
            if (view != null) {
                ObjectNode open = button(OPEN, decisionField.isPresent() ? "Open in Attune" : "Answer in Attune",
                        decisionField.isPresent() ? null : "primary", String.valueOf(id));
                open.put("url", view);
                elements.add(open);
            }
            if (!elements.isEmpty()) {
                ObjectNode actions = Json.object();
                actions.put("type", "actions");
                actions.put("block_id", ACTIONS_BLOCK);
                actions.set("elements", elements);
                blocks.add(actions);
            }
        } else if (type.equals("inquiry.responded")) {
            JsonNode response = inquiry.path("response");
            if (!response.isMissingNode() && !response.isNull()) {
                blocks.add(section("*Answer*\n" + cut(escape(compact(response)), SECTION_MAX - 20)));
            }
        }
        ObjectNode payload = Json.object();
        payload.put("text", cut(headline + (prompt.isEmpty() ? "" : ": " + escape(prompt)), SECTION_MAX));
        payload.set("blocks", blocks);
        return payload;
    }

    /**
     * The message after a decision through its buttons: the original blocks without the buttons, and a line saying
     * who decided what and when (Slack's {@code response_url} with {@code replace_original}). While the inquiry
     * stays open (it needs more approvals) the buttons stay, below that line.
     */
    public static ObjectNode decided(JsonNode originalBlocks, boolean approved, String who, Instant when,
                                     boolean stillOpen) {
        ArrayNode blocks = Json.mapper().createArrayNode();
        JsonNode actions = null;
        if (originalBlocks != null && originalBlocks.isArray()) {
            for (JsonNode block : originalBlocks) {
                if ("actions".equals(block.path("type").asString(""))) {
                    actions = block;
                } else {
                    blocks.add(block);
                }
            }
        }
        String line = (approved ? ":white_check_mark: *Approved*" : ":x: *Rejected*") + " by " + escape(who) + " at "
                + when.toString();
        blocks.add(section(stillOpen ? line + " (more approvals are needed)" : line));
        if (stillOpen && actions != null) {
            blocks.add(actions); // the others who must approve still have their buttons
        }
        ObjectNode payload = Json.object();
        payload.put("replace_original", true);
        payload.put("text", (approved ? "Approved" : "Rejected") + " by " + escape(who));
        payload.set("blocks", blocks);
        return payload;
    }

    /** A message only the person who clicked sees, leaving the original as it is. */
    public static ObjectNode ephemeral(String text) {
        ObjectNode payload = Json.object();
        payload.put("response_type", "ephemeral");
        payload.put("replace_original", false);
        payload.put("text", cut(escape(text), SECTION_MAX));
        return payload;
    }

    /** Slack's mrkdwn escaping: the three characters it gives meaning to. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Optional<ObjectNode> fields(JsonNode context) {
        if (!context.isObject() || context.isEmpty()) {
            return Optional.empty();
        }
        ArrayNode fields = Json.mapper().createArrayNode();
        for (Map.Entry<String, JsonNode> entry : context.properties()) {
            if (entry.getKey().equals("__inquiry")) {
                continue;
            }
            if (fields.size() == FIELDS_MAX) {
                break;
            }
            JsonNode value = entry.getValue();
            String shown = value.isString() ? value.asString() : compact(value);
            ObjectNode field = Json.object();
            field.put("type", "mrkdwn");
            field.put("text", cut("*" + escape(humanise(entry.getKey())) + "*\n" + escape(shown), FIELD_MAX));
            fields.add(field);
        }
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode section = Json.object();
        section.put("type", "section");
        section.set("fields", fields);
        return Optional.of(section);
    }

    private static ObjectNode context(long id, JsonNode inquiry, String type) {
        StringBuilder text = new StringBuilder("Inquiry #").append(id);
        JsonNode timeout = inquiry.path("timeout_at");
        if (timeout.isString() && (type.equals("inquiry.created") || type.equals("inquiry.reminder")
                || type.equals("inquiry.escalated"))) {
            try {
                long epoch = Instant.parse(timeout.asString()).getEpochSecond();
                text.append(" · answer by <!date^").append(epoch).append("^{date_short_pretty} {time}|")
                        .append(escape(timeout.asString())).append(">");
            } catch (RuntimeException e) {
                text.append(" · answer by ").append(escape(timeout.asString()));
            }
        }
        ObjectNode element = Json.object();
        element.put("type", "mrkdwn");
        element.put("text", text.toString());
        ObjectNode block = Json.object();
        block.put("type", "context");
        block.set("elements", Json.mapper().createArrayNode().add(element));
        return block;
    }

    private static ObjectNode header(String text) {
        ObjectNode block = Json.object();
        block.put("type", "header");
        block.set("text", plain(cut(text, 150)));
        return block;
    }

    private static ObjectNode section(String mrkdwn) {
        ObjectNode text = Json.object();
        text.put("type", "mrkdwn");
        text.put("text", cut(mrkdwn, SECTION_MAX));
        ObjectNode block = Json.object();
        block.put("type", "section");
        block.set("text", text);
        return block;
    }

    private static ObjectNode button(String actionId, String label, String style, String value) {
        ObjectNode button = Json.object();
        button.put("type", "button");
        button.put("action_id", actionId);
        button.set("text", plain(label));
        if (style != null) {
            button.put("style", style);
        }
        button.put("value", value);
        return button;
    }

    private static ObjectNode confirm() {
        ObjectNode confirm = Json.object();
        confirm.set("title", plain("Reject?"));
        ObjectNode text = Json.object();
        text.put("type", "mrkdwn");
        text.put("text", "Reject this request? The automation that asked will be told.");
        confirm.set("text", text);
        confirm.set("confirm", plain("Reject"));
        confirm.set("deny", plain("Cancel"));
        confirm.put("style", "danger");
        return confirm;
    }

    private static ObjectNode plain(String text) {
        ObjectNode node = Json.object();
        node.put("type", "plain_text");
        node.put("text", text);
        return node;
    }

    private static String compact(JsonNode value) {
        return Json.write(value);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String humanise(String name) {
        String spaced = name.replace('_', ' ').replace('-', ' ').trim();
        return spaced.isEmpty() ? name : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
