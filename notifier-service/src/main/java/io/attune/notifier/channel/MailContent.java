package io.attune.notifier.channel;

import tools.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Map;

/**
 * An inquiry message as an email: subject, plain text and HTML with the same content — what is asked, the context
 * the action reported (secrets already masked), and the links. All text from the inquiry is HTML-escaped.
 */
final class MailContent {
    private static final int MAX_DEPTH = 8;
    private static final int MAX_ITEMS = 200;

    private MailContent() {
    }

    record Mail(String subject, String text, String html) {
    }

    static Mail of(JsonNode message, String subjectPrefix) {
        String type = message.path("type").asString("");
        JsonNode data = message.path("data");
        JsonNode inquiry = data.path("inquiry");
        JsonNode links = data.path("links");
        String prompt = inquiry.path("prompt").asString("");
        String headline = headline(type, inquiry);
        String subject = (subjectPrefix == null || subjectPrefix.isBlank() ? "" : subjectPrefix.trim() + " ")
                + headline + ": " + oneLine(prompt, 120);

        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        text.append(headline).append(" (inquiry ").append(inquiry.path("id").asString()).append(")\n\n");
        text.append(prompt).append("\n\n");
        html.append("<h2>").append(escape(headline)).append(" (inquiry ").append(escape(inquiry.path("id").asString()))
                .append(")</h2><p style=\"white-space:pre-wrap\">").append(escape(prompt)).append("</p>");
        if (!inquiry.path("timeout_at").isNull() && inquiry.has("timeout_at")) {
            text.append("Answer before: ").append(inquiry.get("timeout_at").asString()).append("\n");
            html.append("<p>Answer before: ").append(escape(inquiry.get("timeout_at").asString())).append("</p>");
        }
        if (inquiry.hasNonNull("response")) {
            text.append("Answer: ");
            plain(inquiry.get("response"), text, 1);
            text.append("\n");
            html.append("<h3>Answer</h3>");
            html(inquiry.get("response"), html, 0);
        }
        if (links.hasNonNull("respond")) {
            text.append("\nAnswer it here (the link works once, for you only): ").append(links.get("respond").asString())
                    .append("\n");
            html.append("<p><a href=\"").append(escape(links.get("respond").asString()))
                    .append("\" style=\"font-weight:bold\">Answer this inquiry</a> (the link works once, for you only)</p>");
        }
        if (links.hasNonNull("view")) {
            text.append("Open it in Attune: ").append(links.get("view").asString()).append("\n");
            html.append("<p><a href=\"").append(escape(links.get("view").asString())).append("\">Open it in Attune</a></p>");
        }
        JsonNode context = data.path("context");
        if (context.isObject() && !context.isEmpty()) {
            text.append("\nContext\n-------\n");
            plain(context, text, 0);
            html.append("<h3>Context</h3>");
            html(context, html, 0);
        }
        html.append("</body></html>");
        return new Mail(subject, text.toString(), html.toString());
    }

    static String headline(String type, JsonNode inquiry) {
        return switch (type) {
            case "inquiry.created" -> "Approval needed";
            case "inquiry.responded" -> "Answered";
            case "inquiry.timeout" -> "Timed out";
            case "inquiry.cancelled" -> "Cancelled";
            case "inquiry.escalated" -> "Escalated to you";
            case "inquiry.reminder" -> "Reminder: approval still needed";
            case "channel.test" -> "Test message";
            default -> "Inquiry " + type.replaceFirst("^inquiry\\.", "").replace('_', ' ');
        };
    }

    private static void plain(JsonNode node, StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) {
            out.append("…");
        } else if (node.isObject()) {
            int n = 0;
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (n++ >= MAX_ITEMS) {
                    out.append("  ".repeat(depth)).append("…\n");
                    break;
                }
                out.append("\n").append("  ".repeat(depth)).append(humanise(field.getKey())).append(": ");
                plain(field.getValue(), out, depth + 1);
            }
        } else if (node.isArray()) {
            int n = 0;
            for (JsonNode item : node) {
                if (n++ >= MAX_ITEMS) {
                    out.append("\n").append("  ".repeat(depth)).append("…");
                    break;
                }
                out.append("\n").append("  ".repeat(depth)).append("- ");
                plain(item, out, depth + 1);
            }
        } else {
            out.append(node.isString() ? node.asString() : node.toString());
        }
        if (depth == 0) {
            out.append("\n");
        }
    }

    private static void html(JsonNode node, StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) {
            out.append("…");
        } else if (node.isObject()) {
            out.append("<table style=\"border-collapse:collapse\">");
            int n = 0;
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (n++ >= MAX_ITEMS) {
                    out.append("<tr><td colspan=\"2\">…</td></tr>");
                    break;
                }
                out.append("<tr><th style=\"text-align:left;vertical-align:top;padding:2px 8px\">")
                        .append(escape(humanise(field.getKey()))).append("</th><td style=\"padding:2px 8px\">");
                html(field.getValue(), out, depth + 1);
                out.append("</td></tr>");
            }
            out.append("</table>");
        } else if (node.isArray()) {
            out.append("<ul>");
            int n = 0;
            for (JsonNode item : node) {
                if (n++ >= MAX_ITEMS) {
                    out.append("<li>…</li>");
                    break;
                }
                out.append("<li>");
                html(item, out, depth + 1);
                out.append("</li>");
            }
            out.append("</ul>");
        } else {
            out.append(escape(node.isString() ? node.asString() : node.toString()));
        }
    }

    /** {@code deployment_plan} → "Deployment plan". */
    static String humanise(String key) {
        String words = key.replace('_', ' ').replace('-', ' ').trim();
        return words.isEmpty() ? key : words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String oneLine(String text, int max) {
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}
